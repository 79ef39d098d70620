// nosqlc-bench's latency histogram: quantiles within its stated 1% of the exact values.
#include <nosqlc/bench/histogram.hpp>
#include <nosqlc/bench/options.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using nosqlc::bench::Histogram;
using namespace std::chrono;

BOOST_AUTO_TEST_SUITE(bench_histogram)

BOOST_AUTO_TEST_CASE(empty_histogram_reports_zero) {
  Histogram h;
  BOOST_TEST(h.count() == 0u);
  BOOST_TEST(h.quantile(0.5) == 0u);
}

BOOST_AUTO_TEST_CASE(quantiles_are_within_one_percent) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(10.0, 1.5);  // about 22 us median, long tail
  std::vector<std::uint64_t> values;
  Histogram h;
  for (int i = 0; i < 200000; ++i) {
    auto v = static_cast<std::uint64_t>(dist(rng));
    values.push_back(v);
    h.record(nanoseconds(v));
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.0, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    std::uint64_t exact = values[std::max<std::size_t>(rank, 1) - 1];
    std::uint64_t got = h.quantile(q);
    BOOST_TEST_CONTEXT("q=" << q << " exact=" << exact << " got=" << got) {
      BOOST_TEST(got >= exact);  // the bucket's upper bound, never below
      BOOST_TEST(static_cast<double>(got) <= static_cast<double>(exact) * 1.01 + 1);
    }
  }
  BOOST_TEST(h.count() == values.size());
  BOOST_TEST(h.max() == values.back());
}

BOOST_AUTO_TEST_CASE(small_values_are_exact_and_merge_adds) {
  Histogram a, b;
  for (int i = 0; i < 100; ++i)
    a.record(nanoseconds(i));
  for (int i = 100; i < 200; ++i)
    b.record(nanoseconds(i));
  BOOST_TEST(a.quantile(0.5) == 49u);
  a.merge(b);
  BOOST_TEST(a.count() == 200u);
  BOOST_TEST(a.quantile(0.25) == 49u);
  BOOST_TEST(a.max() == 199u);
  a.record(nanoseconds(-5));  // clamped to 0
  BOOST_TEST(a.quantile(0.0) == 0u);
}

BOOST_AUTO_TEST_CASE(options_parse_and_reject) {
  using namespace nosqlc::bench;
  auto o = parse_options({"--workload", "get,store", "--concurrency=8", "--ops", "10", "--json"});
  BOOST_TEST(o.workloads.size() == 2u);
  BOOST_TEST((o.workloads[0] == Workload::get));
  BOOST_TEST(o.concurrency == 8u);
  BOOST_TEST(*o.ops == 10u);
  BOOST_TEST(o.json);
  BOOST_CHECK_THROW(parse_options({"--workload", "nope"}), UsageError);
  BOOST_CHECK_THROW(parse_options({"--concurrency", "0"}), UsageError);
  BOOST_CHECK_THROW(parse_options({"--duration", "-1"}), UsageError);
  BOOST_CHECK_THROW(parse_options({"--ops"}), UsageError);
  BOOST_CHECK_THROW(parse_options({"--frobnicate"}), UsageError);
}

BOOST_AUTO_TEST_CASE(api_and_io_threads) {
  using namespace nosqlc::bench;
  auto d = parse_options({});
  BOOST_TEST((d.api == Api::document));
  BOOST_TEST(!d.io_threads.has_value());
  // Raw runs what the CQL session can: the default list loses its scan.
  auto r = parse_options({"--api", "raw", "--io-threads=2"});
  BOOST_TEST((r.api == Api::raw));
  BOOST_TEST(*r.io_threads == 2u);
  BOOST_TEST(
      (r.workloads == std::vector<Workload>{Workload::store, Workload::get, Workload::mixed}));
  BOOST_CHECK_THROW(parse_options({"--api", "raw", "-w", "find-scan"}), UsageError);
  BOOST_CHECK_THROW(parse_options({"--api", "cql"}), UsageError);
  BOOST_CHECK_THROW(parse_options({"--io-threads", "65"}), UsageError);
  BOOST_CHECK_THROW(parse_options({"--api", "raw", "--url", "nosqlc:memory:"}), UsageError);
  BOOST_CHECK_THROW(parse_options({"--io-threads", "1", "--url", "nosqlc:memory:"}), UsageError);
}

BOOST_AUTO_TEST_SUITE_END()
