// The Cassandra document driver end to end, beyond the compliance suite: concurrent updates of
// one key from several clients, large paged finds, a node lost mid-scan, pynosqlc's rows,
// key pushdown, keyspace creation, and the errors of an unreachable, silent or
// password-protected cluster.
#include "cassandra_fixture.hpp"

#include <nosqlc/nosql/cassandra/url.hpp>

#include <filesystem>
#include <set>

#include <unistd.h>

using namespace cassandra_test;
using nosqlc::Document;
using nosqlc::errc;
using nosqlc::Filter;

namespace {

asio::awaitable<std::size_t> count_all(nosqlc::Collection& col, nosqlc::FindOptions o = {}) {
  auto cursor = co_await col.find(nosqlc::filter::Ast{}, o);
  std::size_t n = 0;
  while (co_await cursor.next())
    ++n;
  co_return n;
}

// Stores `n` documents {"i": i, "even": bool} with up to `in_flight` writes at once.
asio::awaitable<void> store_many(nosqlc::Collection& col, int n, int in_flight) {
  int next = 0;
  auto worker = [&](int) -> asio::awaitable<void> {
    while (next < n) {
      int i = next++;
      Document d;
      d["i"] = i;
      d["even"] = i % 2 == 0;
      co_await col.store("doc" + std::to_string(i), d);
    }
  };
  co_await concurrently(in_flight, worker);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cassandra_driver)

BOOST_AUTO_TEST_CASE(rows_written_by_pynosqlc_read_back_with_id) {
  Database db;
  std::string url = db.url(fresh_keyspace("legacy"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("people");
    co_await col.store("seed", doc(R"({"x":1})"));  // creates the table
    // pynosqlc stores the document as JSON without _id.
    auto raw = co_await raw_session(url);
    auto ks = nosqlc::cassandra::parse_url(url).keyspace;
    co_await raw->query("INSERT INTO " + ks +
                        ".people (pk, data) VALUES ('py-1', '{\"name\": \"Ada\", \"age\": 36}')");
    auto got = co_await col.get("py-1");
    BOOST_REQUIRE(got.has_value());
    BOOST_TEST(json::serialize(*got) == R"({"name":"Ada","age":36,"_id":"py-1"})");
    auto cursor = co_await col.find(Filter::where("name").eq("Ada").build());
    BOOST_REQUIRE(co_await cursor.next());
    BOOST_TEST(cursor.document().at("_id") == json::value("py-1"));
    BOOST_TEST(!co_await cursor.next());
    // And what we store is what pynosqlc reads: the table layout of DESIGN.md.
    auto r = co_await raw->query("SELECT pk, data FROM " + ks + ".people WHERE pk = 'seed'");
    BOOST_REQUIRE(r.rows() && r.rows()->row_count == 1);
    auto cell = (*r.rows()->rows().begin())[1];
    BOOST_REQUIRE(cell.has_value());
    BOOST_TEST(std::string(reinterpret_cast<const char*>(cell->data()), cell->size()) ==
               R"({"x":1})");
    co_await raw->close();
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(concurrent_updates_from_8_clients_lose_no_patch) {
  Database db;
  std::string url = db.url(fresh_keyspace("cas"));
  constexpr int kClients = 8, kUpdates = 10;
  run([&]() -> asio::awaitable<void> {
    auto first = co_await nosqlc::DriverManager::get_client(url);
    co_await first->get_collection("counters").store("shared", doc(R"({"start":true})"));
    std::vector<std::shared_ptr<nosqlc::Client>> clients;
    for (int c = 0; c < kClients; ++c)
      clients.push_back(co_await nosqlc::DriverManager::get_client(url));
    auto updater = [&](int c) -> asio::awaitable<void> {
      auto& col = clients[static_cast<std::size_t>(c)]->get_collection("counters");
      for (int u = 0; u < kUpdates; ++u) {
        Document patch;
        patch["c" + std::to_string(c) + "_" + std::to_string(u)] = u;
        co_await col.update("shared", patch);
      }
    };
    co_await concurrently(kClients, updater);
    auto got = co_await first->get_collection("counters").get("shared");
    BOOST_REQUIRE(got.has_value());
    // Every patch of every client is there: start, _id and 80 fields.
    BOOST_TEST(got->size() == static_cast<std::size_t>(2 + kClients * kUpdates));
    for (int c = 0; c < kClients; ++c) {
      for (int u = 0; u < kUpdates; ++u) {
        std::string f = "c" + std::to_string(c) + "_" + std::to_string(u);
        BOOST_TEST(got->contains(f), f);
      }
    }
    for (auto& c : clients)
      co_await c->close();
    co_await first->close();
  }());
}

BOOST_AUTO_TEST_CASE(find_over_20000_documents_across_many_pages) {
  Database db;
  std::string url = db.url(fresh_keyspace("big"), "page_size=700");
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("many");
    co_await store_many(col, 20000, 128);
    auto cursor = co_await col.find(nosqlc::filter::Ast{});
    std::set<std::string> ids;
    std::size_t n = 0;
    while (co_await cursor.next()) {
      ids.insert(std::string(cursor.document().at("_id").as_string()));
      ++n;
    }
    BOOST_TEST(n == 20000u);
    BOOST_TEST(ids.size() == 20000u);  // each document exactly once
    auto even = co_await col.find(Filter::where("even").eq(true).build(),
                                  nosqlc::FindOptions{.page_size = 333});
    auto docs = co_await even.documents();
    BOOST_TEST(docs.size() == 10000u);
    BOOST_TEST(std::all_of(docs.begin(), docs.end(),
                           [](const Document& d) { return d.at("i").as_int64() % 2 == 0; }));
    BOOST_TEST(co_await count_all(col, nosqlc::FindOptions{.limit = 123}) == 123u);
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(key_filters_find_exactly_their_documents) {
  Database db;
  std::string url = db.url(fresh_keyspace("keys"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("k");
    co_await store_many(col, 300, 32);
    json::array wanted{"doc1", "doc2", "doc250", "missing"};
    auto by_in = co_await col.find(Filter::where("_id").in_(wanted).build());
    std::set<std::string> ids;
    for (const auto& d : co_await by_in.documents())
      ids.insert(std::string(d.at("_id").as_string()));
    BOOST_TEST((ids == std::set<std::string>{"doc1", "doc2", "doc250"}));
    auto both = co_await col.find(Filter::where("_id").in_(wanted).and_("even").eq(true).build());
    auto docs = co_await both.documents();
    BOOST_REQUIRE(docs.size() == 2u);  // doc2 and doc250
    auto one = co_await col.find(Filter::where("_id").eq("doc7").build());
    BOOST_REQUIRE(co_await one.next());
    BOOST_TEST(one.document().at("i") == json::value(7));
    BOOST_TEST(!co_await one.next());
    if (db.sandbox()) {
      // Pushed down to the key: three lookups by key, never a scan of the table.
      std::string table = nosqlc::cassandra::parse_url(url).keyspace + ".k";
      BOOST_TEST(db.server->times_run("SELECT pk, data FROM " + table + " WHERE pk IN ?") == 3u);
      BOOST_TEST(db.server->times_run("SELECT pk, data FROM " + table) == 0u);
    }
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(collection_names_fold_and_keyspace_is_created_with_replication) {
  Database db;
  std::string ks = fresh_keyspace("repl");
  // The local data centre holds replicas: LOCAL_ONE writes need one there (as in Cassandra).
  std::string url = db.url(ks, "replication=NetworkTopologyStrategy:datacenter1=3,dc2=2");
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    co_await client->get_collection("Orders").store("a", doc(R"({"v":1})"));
    auto got = co_await client->get_collection("orders").get("a");
    BOOST_TEST(got.has_value());  // one table: names fold to lower case
    BOOST_TEST(client->get_collection("ORDERS").name() == std::string("orders"));
    Document empty;
    co_await client->get_collection("Zebra").store("z", empty);
    auto names = co_await client->collection_names();
    BOOST_REQUIRE(names.size() == 2u);
    BOOST_TEST(names[0] == std::string("orders"));
    BOOST_TEST(names[1] == std::string("zebra"));
    auto raw = co_await raw_session(url);
    auto r = co_await raw->query(
        "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = '" + ks + "'");
    BOOST_REQUIRE(r.rows() && r.rows()->row_count == 1);
    json::value repl;
    BOOST_REQUIRE(
        pr::decode_to_json(r.rows()->metadata.columns[0].type, (*r.rows()->rows().begin())[0], repl)
            .ok());
    BOOST_TEST(repl.at("datacenter1") == json::value("3"));
    BOOST_TEST(repl.at("dc2") == json::value("2"));
    BOOST_TEST(repl.at("class").as_string().ends_with("NetworkTopologyStrategy"));
    co_await raw->close();
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(concurrent_first_use_creates_the_table_once) {
  Database db;
  std::string url = db.url(fresh_keyspace("first"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("fresh");
    auto store = [&](int i) -> asio::awaitable<void> {
      Document d;
      d["i"] = i;
      co_await col.store("k" + std::to_string(i), d);
    };
    co_await concurrently(50, store);
    if (db.sandbox()) {
      std::string table = nosqlc::cassandra::parse_url(url).keyspace + ".fresh";
      BOOST_TEST(db.server->times_run("CREATE TABLE IF NOT EXISTS " + table +
                                      " (pk text PRIMARY KEY, data text)") == 1u);
    }
    BOOST_TEST(co_await count_all(col) == 50u);
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(node_killed_mid_scan_fails_cleanly_or_completes) {
  Database db(3);
  if (!db.sandbox()) return;  // needs the sandbox's test API
  std::string url =
      db.url(fresh_keyspace("kill"), "request_timeout_ms=2000&connect_timeout_ms=2000");
  std::string outcome;
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("scan");
    co_await store_many(col, 3000, 64);
    auto cursor = co_await col.find(nosqlc::filter::Ast{}, nosqlc::FindOptions{.page_size = 100});
    std::set<std::string> ids;
    try {
      while (co_await cursor.next()) {
        ids.insert(std::string(cursor.document().at("_id").as_string()));
        if (ids.size() == 500) db.server->stop_node(0);
      }
      outcome = "completed";
      BOOST_TEST(ids.size() == 3000u);  // completing means every document, once
    } catch (const nosqlc::Error& e) {
      outcome = std::string("failed: ") + e.what();
      // The stopped node's ranges have no replica left: Unavailable, as from Cassandra.
      const auto* server_error = dynamic_cast<const nosqlc::ServerError*>(&e);
      BOOST_TEST((e.kind() == errc::connection_error || e.kind() == errc::timeout ||
                  (server_error && server_error->server_code() == 0x1000)),
                 e.what());
    }
    co_await client->close();
  }());
  BOOST_TEST_MESSAGE("scan with a node killed: " << outcome);
  BOOST_TEST(!outcome.empty());
}

BOOST_AUTO_TEST_CASE(unreachable_silent_and_locked_clusters_each_say_so) {
  if (real_cassandra_url()) return;  // these need servers the test controls
  // Nothing listens on port 1.
  auto unreachable = nosqlc::block_on(nosqlc::attempt(nosqlc::DriverManager::get_client(
      "nosqlc:cassandra:127.0.0.1:1/ks?connect_timeout_ms=2000")));
  BOOST_TEST((unreachable.error == nosqlc::make_error_code(errc::connection_error)),
             unreachable.message);

  // A node that never answers: a timeout, at connect and for a request.
  sb::ServerOptions o;
  o.port = 0;
  sb::Server silent_server(o);
  sb::Faults silent;
  silent.silent = true;
  silent_server.set_faults(0, silent);
  std::string silent_url = "nosqlc:cassandra:127.0.0.1:" + std::to_string(silent_server.port()) +
                           "/ks?connect_timeout_ms=500&request_timeout_ms=500";
  auto at_connect =
      nosqlc::block_on(nosqlc::attempt(nosqlc::DriverManager::get_client(silent_url)));
  BOOST_TEST((at_connect.error == nosqlc::make_error_code(errc::timeout)), at_connect.message);
  silent_server.set_faults(0, {});
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(silent_url);
    auto& col = client->get_collection("t");
    co_await col.store("a", doc("{}"));
    silent_server.set_faults(0, silent);
    auto r = co_await nosqlc::attempt(col.get("a"));
    BOOST_TEST((r.error == nosqlc::make_error_code(errc::timeout)), r.message);
    silent_server.set_faults(0, {});
    co_await client->close();
  }());

  // Password protected.
  o.users = {{"app", "s3cret-pass"}};
  sb::Server locked(o);
  std::string locked_url = "nosqlc:cassandra:127.0.0.1:" + std::to_string(locked.port()) + "/ks";
  auto none = nosqlc::block_on(nosqlc::attempt(nosqlc::DriverManager::get_client(locked_url)));
  BOOST_TEST((none.error == nosqlc::make_error_code(errc::authentication_error)), none.message);
  nosqlc::ClientDataSource wrong(locked_url, "app", "not-the-password");
  auto bad = nosqlc::block_on(nosqlc::attempt(wrong.get_client()));
  BOOST_TEST((bad.error == nosqlc::make_error_code(errc::authentication_error)), bad.message);
  BOOST_TEST(bad.message.find("not-the-password") == std::string::npos);  // never in messages
  nosqlc::ClientDataSource right(locked_url, "app", "s3cret-pass");
  run([&]() -> asio::awaitable<void> {
    auto client = co_await right.get_client();
    co_await client->get_collection("t").store("a", doc("{}"));
    BOOST_TEST((co_await client->get_collection("t").get("a")).has_value());
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(a_cursor_that_outlives_its_client_fails_cleanly) {
  Database db;
  std::string url = db.url(fresh_keyspace("outlive"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("c");
    co_await store_many(col, 100, 16);
    auto cursor = co_await col.find(nosqlc::filter::Ast{}, nosqlc::FindOptions{.page_size = 10});
    BOOST_REQUIRE(co_await cursor.next());
    co_await client->close();
    client.reset();  // the client, its session and its I/O thread's owner are gone
    auto rest = co_await nosqlc::attempt(cursor.documents());
    BOOST_TEST((rest.error == nosqlc::make_error_code(errc::client_closed)), rest.message);
    // Destroying the cursor afterwards releases the pager's state safely (ASan checks it).
  }());
}

#if NOSQLC_WITH_TLS  // a build without TLS refuses TLS options (tests/unit/client)
BOOST_AUTO_TEST_CASE(tls_and_compression_options_from_the_url) {
  if (real_cassandra_url()) return;  // needs a server with the test's certificates
  auto dir = std::filesystem::temp_directory_path() /
             ("nosqlc-driver-certs-" + std::to_string(::getpid()));
  std::string cmd =
      std::string("bash '") + NOSQLC_MAKE_CERTS + "' '" + dir.string() + "' >/dev/null";
  BOOST_REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "openssl could not make certificates");
  sb::ServerOptions o;
  o.port = 0;
  o.tls_cert = (dir / "server.pem").string();
  o.tls_key = (dir / "server.key").string();
  sb::Server server(o);
  std::string base = "nosqlc:cassandra:127.0.0.1:" + std::to_string(server.port()) + "/tlsks";
  for (std::string compression : {"lz4", "none"}) {
    std::string url =
        base + "?tls=true&tls_ca=" + (dir / "ca.pem").string() + "&compression=" + compression;
    run([&]() -> asio::awaitable<void> {
      auto client = co_await nosqlc::DriverManager::get_client(url);
      co_await client->get_collection("secure").store("a", doc(R"({"over":"tls"})"));
      auto got = co_await client->get_collection("secure").get("a");
      BOOST_TEST(got.has_value());
      co_await client->close();
    }());
  }
  // A CA that did not sign the server's certificate: refused, as a connection error.
  auto rogue = nosqlc::block_on(nosqlc::attempt(nosqlc::DriverManager::get_client(
      base + "?tls=true&connect_timeout_ms=2000&tls_ca=" + (dir / "rogue.pem").string())));
  BOOST_TEST((rogue.error == nosqlc::make_error_code(errc::connection_error)), rogue.message);
  // Plain TCP to a TLS server never completes a handshake, and the error says why it may be.
  auto plain = nosqlc::block_on(
      nosqlc::attempt(nosqlc::DriverManager::get_client(base + "?connect_timeout_ms=1000")));
  BOOST_TEST(!!plain.error);
  BOOST_TEST(plain.message.find("tls=true") != std::string::npos, plain.message);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
