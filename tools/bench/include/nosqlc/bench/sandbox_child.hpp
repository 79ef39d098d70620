// The embedded sandbox of nosqlc-bench, run in a child process so that the CPU time and
// resident memory the benchmark reports are the client's alone.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace nosqlc::bench {

class SandboxChild {
 public:
  // Forks a child that serves a sandbox of `nodes` nodes (127.0.0.1 ..) on a free port with
  // `threads` I/O threads; returns once it accepts connections. Call before any thread is started.
  // Throws std::runtime_error when the child cannot start.
  explicit SandboxChild(std::size_t threads, std::size_t nodes = 1);
  // Stops the child and waits for it.
  ~SandboxChild();
  SandboxChild(const SandboxChild&) = delete;
  SandboxChild& operator=(const SandboxChild&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  // The child's user + system CPU seconds so far.
  double cpu_seconds() const;

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace nosqlc::bench
