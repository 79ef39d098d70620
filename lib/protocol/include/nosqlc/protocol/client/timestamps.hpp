// Client-side write timestamps: microseconds since the epoch, strictly increasing per session
// even when the clock stalls or goes back (then each one is the last plus one), as the
// DataStax drivers' monotonic generator does. Every Session has one (SessionOptions::
// client_timestamps).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace nosqlc::protocol::detail {

class TimestampGenerator {
 public:
  // `warn` is told (at most once a second) when the timestamps run more than `drift` ahead of
  // the clock: it went back, or more than a million writes a second were stamped.
  explicit TimestampGenerator(std::function<void(const std::string&)> warn,
                              std::chrono::microseconds drift = std::chrono::seconds(1))
      : warn_(std::move(warn)), drift_(drift.count()) {}

  // Any thread.
  std::int64_t next() { return next_at(now_us()); }
  // The next timestamp when the clock reads `now` (for tests of a clock that goes back).
  std::int64_t next_at(std::int64_t now);

  static std::int64_t now_us() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  }

 private:
  void warn(std::int64_t ahead, std::int64_t now);

  std::function<void(const std::string&)> warn_;
  std::int64_t drift_;
  std::atomic<std::int64_t> last_{0};
  std::atomic<std::int64_t> last_warning_{0};
};

}  // namespace nosqlc::protocol::detail
