#include "io_threads.hpp"

#include <algorithm>

namespace nosqlc::protocol::detail {

IoThreads::IoThreads(std::size_t n) {
  loops_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto loop = std::make_unique<Loop>();
    Loop* l = loop.get();
    l->thread = std::thread([l] { l->io.run(); });
    loops_.push_back(std::move(loop));
  }
}

bool IoThreads::runs_here() const noexcept {
  return std::any_of(loops_.begin(), loops_.end(), [](const auto& l) {
    return l->thread.get_id() == std::this_thread::get_id();
  });
}

// Each loop ends once its work is done (the session closed its connections and timers first:
// everything left has a deadline). From one of the loops' own threads, a helper thread waits
// for them instead: a thread cannot join itself, nor destroy the io_context running it.
IoThreads::~IoThreads() {
  for (auto& l : loops_)
    l->work.reset();
  if (runs_here()) {
    std::thread([loops = std::move(loops_)]() mutable {
      for (auto& l : loops)
        l->thread.join();
    }).detach();
    return;
  }
  for (auto& l : loops_)
    l->thread.join();
}

}  // namespace nosqlc::protocol::detail
