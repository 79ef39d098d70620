#include "nosqlc/bench/runner.hpp"

#include "nosqlc/bench/allocations.hpp"

#include <nosqlc/nosql/cassandra/url.hpp>
#include <nosqlc/nosql/document.hpp>
#include <nosqlc/nosql/errors.hpp>
#include <nosqlc/protocol/client/session.hpp>

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

// The CQL session of Api::raw, with the document layer's statements on the same table.
struct Runner::Raw {
  std::shared_ptr<protocol::Session> session;
  protocol::PreparedPtr put, get;
  std::string document;  // one document's JSON text, bound by every store
};

Runner::Runner(Client& client, const Options& options, std::string url, Properties login)
    : options_(options),
      url_(std::move(url)),
      login_(std::move(login)),
      collection_(client.get_collection(collection_name())) {
  // Pad so that a document serializes to about doc_bytes.
  Document probe{{"seq", 1000000}, {"kind", "nosqlc-bench"}, {"payload", ""}};
  std::size_t base = boost::json::serialize(probe).size();
  padding_.assign(options.doc_bytes > base ? options.doc_bytes - base : 0, 'x');
}

Runner::~Runner() = default;

asio::awaitable<void> Runner::open_raw() {
  if (raw_) co_return;
  // The table exists once the document API has used the collection.
  (void)co_await collection_.get(key_of(0));
  auto config = cassandra::parse_url(url_);
  auto raw = std::make_unique<Raw>();
  raw->session = co_await protocol::Session::connect(co_await asio::this_coro::executor,
                                                     cassandra::session_options(config, login_));
  const std::string table = config.keyspace + "." + collection_.name();
  raw->put = co_await raw->session->prepare("INSERT INTO " + table + " (pk, data) VALUES (?, ?)");
  raw->get = co_await raw->session->prepare("SELECT data FROM " + table + " WHERE pk = ?");
  raw->document = json_text(document(0));
  raw_ = std::move(raw);
}

asio::awaitable<void> Runner::one_op(bool write, std::uint64_t k, const std::string& key) {
  if (!raw_) {
    if (write) {
      co_await collection_.store(key, document(k));
    } else {
      auto got = co_await collection_.get(key);
      if (!got && loaded_) throw Error(errc::document_not_found, "no document at " + key);
    }
    co_return;
  }
  auto bytes = [](const std::string& s) {
    return protocol::Value::of(
        protocol::BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  };
  if (write) {
    std::vector<protocol::Value> values{bytes(key), bytes(raw_->document)};
    co_await raw_->session->execute(raw_->put, std::move(values));
  } else {
    std::vector<protocol::Value> values{bytes(key)};
    auto r = co_await raw_->session->execute(raw_->get, std::move(values));
    const auto* rows = r.rows();
    if ((rows == nullptr || rows->row_count == 0) && loaded_) {
      throw Error(errc::document_not_found, "no document at " + key);
    }
  }
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
  if (options_.api == Api::raw) co_await open_raw();
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
  const std::uint64_t allocations_start = allocations_so_far();
  std::uint64_t issued = 0;
  auto worker = [&](std::size_t id) -> asio::awaitable<void> {
    std::minstd_rand rng(static_cast<unsigned>(id * 7919 + 17));
    std::uniform_int_distribution<std::uint64_t> pick(0, options_.docs - 1);
    std::uniform_int_distribution<int> percent(0, 99);
    while (issued < limit && Clock::now() < deadline) {
      ++issued;
      std::uint64_t k = pick(rng);
      bool write = w == Workload::store || (w == Workload::mixed && percent(rng) < 10);
      std::string key = key_of(k);
      auto t0 = Clock::now();
      try {
        co_await one_op(write, k, key);
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
  r.allocations = allocations_so_far() - allocations_start;
  r.peak_rss_mib = peak_rss_mib();
  co_return r;
}

asio::awaitable<Result> Runner::run_scan() {
  Result r;
  r.workload = Workload::find_scan;
  FindOptions fo;
  fo.page_size = options_.page_size;
  fo.scan_concurrency = options_.scan_concurrency;
  if (options_.scan_latency_ms) co_await set_latency(*options_.scan_latency_ms);
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
  if (options_.scan_latency_ms) co_await set_latency(0);
  if (r.errors == 0 && r.ops != options_.docs) {
    ++r.errors;
    r.first_error = "the scan read " + std::to_string(r.ops) + " documents, expected " +
                    std::to_string(options_.docs);
  }
  co_return r;
}

asio::awaitable<void> Runner::set_latency(int ms) {
  auto config = cassandra::parse_url(url_);
  auto session = co_await protocol::Session::connect(co_await asio::this_coro::executor,
                                                     cassandra::session_options(config, login_));
  auto nodes = co_await session->query("SELECT address FROM sandbox.nodes");
  std::vector<std::string> addresses;
  if (const auto* rows = nodes.rows()) {
    for (auto row : rows->rows()) {
      if (auto a = row[0])
        addresses.emplace_back(reinterpret_cast<const char*>(a->data()), a->size());
    }
  }
  for (const auto& a : addresses) {
    co_await session->query("UPDATE sandbox.nodes SET latency_ms = " + std::to_string(ms) +
                            " WHERE address = '" + a + "'");
  }
  co_await session->close();
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
  if (raw_) co_await raw_->session->close();
}

}  // namespace nosqlc::bench
