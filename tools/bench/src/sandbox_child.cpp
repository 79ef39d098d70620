#include "nosqlc/bench/sandbox_child.hpp"

#include <nosqlc/sandbox/server.hpp>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace nosqlc::bench {
namespace {

[[noreturn]] void serve(int fd, std::size_t threads, std::size_t nodes) {
  // Die with the parent, whatever way it goes.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::uint16_t port = 0;
  try {
    sandbox::ServerOptions o;
    o.port = 0;
    o.threads = threads;
    o.nodes = nodes;
    sandbox::Server server(o);
    port = server.port();
    (void)!write(fd, &port, sizeof port);
    close(fd);
    int sig = 0;
    sigwait(&signals, &sig);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nosqlc-bench: embedded sandbox: %s\n", e.what());
    (void)!write(fd, &port, sizeof port);
    _exit(1);
  }
  _exit(0);
}

}  // namespace

SandboxChild::SandboxChild(std::size_t threads, std::size_t nodes) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    close(fds[0]);
    serve(fds[1], threads, nodes);
  }
  close(fds[1]);
  std::uint16_t port = 0;
  ssize_t n = read(fds[0], &port, sizeof port);
  close(fds[0]);
  if (n != sizeof port || port == 0) {
    throw std::runtime_error("the embedded sandbox did not start");
  }
  port_ = port;
}

SandboxChild::~SandboxChild() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
}

double SandboxChild::cpu_seconds() const {
  // /proc/<pid>/stat fields 14 and 15: utime and stime in clock ticks.
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close_paren + 2));
  std::string f;
  unsigned long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stoul(f);
    if (i == 15) stime = std::stoul(f);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace nosqlc::bench
