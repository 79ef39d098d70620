// The Cassandra document driver's answers to what it must refuse or pass on: keys, documents
// and names Cassandra cannot hold, server errors with their code and fields, and a scan's
// bounded reading ahead.
#include "cassandra_fixture.hpp"

#include <nosqlc/nosql/cassandra/url.hpp>

#include <set>

using namespace cassandra_test;
using nosqlc::Document;
using nosqlc::errc;
using nosqlc::Filter;

namespace {

bool is(const nosqlc::Outcome<void>& r, errc e) {
  return r.error == nosqlc::make_error_code(e);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cassandra_driver_inputs)

BOOST_AUTO_TEST_CASE(keys_and_documents_cassandra_cannot_hold_are_invalid_argument) {
  Database db;
  std::string url = db.url(fresh_keyspace("inputs"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    const std::string long_key(70000, 'k');
    const std::string bad_utf8 = "caf\xC3";  // a truncated two-byte sequence
    for (const std::string& key : {long_key, bad_utf8}) {
      auto stored = co_await nosqlc::attempt(col.store(key, doc(R"({"a":1})")));
      BOOST_TEST(is(stored, errc::invalid_argument), stored.message);
      auto got = co_await nosqlc::attempt(col.get(key));
      BOOST_TEST((got.error == nosqlc::make_error_code(errc::invalid_argument)), got.message);
      auto updated = co_await nosqlc::attempt(col.update(key, doc(R"({"a":2})")));
      BOOST_TEST(is(updated, errc::invalid_argument), updated.message);
      auto deleted = co_await nosqlc::attempt(col.del(key));
      BOOST_TEST(is(deleted, errc::invalid_argument), deleted.message);
    }
    Document bad_doc;
    bad_doc["name"] = bad_utf8;
    auto stored = co_await nosqlc::attempt(col.store("k1", bad_doc));
    BOOST_TEST(is(stored, errc::invalid_argument), stored.message);
    BOOST_TEST(stored.message.find("UTF-8") != std::string::npos);
    co_await col.store("k2", doc(R"({"v":"ok"})"));
    auto patched = co_await nosqlc::attempt(col.update("k2", bad_doc));
    BOOST_TEST(is(patched, errc::invalid_argument), patched.message);
    auto k2 = co_await col.get("k2");
    BOOST_REQUIRE(k2.has_value());
    BOOST_TEST(k2->at("v") == json::value("ok"));  // the failed patch changed nothing
    BOOST_TEST(!k2->contains("name"));
    BOOST_TEST(!(co_await col.get("k1")).has_value());

    // Keys that cannot exist match nothing, next to one that does.
    json::array keys{json::string(long_key), json::string(bad_utf8), "", "k2"};
    auto found = co_await col.find(Filter::where("_id").in_(keys).build());
    auto docs = co_await found.documents();
    BOOST_REQUIRE(docs.size() == 1u);
    BOOST_TEST(docs[0].at("_id") == json::value("k2"));
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(reserved_words_cannot_name_collections_or_keyspaces) {
  Database db;
  std::string url = db.url(fresh_keyspace("reserved"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    for (const char* name : {"select", "Table", "TOKEN"}) {
      try {
        client->get_collection(name);
        BOOST_ERROR(std::string("no error for collection ") + name);
      } catch (const nosqlc::Error& e) {
        BOOST_TEST((e.kind() == errc::invalid_argument), e.what());
        BOOST_TEST(std::string(e.what()).find("reserved CQL keyword") != std::string::npos);
      }
    }
    // Unreserved keywords are fine as Cassandra allows them unquoted.
    co_await client->get_collection("ttl").store("a", doc("{}"));
    BOOST_TEST((co_await client->get_collection("ttl").get("a")).has_value());
    co_await client->close();
  }());
  auto r = nosqlc::block_on(nosqlc::attempt(nosqlc::DriverManager::get_client(db.url("Select"))));
  BOOST_TEST((r.error == nosqlc::make_error_code(errc::invalid_url)), r.message);
}

BOOST_AUTO_TEST_CASE(server_errors_carry_their_code_message_and_fields) {
  Database db;
  if (!db.sandbox()) return;  // needs the sandbox's fault injection
  std::string url = db.url(fresh_keyspace("errors"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    co_await col.store("a", doc(R"({"v":1})"));
    sb::Faults f;
    f.error = pr::ServerErrorCode::unavailable;
    f.error_share = 1;
    db.server->set_faults(0, f);
    try {
      co_await col.get("a");
      BOOST_ERROR("no error from a node answering Unavailable");
    } catch (const nosqlc::ServerError& e) {
      BOOST_TEST((e.kind() == errc::server_error));
      BOOST_TEST(e.server_code() == 0x1000);
      BOOST_TEST(!e.server_message().empty());
      BOOST_TEST(e.details().contains("consistency"));
      BOOST_TEST(e.details().contains("required"));
      BOOST_TEST(e.details().contains("alive"));
    }
    f.error = pr::ServerErrorCode::write_timeout;
    db.server->set_faults(0, f);
    try {
      co_await col.store("a", doc(R"({"v":2})"));
      BOOST_ERROR("no error from a node answering WriteTimeout");
    } catch (const nosqlc::ServerError& e) {
      BOOST_TEST(e.server_code() == 0x1100);
      BOOST_TEST(e.details().contains("write_type"));
      BOOST_TEST(e.details().contains("block_for"));
    }
    db.server->set_faults(0, {});
    auto a = co_await col.get("a");
    BOOST_REQUIRE(a.has_value());
    BOOST_TEST(a->at("v") == json::value(1));
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(a_scan_reads_at_most_one_page_ahead) {
  Database db;
  if (!db.sandbox()) return;  // counts the statements the server ran
  std::string url = db.url(fresh_keyspace("ahead"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    for (int i = 0; i < 1000; ++i)
      co_await col.store("d" + std::to_string(i), doc(R"({"x":1})"));
    std::string scan = "SELECT pk, data FROM " + nosqlc::cassandra::parse_url(url).keyspace +
                       ".docs WHERE token(pk) > ? AND token(pk) <= ?";
    for (std::size_t concurrency : {1u, 4u}) {
      const std::size_t before = db.server->times_run(scan);
      auto cursor =
          co_await col.find(nosqlc::filter::Ast{},
                            nosqlc::FindOptions{.page_size = 50, .scan_concurrency = concurrency});
      BOOST_REQUIRE(co_await cursor.next());
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(200));
      co_await pause.async_wait(asio::use_awaitable);
      // Per range read at once, the page being read and the one prefetched, however long the
      // caller waits.
      BOOST_TEST(db.server->times_run(scan) - before <= 2 * concurrency);
      std::size_t n = 1;
      while (co_await cursor.next())
        ++n;
      BOOST_TEST(n == 1000u);
      BOOST_TEST(db.server->times_run(scan) - before >= 20u);  // 1,000 rows in pages of 50
    }
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(first_use_waits_for_every_node_to_see_the_new_table) {
  Database db(3);
  if (!db.sandbox()) return;  // needs a cluster whose schema propagates slowly
  std::string url = db.url(fresh_keyspace("agree"));
  const std::string peers_query = "SELECT peer, rpc_address, schema_version FROM system.peers";
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& store = db.server->store();
    store.set_schema_lag(std::chrono::milliseconds(700));
    const std::size_t polls_before = db.server->times_run(peers_query);
    co_await client->get_collection("late").store("a", doc(R"({"v":1})"));
    // The driver went on only once the peers reported the new schema, polling meanwhile.
    BOOST_TEST((store.peer_schema_version() == store.schema_version()));
    BOOST_TEST(db.server->times_run(peers_query) - polls_before >= 2u);
    auto got = co_await client->get_collection("late").get("a");
    BOOST_TEST(got.has_value());
    store.set_schema_lag(std::chrono::milliseconds(0));
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(an_update_that_always_loses_its_compare_and_set_ends_with_conflict) {
  Database db;
  if (!db.sandbox()) return;  // needs a server whose conditions always fail
  std::string url = db.url(fresh_keyspace("conflict"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("hot");
    co_await col.store("k", doc(R"({"v":1})"));
    db.server->store().set_lwt_contention(true);
    auto r = co_await nosqlc::attempt(col.update("k", doc(R"({"v":2})")));
    db.server->store().set_lwt_contention(false);
    BOOST_TEST(is(r, errc::conflict), r.message);
    BOOST_TEST(r.message.find("compare-and-set") != std::string::npos);
    std::string cas = "UPDATE " + nosqlc::cassandra::parse_url(url).keyspace +
                      ".hot SET data = ? WHERE pk = ? IF data = ?";
    BOOST_TEST(db.server->times_run(cas) == 64u);  // bounded retries, then the error
    auto k = co_await col.get("k");
    BOOST_REQUIRE(k.has_value());
    BOOST_TEST(k->at("v") == json::value(1));
    co_await col.update("k", doc(R"({"v":3})"));  // without contention it applies again
    BOOST_TEST((co_await col.get("k"))->at("v") == json::value(3));
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_SUITE_END()
