// Per-call options and bulk writes through the memory driver: it applies ttl and deadline,
// refuses what it has no notion of (consistency, timestamp, trace) instead of ignoring it, and
// store_many/delete_many report each failure by index while doing the rest.
#include <nosqlc/nosql/async.hpp>
#include <nosqlc/nosql/client.hpp>
#include <nosqlc/nosql/driver_manager.hpp>
#include <nosqlc/nosql/memory.hpp>

#include <asio/steady_timer.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace std::chrono_literals;

namespace {

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

nosqlc::Document doc_of(int i) {
  nosqlc::Document d;
  d["i"] = i;
  return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(memory_call_options)

BOOST_AUTO_TEST_CASE(ttl_expires_documents_and_unsupported_settings_are_refused) {
  nosqlc::block_on([]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client("nosqlc:memory:");
    auto& col = client->get_collection("c");
    co_await col.store("short", doc_of(1), {.ttl = 1s});
    co_await col.store("long", doc_of(2), {.deadline = 50ms, .ttl = 3600s});
    co_await col.store("kept", doc_of(3));
    co_await sleep_for(1100ms);
    BOOST_TEST(!(co_await col.get("short")).has_value());
    BOOST_TEST((co_await col.get("long")).has_value());
    auto all = co_await (co_await col.find()).documents();
    BOOST_TEST(all.size() == 2u);  // the expired one is not found either
    auto missing = co_await nosqlc::attempt(col.update("short", doc_of(4)));
    BOOST_TEST((missing.error == nosqlc::make_error_code(nosqlc::errc::document_not_found)));
    // An update rewrites the document: with a ttl it expires, without one it stays.
    co_await col.update("kept", doc_of(5), {.ttl = 1s});
    co_await sleep_for(1100ms);
    BOOST_TEST(!(co_await col.get("kept")).has_value());

    auto unsupported = [](const auto& outcome) {
      return outcome.error == nosqlc::make_error_code(nosqlc::errc::unsupported_operation);
    };
    nosqlc::TraceIds ids;
    BOOST_TEST(unsupported(
        co_await nosqlc::attempt(col.get("long", {.consistency = nosqlc::Consistency::one}))));
    BOOST_TEST(unsupported(co_await nosqlc::attempt(col.store("x", doc_of(1), {.timestamp = 7}))));
    BOOST_TEST(unsupported(co_await nosqlc::attempt(col.del("x", {.trace = &ids}))));
    BOOST_TEST(unsupported(co_await nosqlc::attempt(
        col.update("long", doc_of(1), {.serial_consistency = nosqlc::Consistency::serial}))));
    BOOST_TEST(
        unsupported(co_await nosqlc::attempt(col.find(nosqlc::filter::Ast{}, {.trace = &ids}))));
    BOOST_TEST(unsupported(co_await nosqlc::attempt(client->read_trace("x"))));
    // Settings that cannot apply to the call are invalid for every driver.
    auto invalid = [](const auto& outcome) {
      return outcome.error == nosqlc::make_error_code(nosqlc::errc::invalid_argument);
    };
    BOOST_TEST(invalid(co_await nosqlc::attempt(col.del("x", {.ttl = 5s}))));
    BOOST_TEST(invalid(co_await nosqlc::attempt(col.insert(doc_of(1), {.ttl = -1s}))));
    BOOST_TEST(invalid(co_await nosqlc::attempt(col.get("x", {.deadline = 0ms}))));
    BOOST_TEST(client->metrics().requests == 0u);  // the memory driver counts nothing
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(bulk_writes_report_failures_by_index_and_do_the_rest) {
  nosqlc::block_on([]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client("nosqlc:memory:");
    auto& col = client->get_collection("c");
    std::vector<std::pair<std::string, nosqlc::Document>> items;
    for (int i = 0; i < 100; ++i)
      items.emplace_back(i % 40 == 13 ? "" : "k" + std::to_string(i), doc_of(i));
    auto r = co_await col.store_many(items, {.concurrency = 7});
    BOOST_TEST(r.succeeded == 97u);
    BOOST_REQUIRE(r.failures.size() == 3u);
    BOOST_TEST(r.failures[0].index == 13u);
    BOOST_TEST(r.failures[1].index == 53u);
    BOOST_TEST(r.failures[2].index == 93u);
    BOOST_TEST(r.failures[0].message.find("key") != std::string::npos, r.failures[0].message);
    BOOST_TEST((co_await col.get("k99"))->at("i").as_int64() == 99);
    const std::vector<std::string> doomed{"k1", "k2", "", "nothing-there"};
    auto d = co_await col.delete_many(doomed);
    BOOST_TEST(d.succeeded == 3u);
    BOOST_TEST(d.failures.size() == 1u);
    BOOST_TEST(!(co_await col.get("k1")).has_value());
    std::vector<std::pair<std::string, nosqlc::Document>> one;
    one.emplace_back("t", doc_of(1));
    auto with_ttl = co_await col.store_many(one, {.call = {.ttl = 1s}});
    BOOST_TEST(with_ttl.ok());
    co_await client->close();
    auto closed = co_await nosqlc::attempt(col.store_many(one));
    BOOST_TEST((closed.error == nosqlc::make_error_code(nosqlc::errc::client_closed)));
  }());
}

BOOST_AUTO_TEST_SUITE_END()
