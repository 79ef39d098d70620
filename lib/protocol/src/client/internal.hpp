// Helpers shared by the connection and the session, not part of the public API.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

namespace nosqlc::protocol {
struct ConnectionOptions;
}

namespace nosqlc::protocol::detail {

// Throws ClientError errc::invalid_value naming the first option out of range (max_streams
// outside 1..32768, a zero frame maximum, a timeout that is not positive).
void check_options(const ConnectionOptions& o);

// Now + d, saturating: a huge timeout means no deadline rather than an overflow.
inline std::chrono::steady_clock::time_point deadline_after(std::chrono::milliseconds d) {
  using steady = std::chrono::steady_clock;
  const auto now = steady::now();
  if (d <= std::chrono::milliseconds::zero()) return now;
  auto headroom =
      std::chrono::duration_cast<std::chrono::milliseconds>(steady::time_point::max() - now);
  return d >= headroom ? steady::time_point::max() : now + d;
}

// Runs `f` when the scope ends, also when a coroutine frame is destroyed while suspended.
template <class F>
class ScopeExit {
 public:
  explicit ScopeExit(F f) : f_(std::move(f)) {}
  ~ScopeExit() { f_(); }
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;

 private:
  F f_;
};

}  // namespace nosqlc::protocol::detail
