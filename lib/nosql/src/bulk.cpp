// store_many and delete_many: many independent writes with a bounded number in flight.
#include "nosqlc/nosql/collection.hpp"
#include "nosqlc/nosql/errors.hpp"

#include <asio/co_spawn.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <functional>

namespace nosqlc {
namespace {

// The state the workers share, on one strand.
struct Bulk {
  explicit Bulk(const asio::any_io_executor& ex) : done(ex) {}
  std::size_t count = 0;
  std::size_t next = 0;
  std::size_t running = 0;
  BulkResult result;
  asio::steady_timer done;  // cancelled when the last worker ends
};

using ItemOp = std::function<asio::awaitable<void>(std::size_t)>;
using KeyOf = std::function<std::string(std::size_t)>;

asio::awaitable<void> worker(std::shared_ptr<Bulk> bulk, ItemOp op, KeyOf key_of) {
  while (bulk->next < bulk->count) {
    const std::size_t i = bulk->next++;
    std::error_code code;
    std::string message;
    try {
      co_await op(i);
    } catch (const std::system_error& e) {
      code = e.code();
      message = e.what();
    } catch (const std::exception& e) {
      code = make_error_code(errc::invalid_argument);
      message = e.what();
    }
    if (code) {
      bulk->result.failures.push_back(BulkFailure{i, key_of(i), code, std::move(message)});
    } else {
      ++bulk->result.succeeded;
    }
  }
}

asio::awaitable<BulkResult> run_bulk(std::size_t count, std::size_t concurrency, ItemOp op,
                                     KeyOf key_of) {
  if (concurrency == 0) {
    throw Error(errc::invalid_argument, "invalid concurrency: must be at least 1");
  }
  auto strand = asio::make_strand(co_await asio::this_coro::executor);
  auto all = [](asio::strand<asio::any_io_executor> ex, std::size_t n, std::size_t width,
                ItemOp each, KeyOf key) -> asio::awaitable<BulkResult> {
    auto bulk = std::make_shared<Bulk>(ex);
    bulk->count = n;
    bulk->done.expires_at(asio::steady_timer::time_point::max());
    const std::size_t workers = std::min(width, n);
    for (std::size_t w = 0; w < workers; ++w) {
      ++bulk->running;
      asio::co_spawn(ex, worker(bulk, each, key), [bulk](std::exception_ptr) {
        if (--bulk->running == 0) bulk->done.cancel();
      });
    }
    while (bulk->running > 0) {
      std::error_code ec;
      co_await bulk->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    std::sort(bulk->result.failures.begin(), bulk->result.failures.end(),
              [](const BulkFailure& a, const BulkFailure& b) { return a.index < b.index; });
    co_return std::move(bulk->result);
  };
  co_return co_await asio::co_spawn(
      strand, all(strand, count, concurrency, std::move(op), std::move(key_of)),
      asio::use_awaitable);
}

}  // namespace

asio::awaitable<BulkResult> Collection::store_many(
    std::vector<std::pair<std::string, Document>> items, BulkOptions options) {
  check_open();
  auto shared = std::make_shared<std::vector<std::pair<std::string, Document>>>(std::move(items));
  const CallOptions call = options.call;
  ItemOp op = [this, shared, call](std::size_t i) -> asio::awaitable<void> {
    return store((*shared)[i].first, (*shared)[i].second, call);
  };
  KeyOf key = [shared](std::size_t i) { return (*shared)[i].first; };
  co_return co_await run_bulk(shared->size(), options.concurrency, std::move(op), std::move(key));
}

asio::awaitable<BulkResult> Collection::delete_many(std::vector<std::string> keys,
                                                    BulkOptions options) {
  check_open();
  auto shared = std::make_shared<std::vector<std::string>>(std::move(keys));
  const CallOptions call = options.call;
  ItemOp op = [this, shared, call](std::size_t i) -> asio::awaitable<void> {
    return del((*shared)[i], call);
  };
  KeyOf key = [shared](std::size_t i) { return (*shared)[i]; };
  co_return co_await run_bulk(shared->size(), options.concurrency, std::move(op), std::move(key));
}

}  // namespace nosqlc
