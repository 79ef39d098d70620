// The observe layer: the latency recorder's percentiles against exact ones, the Prometheus
// text, and log routing by level and sink.
#include <nosqlc/observe/log.hpp>
#include <nosqlc/observe/metrics.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>
#include <sstream>
#include <vector>

using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(observe)

BOOST_AUTO_TEST_CASE(recorded_percentiles_are_within_the_bucket_precision_of_exact_ones) {
  nosqlc::LatencyRecorder r;
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(7.0, 1.5);  // a long tail, median ~1 ms
  std::vector<std::uint64_t> all;
  for (int i = 0; i < 100000; ++i) {
    auto us = static_cast<std::uint64_t>(dist(rng));
    all.push_back(us);
    r.record(std::chrono::microseconds(us));
  }
  std::sort(all.begin(), all.end());
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    const auto exact = all[static_cast<std::size_t>(p / 100.0 * all.size() + 0.5) - 1];
    const auto got = r.percentile_us(p);
    BOOST_TEST(got >= exact, p);  // an upper bound of the value's bucket
    BOOST_TEST(static_cast<double>(got) <= static_cast<double>(exact) * 1.035 + 1, p);
  }
  const auto s = r.summary();
  BOOST_TEST(s.count == 100000u);
  BOOST_TEST(s.max_us == all.back());
  BOOST_TEST(r.percentile_us(100) == all.back());
  BOOST_TEST(s.p50_us <= s.p90_us);
  BOOST_TEST(s.p999_us <= s.max_us);
}

BOOST_AUTO_TEST_CASE(small_and_huge_latencies_land_in_bounds) {
  nosqlc::LatencyRecorder r;
  BOOST_TEST(r.summary().count == 0u);
  BOOST_TEST(r.percentile_us(50) == 0u);
  for (int us = 0; us < 32; ++us)
    r.record(std::chrono::microseconds(us));
  BOOST_TEST(r.percentile_us(50) == 15u);   // exact below 32 us
  r.record(std::chrono::microseconds(-5));  // a clock that went back counts as 0
  r.record(std::chrono::hours(24 * 365 * 10));
  BOOST_TEST(
      r.summary().max_us ==
      static_cast<std::uint64_t>(std::chrono::microseconds(std::chrono::hours(87600)).count()));
  BOOST_TEST(r.summary().count == 34u);
}

BOOST_AUTO_TEST_CASE(prometheus_text_has_every_metric_with_help_type_and_escaped_labels) {
  nosqlc::Metrics m;
  m.requests = 12;
  m.errors = 3;
  m.errors_by_kind = {{"overloaded", 2}, {"timeout", 1}};
  m.retries = 4;
  nosqlc::HostMetrics h;
  h.address = "10.0.0.1:9042";
  h.up = true;
  h.connections = 2;
  h.requests = 40;
  h.latency.count = 40;
  h.latency.p99_us = 2500;
  m.hosts.push_back(h);
  h.address = "we\"ird\\host";
  h.up = false;
  m.hosts.push_back(h);
  const std::string text = nosqlc::write_prometheus(m, "svc");
  auto has = [&](const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
  };
  BOOST_TEST(has("# TYPE svc_requests_total counter"));
  BOOST_TEST(has("svc_requests_total 12"));
  BOOST_TEST(has("svc_errors_total 3"));
  BOOST_TEST(has("svc_errors_total{kind=\"overloaded\"} 2"));
  BOOST_TEST(has("svc_retries_total 4"));
  BOOST_TEST(has("svc_host_up{host=\"10.0.0.1:9042\"} 1"));
  BOOST_TEST(has("svc_host_up{host=\"we\\\"ird\\\\host\"} 0"));
  BOOST_TEST(has("svc_host_connections{host=\"10.0.0.1:9042\"} 2"));
  BOOST_TEST(has("svc_host_latency_seconds{host=\"10.0.0.1:9042\",quantile=\"0.99\"} 0.0025"));
  BOOST_TEST(has("svc_host_latency_seconds_count{host=\"10.0.0.1:9042\"} 40"));
  // Each metric family is declared once.
  std::istringstream lines(text);
  std::map<std::string, int> types;
  for (std::string l; std::getline(lines, l);) {
    if (l.starts_with("# TYPE ")) ++types[l.substr(7, l.find(' ', 7) - 7)];
  }
  for (const auto& [name, n] : types)
    BOOST_TEST(n == 1, name);
}

BOOST_AUTO_TEST_CASE(a_logger_passes_records_at_or_above_its_level_to_its_sink) {
  BOOST_TEST((nosqlc::parse_log_level("DEBUG") == nosqlc::LogLevel::debug));
  BOOST_TEST((nosqlc::parse_log_level("warning") == nosqlc::LogLevel::warn));
  BOOST_TEST(!nosqlc::parse_log_level("loud").has_value());
  if (std::getenv("NOSQLC_LOG") != nullptr) return;  // the environment decides the levels
  std::vector<std::string> got;
  nosqlc::Logger info(
      [&](const nosqlc::LogRecord& r) {
        got.push_back(std::string(nosqlc::to_string(r.level)) + " " + std::string(r.subsystem) +
                      " " + std::string(r.host) + " " + std::string(r.message));
      },
      nosqlc::LogLevel::info);
  info.debug("pool", "not shown");
  info.info("pool", "shown", "h:1");
  info.warn("host", "also shown");
  BOOST_TEST(!info.enabled(nosqlc::LogLevel::debug));
  BOOST_TEST(got == (std::vector<std::string>{"info pool h:1 shown", "warn host  also shown"}));

  // Without a sink of its own, the process-wide sink at the process-wide level (warn).
  std::vector<std::string> process;
  nosqlc::set_log_sink([&](const nosqlc::LogRecord& r) { process.emplace_back(r.message); });
  nosqlc::Logger plain;
  plain.info("pool", "below warn");
  plain.warn("pool", "warned");
  nosqlc::set_log_level(nosqlc::LogLevel::off);
  plain.warn("pool", "off");
  nosqlc::set_log_level(nosqlc::LogLevel::warn);
  nosqlc::Logger throwing([](const nosqlc::LogRecord&) { throw std::runtime_error("sink"); },
                          std::nullopt);
  throwing.warn("pool", "swallowed");  // a sink's failure is not the caller's
  nosqlc::set_log_sink(nullptr);
  BOOST_TEST(process == (std::vector<std::string>{"warned"}));
}

BOOST_AUTO_TEST_SUITE_END()
