// Where the cluster-aware session sends requests, checked against what the sandbox's nodes
// say they coordinated (sandbox.node_stats): DC-aware pools, keyed requests on replicas of
// their keys, compare-and-set on one fixed coordinator, nodes added, stopped and restarted
// through sandbox.nodes, and the client's replicas equal to the sandbox's. Sandbox only.
#include "cluster_fixture.hpp"

#include <nosqlc/protocol/cluster/murmur3.hpp>

#include <algorithm>
#include <map>
#include <set>

using namespace cassandra_test;
using namespace std::chrono_literals;

namespace {

// 6 nodes: dc1 (127.0.0.1-3, racks rack1 and rack2) and dc2 (127.0.0.4-6).
std::unique_ptr<sb::Server> two_dcs() {
  sb::ServerOptions o;
  o.port = 0;
  o.dcs = {{"dc1", 3, 2}, {"dc2", 3, 1}};
  return std::make_unique<sb::Server>(o);
}

std::int64_t coordinated(const sb::NodeStats& s) {
  return s.queries + s.executes + s.batches + s.prepares;
}

bool host_down(const pr::Session& s, const std::string& address) {
  for (const auto& h : s.hosts()) {
    if (h.info.address == address) return !h.up;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_routing)

BOOST_AUTO_TEST_CASE(local_dc_only_and_every_keyed_request_on_a_replica) {
  if (real_cassandra_url()) return;
  auto server = two_dcs();
  // One replica per DC: a keyed request on the wrong node of dc1 would show.
  const std::string url = "nosqlc:cassandra:" + contact(*server, 0) + "/" +
                          fresh_keyspace("routing") +
                          "?replication=NetworkTopologyStrategy:dc1=1,dc2=1&pool_size=2";
  run([&]() -> asio::awaitable<void> {
    auto raw =
        co_await pr::Session::connect(co_await asio::this_coro::executor, one_contact(*server, 0));
    bool pooled = co_await eventually([&] { return raw->open_connections() == 3; });
    BOOST_TEST(pooled, raw->open_connections());
    BOOST_TEST(raw->local_dc() == "dc1");
    for (const auto& h : raw->hosts()) {
      BOOST_TEST(h.used == (h.info.dc == "dc1"), h.info.address);
      if (h.info.dc == "dc2") BOOST_TEST(h.connections == 0u, h.info.address);
    }
    co_await raw->close();

    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    std::vector<std::string> keys;
    for (int i = 0; i < 120; ++i)
      keys.push_back("k" + std::to_string(i));
    for (const auto& k : keys)
      co_await col.store(k, doc(R"({"n":1})"));
    for (const auto& k : keys)
      BOOST_TEST((co_await col.get(k)).has_value());
    for (int i = 0; i < 30; ++i)
      co_await col.update(keys[static_cast<std::size_t>(i)], doc(R"({"n":2})"));
    for (int i = 100; i < 120; ++i)
      co_await col.del(keys[static_cast<std::size_t>(i)]);
    // A find over 60 known keys: IN queries grouped by replica.
    json::array ids;
    for (int i = 40; i < 100; ++i)
      ids.push_back(json::value(keys[static_cast<std::size_t>(i)]));
    auto cursor = co_await col.find(nosqlc::Filter::where("_id").in_(ids).build());
    BOOST_TEST((co_await cursor.documents()).size() == 60u);
    // And a full scan, which has no key: it stays in dc1 too.
    auto all = co_await col.find(nosqlc::filter::Ast{});
    BOOST_TEST((co_await all.documents()).size() == 100u);
    co_await client->close();
  }());
  std::int64_t keyed = 0;
  for (std::size_t i = 0; i < server->node_count(); ++i) {
    const auto st = server->node_stats(i);
    BOOST_TEST_CONTEXT("node " << server->address(i).host << " in " << server->dc(i)) {
      if (server->dc(i) == "dc2") BOOST_TEST(coordinated(st) == 0);
      BOOST_TEST(st.keyed_requests == st.replica_requests);
      keyed += st.keyed_requests;
    }
  }
  // 120 stores, 120 gets, 30 updates (a read and a compare-and-set each), 20 deletes and the
  // IN queries: every one of them keyed.
  BOOST_TEST(keyed >= 120 + 120 + 60 + 20 + 3);
}

BOOST_AUTO_TEST_CASE(compare_and_set_of_one_key_from_8_clients_meets_one_coordinator) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  const std::string ks = fresh_keyspace("cas");
  const std::string url =
      "nosqlc:cassandra:" + contact(*server, 0) + "/" + ks + "?replication=SimpleStrategy:2";
  const std::string cas_text = "UPDATE " + ks + ".hot SET data = ? WHERE pk = ? IF data = ?";
  run([&]() -> asio::awaitable<void> {
    std::vector<std::shared_ptr<nosqlc::Client>> clients;
    for (int i = 0; i < 8; ++i)
      clients.push_back(co_await nosqlc::DriverManager::get_client(url));
    co_await clients[0]->get_collection("hot").store("key", doc(R"({"n":0})"));
    auto task = [&](int i) -> asio::awaitable<void> {
      auto& col = clients[static_cast<std::size_t>(i)]->get_collection("hot");
      for (int round = 0; round < 5; ++round)
        co_await col.update("key",
                            doc("{\"c" + std::to_string(i) + "\":" + std::to_string(round) + "}"));
    };
    co_await concurrently(8, task);
    for (auto& c : clients)
      co_await c->close();
  }());
  std::set<std::size_t> coordinators;
  std::size_t runs = 0;
  for (std::size_t i = 0; i < server->node_count(); ++i) {
    const std::size_t n = server->times_run(cas_text, i);
    runs += n;
    if (n > 0) coordinators.insert(i);
  }
  BOOST_TEST(runs >= 40u);
  BOOST_TEST(coordinators.size() == 1u);
  // ... and that coordinator is the key's primary replica.
  const std::string key = "key";
  auto replicas = server->replicas(ks, bytes_of(key));
  BOOST_TEST_REQUIRE(replicas.size() == 2u);
  BOOST_TEST(server->address(*coordinators.begin()).host == replicas[0]);
}

BOOST_AUTO_TEST_CASE(nodes_added_stopped_and_restarted_through_sandbox_nodes) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  run([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    auto s = co_await pr::Session::connect(ex, one_contact(*server, 0));
    // The cluster is changed through node 1 only, never through the node being stopped.
    auto control_options = one_contact(*server, 0);
    control_options.host_filter = [](const pr::HostInfo& h) { return h.address == "127.0.0.1"; };
    auto control = co_await pr::Session::connect(ex, control_options);
    bool pooled = co_await eventually([&] { return s->open_connections() == 3; });
    BOOST_TEST_REQUIRE(pooled);

    co_await control->query(
        "INSERT INTO sandbox.nodes (address, dc) VALUES ('127.0.0.4', "
        "'datacenter1')");
    const auto added = std::chrono::steady_clock::now();
    auto idx = server->node_index("127.0.0.4");
    BOOST_TEST_REQUIRE(idx.has_value());
    auto stats = [&] { return server->node_stats(*idx).queries; };
    // Requests without a key go round-robin: the new node takes some within a second.
    bool used = false;
    while (!used && std::chrono::steady_clock::now() - added < 1000ms) {
      co_await s->query("SELECT release_version FROM system.local");
      used = stats() > 0;
      if (!used) co_await pause(2ms);
    }
    BOOST_TEST(used);
    auto listed = co_await control->query("SELECT address, dc, up FROM sandbox.nodes");
    BOOST_TEST(listed.rows()->row_count == 4);

    co_await control->query("UPDATE sandbox.nodes SET up = false WHERE address = '127.0.0.4'");
    bool down = co_await eventually([&] { return host_down(*s, "127.0.0.4"); });
    BOOST_TEST_REQUIRE(down);
    const auto before = stats();
    for (int i = 0; i < 60; ++i)
      co_await s->query("SELECT release_version FROM system.local");
    BOOST_TEST(stats() == before);

    co_await control->query("UPDATE sandbox.nodes SET up = true WHERE address = '127.0.0.4'");
    const auto restarted = std::chrono::steady_clock::now();
    used = false;
    while (!used && std::chrono::steady_clock::now() - restarted < 1000ms) {
      co_await s->query("SELECT release_version FROM system.local");
      used = stats() > before;
      if (!used) co_await pause(2ms);
    }
    BOOST_TEST(used);

    co_await control->query("DELETE FROM sandbox.nodes WHERE address = '127.0.0.4'");
    bool forgotten = co_await eventually([&] {
      auto hosts = s->hosts();
      return std::none_of(hosts.begin(), hosts.end(),
                          [](const auto& h) { return h.info.address == "127.0.0.4"; });
    });
    BOOST_TEST(forgotten);
    co_await control->close();
    co_await s->close();
  }());
}

BOOST_AUTO_TEST_CASE(replicas_the_client_computes_equal_the_sandbox_s) {
  if (real_cassandra_url()) return;
  auto server = two_dcs();
  run([&]() -> asio::awaitable<void> {
    auto s =
        co_await pr::Session::connect(co_await asio::this_coro::executor, one_contact(*server, 0));
    const std::map<std::string, std::string> keyspaces = {
        {fresh_keyspace("nts"), "{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}"},
        {fresh_keyspace("simple"), "{'class': 'SimpleStrategy', 'replication_factor': 2}"},
    };
    for (const auto& [ks, replication] : keyspaces) {
      co_await s->query("CREATE KEYSPACE " + ks + " WITH replication = " + replication);
    }
    std::mt19937_64 rng(42);
    for (const auto& [ks, replication] : keyspaces) {
      const std::string& name = ks;
      bool known = co_await eventually([&] { return !s->replicas(name, bytes_of("a")).empty(); });
      BOOST_TEST_REQUIRE(known, ks);
      std::size_t mismatches = 0, checked = 0;
      const std::size_t expected = replication.find("dc2") != std::string::npos ? 5 : 2;
      for (int i = 0; i < 10000; ++i) {
        pr::Bytes key(1 + rng() % 24);
        for (auto& b : key)
          b = static_cast<std::uint8_t>(rng());
        std::vector<std::string> mine;
        for (const auto& h : s->replicas(ks, key))
          mine.push_back(h.address);
        auto theirs = server->replicas(ks, key);
        if (mine != theirs || mine.size() != expected) ++mismatches;
        ++checked;
      }
      BOOST_TEST(checked == 10000u);
      BOOST_TEST(mismatches == 0u, ks);
    }
    co_await s->close();
  }());
}

BOOST_AUTO_TEST_SUITE_END()
