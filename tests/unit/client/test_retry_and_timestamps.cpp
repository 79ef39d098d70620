// The retry policy's verdicts (Cassandra's semantics as the DataStax drivers apply them) and
// the client-side timestamp generator.
#include <nosqlc/protocol/client/latency_histogram.hpp>
#include <nosqlc/protocol/client/retry_policy.hpp>
#include <nosqlc/protocol/client/timestamps.hpp>
#include <nosqlc/protocol/client_errors.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace pr = nosqlc::protocol;

namespace {

std::exception_ptr server(pr::ServerErrorCode code, pr::ServerErrorDetails details = {}) {
  return std::make_exception_ptr(pr::CqlError(pr::ServerError{code, "x", std::move(details)}));
}

std::exception_ptr client(pr::client_errc code) {
  return std::make_exception_ptr(pr::ClientError(make_error_code(code), "x"));
}

pr::RetryVerdict verdict(const std::exception_ptr& e, bool idempotent) {
  pr::RetryCounts counts;
  return pr::retry_verdict(e, idempotent, counts);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(retry_policy)

BOOST_AUTO_TEST_CASE(read_timeout_with_enough_replicas_but_no_data_retries_once_on_the_same_host) {
  using pr::Consistency;
  auto no_data = server(pr::ServerErrorCode::read_timeout,
                        pr::ReadTimeoutError{Consistency::quorum, 2, 2, false});
  pr::RetryCounts counts;
  BOOST_TEST((pr::retry_verdict(no_data, false, counts) == pr::RetryVerdict::same_host));
  BOOST_TEST((pr::retry_verdict(no_data, false, counts) == pr::RetryVerdict::rethrow));
  // Too few replicas answered, or the data came: retrying would not help.
  auto few = server(pr::ServerErrorCode::read_timeout,
                    pr::ReadTimeoutError{Consistency::quorum, 1, 2, false});
  BOOST_TEST((verdict(few, true) == pr::RetryVerdict::rethrow));
  auto data = server(pr::ServerErrorCode::read_timeout,
                     pr::ReadTimeoutError{Consistency::quorum, 2, 2, true});
  BOOST_TEST((verdict(data, true) == pr::RetryVerdict::rethrow));
}

BOOST_AUTO_TEST_CASE(write_timeout_retries_only_a_batch_log_write) {
  using pr::Consistency;
  auto batch_log = server(pr::ServerErrorCode::write_timeout,
                          pr::WriteTimeoutError{Consistency::one, 0, 1, "BATCH_LOG"});
  pr::RetryCounts counts;
  BOOST_TEST((pr::retry_verdict(batch_log, false, counts) == pr::RetryVerdict::same_host));
  BOOST_TEST((pr::retry_verdict(batch_log, false, counts) == pr::RetryVerdict::rethrow));
  for (const char* type : {"SIMPLE", "BATCH", "CAS", "COUNTER", "UNLOGGED_BATCH"}) {
    auto e = server(pr::ServerErrorCode::write_timeout,
                    pr::WriteTimeoutError{Consistency::one, 0, 1, type});
    BOOST_TEST((verdict(e, true) == pr::RetryVerdict::rethrow), type);
  }
}

BOOST_AUTO_TEST_CASE(unavailable_moves_to_the_next_host_once_idempotent_or_not) {
  auto e =
      server(pr::ServerErrorCode::unavailable, pr::UnavailableError{pr::Consistency::quorum, 2, 1});
  pr::RetryCounts counts;
  BOOST_TEST((pr::retry_verdict(e, false, counts) == pr::RetryVerdict::next_host));
  BOOST_TEST((pr::retry_verdict(e, false, counts) == pr::RetryVerdict::rethrow));
}

BOOST_AUTO_TEST_CASE(unknown_outcomes_and_coordinator_errors_move_on_only_when_idempotent) {
  const std::vector<std::exception_ptr> errors = {
      server(pr::ServerErrorCode::overloaded),     server(pr::ServerErrorCode::is_bootstrapping),
      server(pr::ServerErrorCode::truncate_error), server(pr::ServerErrorCode::server_error),
      client(pr::client_errc::connection_error),   client(pr::client_errc::timeout),
  };
  for (std::size_t i = 0; i < errors.size(); ++i) {
    BOOST_TEST((verdict(errors[i], true) == pr::RetryVerdict::next_host), i);
    BOOST_TEST((verdict(errors[i], false) == pr::RetryVerdict::rethrow), i);
  }
}

BOOST_AUTO_TEST_CASE(request_errors_closed_sessions_and_unprepared) {
  for (auto code : {pr::ServerErrorCode::syntax_error, pr::ServerErrorCode::invalid,
                    pr::ServerErrorCode::unauthorized, pr::ServerErrorCode::already_exists,
                    pr::ServerErrorCode::read_failure, pr::ServerErrorCode::write_failure}) {
    BOOST_TEST((verdict(server(code), true) == pr::RetryVerdict::rethrow), static_cast<int>(code));
  }
  BOOST_TEST((verdict(client(pr::client_errc::closed), true) == pr::RetryVerdict::rethrow));
  BOOST_TEST((verdict(std::make_exception_ptr(std::runtime_error("x")), true) ==
              pr::RetryVerdict::rethrow));
  BOOST_TEST(
      (verdict(server(pr::ServerErrorCode::unprepared), false) == pr::RetryVerdict::reprepare));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(client_timestamps)

BOOST_AUTO_TEST_CASE(strictly_increasing_when_the_clock_stalls_or_goes_back_with_one_warning) {
  std::vector<std::string> warnings;
  pr::detail::TimestampGenerator g([&](const std::string& w) { warnings.push_back(w); });
  BOOST_TEST(g.next_at(1'000'000'000) == 1'000'000'000);
  BOOST_TEST(g.next_at(1'000'000'000) == 1'000'000'001);  // stalled
  BOOST_TEST(g.next_at(2'000'000'000) == 2'000'000'000);  // moved on
  BOOST_TEST(g.next_at(1'999'999'000) == 2'000'000'001);  // went back 1 ms: no warning yet
  BOOST_TEST(warnings.empty());
  // Back by 5 s: still increasing, and said once (not for every write within a second).
  BOOST_TEST(g.next_at(1'995'000'000) == 2'000'000'002);
  BOOST_TEST(g.next_at(1'995'000'001) == 2'000'000'003);
  BOOST_REQUIRE(warnings.size() == 1u);
  BOOST_TEST(warnings[0].find("ahead of the clock") != std::string::npos, warnings[0]);
}

BOOST_AUTO_TEST_CASE(unique_across_threads) {
  pr::detail::TimestampGenerator g(nullptr);
  constexpr int kPerThread = 20000;
  std::vector<std::int64_t> a, b;
  std::thread t1([&] {
    for (int i = 0; i < kPerThread; ++i)
      a.push_back(g.next_at(5));
  });
  std::thread t2([&] {
    for (int i = 0; i < kPerThread; ++i)
      b.push_back(g.next_at(5));
  });
  t1.join();
  t2.join();
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  BOOST_TEST((std::adjacent_find(a.begin(), a.end()) == a.end()));
  BOOST_TEST(a.back() == 5 + 2 * kPerThread - 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(latency_histogram)

BOOST_AUTO_TEST_CASE(percentiles_within_a_bucket_of_the_truth_and_following_the_host) {
  pr::detail::LatencyHistogram h;
  for (int i = 0; i < 99; ++i)
    h.record(std::chrono::microseconds(1000));
  BOOST_TEST(!h.percentile(50).has_value());  // too few samples yet
  h.record(std::chrono::microseconds(1000));
  // 90 fast answers at 1 ms and 10 slow ones at 50 ms (100 above).
  for (int i = 0; i < 10; ++i)
    h.record(std::chrono::microseconds(50'000));
  const auto p50 = h.percentile(50)->count();
  const auto p99 = h.percentile(99)->count();
  BOOST_TEST(p50 >= 1000);
  BOOST_TEST(p50 <= 1250);  // the bucket's upper bound: within 25%
  BOOST_TEST(p99 >= 50'000);
  BOOST_TEST(p99 <= 62'500);
  // The host slows down for good: older samples fade (halved every 1,024).
  for (int i = 0; i < 5000; ++i)
    h.record(std::chrono::microseconds(200'000));
  BOOST_TEST(h.percentile(50)->count() >= 200'000);
}

BOOST_AUTO_TEST_SUITE_END()
