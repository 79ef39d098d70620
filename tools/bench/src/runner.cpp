#include "nosqlc/bench/runner.hpp"

#include <nosqlc/nosql/errors.hpp>

#include <asio/co_spawn.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <sys/resource.h>

#include <chrono>
#include <random>

namespace nosqlc::bench {
namespace {

using Clock = std::chrono::steady_clock;

double cpu_now() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

std::string collection_name() {
  std::random_device rd;
  return "bench_" + std::to_string(rd() % 1'000'000'000);
}

// Runs `worker(i)` for i in [0, n) concurrently and resumes when all are done.
template <class Worker>
asio::awaitable<void> all_of(std::size_t n, Worker& worker) {
  auto ex = co_await asio::this_coro::executor;
  auto left = std::make_shared<std::size_t>(n);
  auto done = std::make_shared<asio::steady_timer>(ex, asio::steady_timer::time_point::max());
  for (std::size_t i = 0; i < n; ++i) {
    asio::co_spawn(ex, worker(i), [left, done](std::exception_ptr) {
      if (--*left == 0) done->cancel();
    });
  }
  while (*left > 0) {
    std::error_code ec;
    co_await done->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace

std::string key_of(std::uint64_t i) {
  return "k" + std::to_string(i);
}

Runner::Runner(Client& client, const Options& options)
    : options_(options), collection_(client.get_collection(collection_name())) {
  // Pad so that a document serializes to about doc_bytes.
  Document probe{{"seq", 1000000}, {"kind", "nosqlc-bench"}, {"payload", ""}};
  std::size_t base = boost::json::serialize(probe).size();
  padding_.assign(options.doc_bytes > base ? options.doc_bytes - base : 0, 'x');
}

Document Runner::document(std::uint64_t seq) const {
  return Document{{"seq", seq}, {"kind", "nosqlc-bench"}, {"payload", padding_}};
}

asio::awaitable<void> Runner::prepare(Workload w) {
  if (loaded_ || w == Workload::store) co_return;
  std::uint64_t next = 0;
  std::exception_ptr failure;
  auto worker = [&](std::size_t) -> asio::awaitable<void> {
    while (next < options_.docs && !failure) {
      std::uint64_t i = next++;
      try {
        co_await collection_.store(key_of(i), document(i));
      } catch (...) {
        failure = std::current_exception();
      }
    }
  };
  co_await all_of(options_.concurrency, worker);
  if (failure) std::rethrow_exception(failure);
  loaded_ = true;
}

asio::awaitable<Result> Runner::run(Workload w) {
  if (w == Workload::find_scan) co_return co_await run_scan();
  co_return co_await run_ops(w);
}

asio::awaitable<Result> Runner::run_ops(Workload w) {
  Result r;
  r.workload = w;
  const std::uint64_t limit =
      options_.ops.value_or(options_.duration ? UINT64_MAX : std::uint64_t{100'000});
  const auto start = Clock::now();
  const auto deadline = options_.duration
                            ? start + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(*options_.duration))
                            : Clock::time_point::max();
  const double cpu_start = cpu_now();
  std::uint64_t issued = 0;
  auto worker = [&](std::size_t id) -> asio::awaitable<void> {
    std::minstd_rand rng(static_cast<unsigned>(id * 7919 + 17));
    std::uniform_int_distribution<std::uint64_t> pick(0, options_.docs - 1);
    std::uniform_int_distribution<int> percent(0, 99);
    while (issued < limit && Clock::now() < deadline) {
      ++issued;
      std::uint64_t k = pick(rng);
      bool write = w == Workload::store || (w == Workload::mixed && percent(rng) < 10);
      Document doc;
      if (write) doc = document(k);
      std::string key = key_of(k);
      auto t0 = Clock::now();
      try {
        if (write) {
          co_await collection_.store(key, std::move(doc));
        } else {
          auto got = co_await collection_.get(key);
          if (!got && loaded_) throw Error(errc::document_not_found, "no document at " + key);
        }
        r.latency.record(Clock::now() - t0);
        ++r.ops;
      } catch (const std::exception& e) {
        if (r.errors++ == 0) r.first_error = e.what();
      }
    }
  };
  co_await all_of(options_.concurrency, worker);
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.cpu_seconds = cpu_now() - cpu_start;
  r.peak_rss_mib = peak_rss_mib();
  co_return r;
}

asio::awaitable<Result> Runner::run_scan() {
  Result r;
  r.workload = Workload::find_scan;
  FindOptions fo;
  fo.page_size = options_.page_size;
  const auto start = Clock::now();
  const double cpu_start = cpu_now();
  try {
    auto t0 = Clock::now();
    auto cursor = co_await collection_.find(filter::Ast{}, fo);
    while (co_await cursor.next()) {
      auto t1 = Clock::now();
      r.latency.record(t1 - t0);
      t0 = t1;
      ++r.ops;
    }
  } catch (const std::exception& e) {
    ++r.errors;
    r.first_error = e.what();
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.cpu_seconds = cpu_now() - cpu_start;
  r.peak_rss_mib = peak_rss_mib();
  if (r.errors == 0 && r.ops != options_.docs) {
    ++r.errors;
    r.first_error = "the scan read " + std::to_string(r.ops) + " documents, expected " +
                    std::to_string(options_.docs);
  }
  co_return r;
}

asio::awaitable<void> Runner::cleanup() {
  std::uint64_t next = 0;
  auto worker = [&](std::size_t) -> asio::awaitable<void> {
    while (next < options_.docs) {
      std::uint64_t i = next++;
      try {
        co_await collection_.del(key_of(i));
      } catch (const std::exception&) {
        // Best effort: the figures are already out.
      }
    }
  };
  co_await all_of(options_.concurrency, worker);
}

}  // namespace nosqlc::bench
