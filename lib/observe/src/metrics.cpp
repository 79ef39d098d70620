#include "nosqlc/observe/metrics.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>

namespace nosqlc {

// Values below kSub have a bucket each; above, each power of two is cut in kSub equal parts.
std::size_t LatencyRecorder::bucket_of(std::uint64_t us) noexcept {
  if (us < kSub) return static_cast<std::size_t>(us);
  const int top = std::bit_width(us) - 1;  // >= 5
  const std::size_t sub = static_cast<std::size_t>(us >> (top - 5)) - kSub;
  const std::size_t b = (static_cast<std::size_t>(top) - 4) * kSub + sub;
  return b < kBuckets ? b : kBuckets - 1;
}

std::uint64_t LatencyRecorder::upper_bound(std::size_t bucket) noexcept {
  if (bucket < kSub) return bucket;
  const std::size_t top = bucket / kSub + 4;
  const std::uint64_t sub = bucket % kSub + kSub;
  return ((sub + 1) << (top - 5)) - 1;
}

void LatencyRecorder::record(std::chrono::microseconds latency) noexcept {
  const auto us = static_cast<std::uint64_t>(latency.count() < 0 ? 0 : latency.count());
  counts_[bucket_of(us)].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  std::uint64_t max = max_.load(std::memory_order_relaxed);
  while (us > max && !max_.compare_exchange_weak(max, us, std::memory_order_relaxed)) {
  }
}

std::uint64_t LatencyRecorder::percentile_us(double percentile) const noexcept {
  std::uint64_t total = 0;
  for (const auto& c : counts_)
    total += c.load(std::memory_order_relaxed);
  if (total == 0) return 0;
  const double p = percentile < 0 ? 0 : (percentile > 100 ? 100 : percentile);
  // The rank of the sample at that percentile (1-based), as HdrHistogram counts it.
  auto rank = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(total) + 0.5);
  if (rank < 1) rank = 1;
  const std::uint64_t max = max_.load(std::memory_order_relaxed);
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < kBuckets; ++b) {
    seen += counts_[b].load(std::memory_order_relaxed);
    if (seen >= rank) return std::min(upper_bound(b), max);
  }
  return max;
}

LatencySummary LatencyRecorder::summary() const noexcept {
  LatencySummary s;
  s.count = count_.load(std::memory_order_relaxed);
  s.p50_us = percentile_us(50);
  s.p90_us = percentile_us(90);
  s.p99_us = percentile_us(99);
  s.p999_us = percentile_us(99.9);
  s.max_us = max_.load(std::memory_order_relaxed);
  return s;
}

namespace {

// Label values escape backslash, double quote and newline (the exposition format's rule).
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

struct Out {
  std::string text;
  std::string_view prefix;

  void line(std::string_view kind, std::string_view name, std::string_view rest) {
    text += kind;
    text += prefix;
    text += '_';
    text += name;
    text += rest;
    text += '\n';
  }
  void head(std::string_view name, std::string_view type, std::string_view help) {
    line("# HELP ", name, " " + std::string(help));
    line("# TYPE ", name, " " + std::string(type));
  }
  // Integers exactly (counters pass 2^53); fractions with 15 digits, enough for microseconds.
  void sample(std::string_view name, std::string_view labels, double value) {
    char buf[40];
    std::snprintf(buf, sizeof buf, " %.15g", value);
    line({}, name, braced(labels) + buf);
  }
  void sample(std::string_view name, std::string_view labels, std::uint64_t value) {
    line({}, name, braced(labels) + " " + std::to_string(value));
  }
  static std::string braced(std::string_view labels) {
    return labels.empty() ? std::string() : "{" + std::string(labels) + "}";
  }
  template <class V>
  void one(std::string_view name, std::string_view type, std::string_view help, V value) {
    head(name, type, help);
    sample(name, {}, value);
  }
  void summary(std::string_view name, std::string_view labels, const LatencySummary& s) {
    const std::string sep = labels.empty() ? "" : std::string(labels) + ",";
    const std::pair<const char*, std::uint64_t> qs[] = {{"0.5", s.p50_us},
                                                        {"0.9", s.p90_us},
                                                        {"0.99", s.p99_us},
                                                        {"0.999", s.p999_us},
                                                        {"1", s.max_us}};
    for (const auto& [q, us] : qs)
      sample(name, sep + "quantile=\"" + q + "\"", static_cast<double>(us) / 1e6);
    sample(std::string(name) + "_count", labels, s.count);
  }
};

}  // namespace

std::string write_prometheus(const Metrics& m, std::string_view prefix) {
  Out o{{}, prefix};
  auto d = [](std::uint64_t v) { return v; };
  o.one("requests_total", "counter", "Operations started (retries count once).", d(m.requests));
  o.head("errors_total", "counter", "Operations that failed, by kind.");
  o.sample("errors_total", {}, d(m.errors));
  for (const auto& [kind, n] : m.errors_by_kind)
    o.sample("errors_total", "kind=\"" + label(kind) + "\"", d(n));
  o.one("retries_total", "counter", "Attempts after an operation's first.", d(m.retries));
  o.one("speculative_executions_total", "counter",
        "Attempts started while another attempt of the operation was running.",
        d(m.speculative_executions));
  o.one("timeouts_total", "counter", "Attempts that got no answer in time.", d(m.timeouts));
  o.one("reprepares_total", "counter", "Statements prepared again after Unprepared.",
        d(m.reprepares));
  o.one("bytes_sent_total", "counter", "Bytes written to every host.", d(m.bytes_sent));
  o.one("bytes_received_total", "counter", "Bytes read from every host.", d(m.bytes_received));
  o.one("connections", "gauge", "Open connections.", std::uint64_t{m.connections});
  o.one("prepared_statements", "gauge", "Prepared statements cached.",
        std::uint64_t{m.prepared_statements});
  if (m.latency.count > 0) {  // kept only with a request tracker (two clock reads each)
    o.head("request_latency_seconds", "summary", "Latency of successful operations.");
    o.summary("request_latency_seconds", {}, m.latency);
  }

  auto per_host = [&](std::string_view name, std::string_view type, std::string_view help,
                      auto value) {
    o.head(name, type, help);
    for (const auto& h : m.hosts)
      o.sample(name, "host=\"" + label(h.address) + "\"", value(h));
  };
  per_host("host_up", "gauge", "1 when the host is up.",
           [](const HostMetrics& h) { return h.up ? 1.0 : 0.0; });
  per_host("host_connections", "gauge", "Open connections to the host.",
           [](const HostMetrics& h) { return static_cast<double>(h.connections); });
  per_host("host_in_flight", "gauge", "Requests awaiting an answer from the host.",
           [](const HostMetrics& h) { return static_cast<double>(h.in_flight); });
  per_host("host_requests_total", "counter", "Requests sent to the host (prepares included).",
           [&](const HostMetrics& h) { return d(h.requests); });
  per_host("host_errors_total", "counter", "ERROR answers from the host.",
           [&](const HostMetrics& h) { return d(h.errors); });
  per_host("host_timeouts_total", "counter", "Requests to the host that got no answer in time.",
           [&](const HostMetrics& h) { return d(h.timeouts); });
  per_host("host_bytes_sent_total", "counter", "Bytes written to the host.",
           [&](const HostMetrics& h) { return d(h.bytes_sent); });
  per_host("host_bytes_received_total", "counter", "Bytes read from the host.",
           [&](const HostMetrics& h) { return d(h.bytes_received); });
  o.head("host_latency_seconds", "summary", "Latency of the host's answers.");
  for (const auto& h : m.hosts)
    o.summary("host_latency_seconds", "host=\"" + label(h.address) + "\"", h.latency);
  return std::move(o.text);
}

}  // namespace nosqlc
