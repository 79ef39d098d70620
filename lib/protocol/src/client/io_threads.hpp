// The I/O threads a session owns when SessionOptions::io_threads > 0: one io_context per
// thread, so a connection placed on one never runs on two threads. Internal.
#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

namespace nosqlc::protocol::detail {

class IoThreads {
 public:
  explicit IoThreads(std::size_t n);
  // Lets every loop run out of work and joins the threads; from one of them, leaves that to a
  // helper thread.
  ~IoThreads();
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  // Whether the calling thread is one of these.
  bool runs_here() const noexcept;
  asio::io_context::executor_type executor(std::size_t i) const noexcept {
    return loops_[i % loops_.size()]->io.get_executor();
  }

 private:
  struct Loop {
    asio::io_context io{1};
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    std::thread thread;
  };
  std::vector<std::unique_ptr<Loop>> loops_;
};

}  // namespace nosqlc::protocol::detail
