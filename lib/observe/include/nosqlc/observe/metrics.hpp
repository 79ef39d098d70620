// What a client counts, and the snapshot a service reads and exposes (Client::metrics(),
// protocol::Session::metrics(), write_prometheus()). Counters are cumulative from the session's
// start; latencies are kept in a log-linear histogram of bounded memory (32 buckets per power of
// two of microseconds: a percentile is within 3.2% of the true value, as HdrHistogram with that
// precision gives).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc {

// Percentiles of the latencies recorded, in microseconds (0 when none was).
struct LatencySummary {
  std::uint64_t count = 0;
  std::uint64_t p50_us = 0, p90_us = 0, p99_us = 0, p999_us = 0, max_us = 0;
};

// Latencies, lock-free: recorded from any thread, read at any time. About 10 KiB.
class LatencyRecorder {
 public:
  void record(std::chrono::microseconds latency) noexcept;
  LatencySummary summary() const noexcept;
  // The latency at `percentile` (0..100): the upper bound of its bucket, capped by the max.
  std::uint64_t percentile_us(double percentile) const noexcept;

 private:
  static constexpr std::size_t kSub = 32;             // buckets per power of two
  static constexpr std::size_t kBuckets = 40 * kSub;  // exact below 32 us; up to 2^44 us
  static std::size_t bucket_of(std::uint64_t us) noexcept;
  static std::uint64_t upper_bound(std::size_t bucket) noexcept;
  std::array<std::atomic<std::uint64_t>, kBuckets> counts_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> max_{0};
};

// The traffic of the connections to one host, shared by them (ConnectionOptions::counters):
// each connection adds what it sends and receives and each request's outcome.
struct HostCounters {
  std::atomic<std::uint64_t> requests{0};  // requests answered or failed (prepares included)
  std::atomic<std::uint64_t> errors{0};    // ERROR answers
  std::atomic<std::uint64_t> timeouts{0};  // requests that got no answer in time
  std::atomic<std::uint64_t> bytes_sent{0};
  std::atomic<std::uint64_t> bytes_received{0};
  LatencyRecorder latency;  // from submission to answer, of answered requests
};

struct HostMetrics {
  std::string address;  // "address:port"
  std::string datacenter;
  bool up = false;
  std::size_t connections = 0;
  std::size_t in_flight = 0;
  std::uint64_t requests = 0, errors = 0, timeouts = 0;
  std::uint64_t bytes_sent = 0, bytes_received = 0;
  LatencySummary latency;
};

struct Metrics {
  // Operations: each query, execute, batch or page, with its retries and speculative
  // executions, counts once.
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;  // operations that failed
  // Failed operations by kind: a server error's name ("read_timeout", "unavailable", ...) or
  // a client error's ("timeout", "connection_error", "closed", ...).
  std::map<std::string, std::uint64_t> errors_by_kind;
  std::uint64_t retries = 0;                 // attempts after an operation's first
  std::uint64_t speculative_executions = 0;  // attempts started while another was running
  std::uint64_t timeouts = 0;                // attempts that got no answer in time
  std::uint64_t reprepares = 0;              // statements prepared again after Unprepared
  // Of successful operations, retries included; kept only while a request tracker is set
  // (it reads the clock at each end), else empty: the hosts' latencies cost no clock read.
  LatencySummary latency;
  std::uint64_t bytes_sent = 0, bytes_received = 0;  // over every host
  std::size_t connections = 0;
  std::size_t prepared_statements = 0;
  std::vector<HostMetrics> hosts;  // every host the session pools or pooled
};

// The snapshot in Prometheus' text exposition format (version 0.0.4), each metric named
// `<prefix>_...` with HELP and TYPE lines; hosts as a `host` label. Latencies as summaries in
// seconds.
std::string write_prometheus(const Metrics& metrics, std::string_view prefix = "nosqlc");

}  // namespace nosqlc
