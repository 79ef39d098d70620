// Concurrency cases: many coroutines using one client at once.
#include "compliance_support.hpp"

#include <asio/co_spawn.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <set>

namespace nosqlc::compliance::detail {
namespace {

using filter::Filter;

// Runs every operation as its own coroutine on the current executor and waits for all of
// them; rethrows the first failure once all have finished.
asio::awaitable<void> run_all(std::vector<asio::awaitable<void>> ops) {
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer done(ex, asio::steady_timer::time_point::max());
  std::size_t remaining = ops.size();
  std::exception_ptr first_error;
  for (auto& op : ops) {
    asio::co_spawn(ex, std::move(op), [&](std::exception_ptr e) {
      if (e && !first_error) first_error = e;
      // The timer is only an event: cancelling it wakes the waiter below.
      if (--remaining == 0) done.cancel();
    });
  }
  if (remaining > 0) {
    std::error_code ec;
    co_await done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (first_error) std::rethrow_exception(first_error);
}

asio::awaitable<void> concurrent_stores_are_all_kept(Context& ctx) {
  auto& col = ctx.collection();
  std::vector<asio::awaitable<void>> ops;
  for (int i = 0; i < 50; ++i)
    ops.push_back(col.store("c" + std::to_string(i), {{"i", i}}));
  co_await run_all(std::move(ops));
  auto docs = co_await find_all(col);
  BOOST_TEST(docs.size() == 50u);
  auto ids = sorted_ids(docs);
  BOOST_TEST((std::adjacent_find(ids.begin(), ids.end()) == ids.end()));
}

asio::awaitable<void> concurrent_inserts_get_distinct_keys(Context& ctx) {
  auto& col = ctx.collection();
  std::set<std::string> keys;
  std::vector<asio::awaitable<void>> ops;
  for (int i = 0; i < 50; ++i) {
    ops.push_back([](Collection& c, std::set<std::string>& out, int n) -> asio::awaitable<void> {
      Document doc{{"n", n}};
      out.insert(co_await c.insert(std::move(doc)));
    }(col, keys, i));
  }
  co_await run_all(std::move(ops));
  BOOST_TEST(keys.size() == 50u);
  BOOST_TEST((co_await find_all(col)).size() == 50u);
}

asio::awaitable<void> concurrent_updates_of_one_document_are_not_lost(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("shared", R"({"base":true})"_doc);
  std::vector<asio::awaitable<void>> ops;
  for (int i = 0; i < 20; ++i)
    ops.push_back(col.update("shared", {{"f" + std::to_string(i), i}}));
  co_await run_all(std::move(ops));
  auto doc = co_await col.get("shared");
  BOOST_TEST_REQUIRE(doc.has_value());
  for (int i = 0; i < 20; ++i) {
    auto* v = doc->if_contains("f" + std::to_string(i));
    BOOST_TEST((v && *v == i), "update of f" << i << " was lost");
  }
  BOOST_TEST(doc->at("base") == true);
}

asio::awaitable<void> concurrent_reads_writes_and_finds(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  int finds_ok = 0;
  std::vector<asio::awaitable<void>> ops;
  for (int i = 0; i < 20; ++i) {
    ops.push_back(col.store("w" + std::to_string(i), R"({"status":"new"})"_doc));
    ops.push_back([](Collection& c, int& ok) -> asio::awaitable<void> {
      auto docs = co_await find_all(c, Filter::where("status").eq("active"));
      if (sorted_ids(docs) == std::vector<std::string>{"f1", "f3", "f5"}) ++ok;
    }(col, finds_ok));
    ops.push_back([](Collection& c) -> asio::awaitable<void> {
      auto doc = co_await c.get("f2");
      BOOST_TEST((doc && doc->at("name") == jv("Bob")));
    }(col));
  }
  co_await run_all(std::move(ops));
  BOOST_TEST(finds_ok == 20);
  BOOST_TEST((co_await find_all(col, Filter::where("status").eq("new"))).size() == 20u);
}

asio::awaitable<void> concurrent_clients(Context& ctx) {
  std::vector<std::shared_ptr<Client>> clients{ctx.client_ptr()};
  for (int i = 0; i < 3; ++i)
    clients.push_back(co_await ctx.open_client());
  std::vector<asio::awaitable<void>> ops;
  auto name = ctx.fresh_name();
  for (std::size_t c = 0; c < clients.size(); ++c) {
    auto& col = clients[c]->get_collection(name);
    for (int i = 0; i < 5; ++i)
      ops.push_back(col.store("c" + std::to_string(c) + "_" + std::to_string(i), {{"c", c}}));
  }
  co_await run_all(std::move(ops));
  for (std::size_t c = 0; c < clients.size(); ++c) {
    auto& col = clients[c]->get_collection(name);
    auto doc = co_await col.get("c" + std::to_string(c) + "_4");
    BOOST_TEST((doc && doc->at("c") == c));
    auto mine = co_await find_all(col, Filter::where("c").eq(c));
    BOOST_TEST(mine.size() == 5u);
  }
  // Whether clients share a store is the driver's business; clean every client's view.
  for (auto& client : clients) {
    auto& col = client->get_collection(name);
    for (const auto& doc : co_await find_all(col))
      co_await col.del(std::string_view(doc.at("_id").as_string()));
  }
}

}  // namespace

std::vector<Case> concurrency_cases() {
  return {
      {"concurrent_stores_are_all_kept", concurrent_stores_are_all_kept},
      {"concurrent_inserts_get_distinct_keys", concurrent_inserts_get_distinct_keys},
      {"concurrent_updates_of_one_document_are_not_lost",
       concurrent_updates_of_one_document_are_not_lost},
      {"concurrent_reads_writes_and_finds", concurrent_reads_writes_and_finds},
      {"concurrent_clients", concurrent_clients},
  };
}

}  // namespace nosqlc::compliance::detail
