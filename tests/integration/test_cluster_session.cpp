// The cluster-aware session against a multi-node sandbox: it finds every node from one
// contact point, keeps working when the contact point goes, skips a node reported DOWN and
// uses it again as soon as it is UP. (Sandbox only: nodes are stopped through its test API.)
#include "cluster_fixture.hpp"

#include <algorithm>

using namespace cassandra_test;
using namespace std::chrono_literals;

namespace {

std::size_t connections_to(const pr::Session& s, const std::string& address) {
  for (const auto& h : s.hosts()) {
    if (h.info.address == address) return h.connections;
  }
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_session)

BOOST_AUTO_TEST_CASE(every_node_is_found_from_one_contact_point) {
  if (real_cassandra_url()) return;  // the sandbox's topology is what is checked
  Database db(3);
  run([&]() -> asio::awaitable<void> {
    auto o = one_contact(*db.server, 1);
    o.pool_size = 2;
    auto s = co_await pr::Session::connect(co_await asio::this_coro::executor, o);
    bool filled = co_await eventually([&] { return s->open_connections() == 6; });
    BOOST_TEST_REQUIRE(filled, s->open_connections());
    auto hosts = s->hosts();
    BOOST_TEST_REQUIRE(hosts.size() == 3u);
    BOOST_TEST(hosts[0].info.address == "127.0.0.2");  // the contact point reached, first
    std::vector<std::string> addresses;
    for (const auto& h : hosts) {
      addresses.push_back(h.info.address);
      BOOST_TEST(h.used);
      BOOST_TEST(h.up);
      BOOST_TEST(h.info.dc == "datacenter1");
      BOOST_TEST(!h.info.tokens.empty());
      BOOST_TEST(h.info.port == db.server->port());
    }
    std::sort(addresses.begin(), addresses.end());
    BOOST_TEST((addresses == std::vector<std::string>{"127.0.0.1", "127.0.0.2", "127.0.0.3"}));
    BOOST_TEST(s->local_dc() == "datacenter1");
    // Each node serves the pool's two connections (and the contact point the control one).
    for (std::size_t i = 0; i < 3; ++i)
      BOOST_TEST(db.server->connections(i) >= 2u);
    co_await s->close();
  }());
}

BOOST_AUTO_TEST_CASE(work_goes_on_when_the_contact_point_stops) {
  if (real_cassandra_url()) return;
  Database db(3);
  run([&]() -> asio::awaitable<void> {
    auto s = co_await pr::Session::connect(co_await asio::this_coro::executor,
                                           one_contact(*db.server, 0));
    bool filled = co_await eventually([&] { return s->open_connections() == 3; });
    BOOST_TEST_REQUIRE(filled);
    db.server->stop_node(0);
    for (int i = 0; i < 50; ++i) {
      auto r = co_await s->query("SELECT release_version FROM system.local");
      BOOST_TEST_REQUIRE(r.rows() != nullptr);
    }
    bool skipped = co_await eventually([&] { return connections_to(*s, "127.0.0.1") == 0; });
    BOOST_TEST(skipped);
    // The control connection moved to another node: node 0's UP reaches the session, whose
    // pool then connects to it again.
    db.server->restart_node(0);
    bool back = co_await eventually([&] { return connections_to(*s, "127.0.0.1") == 1; });
    BOOST_TEST(back);
    co_await s->close();
  }());
}

BOOST_AUTO_TEST_CASE(a_dead_first_contact_point_is_passed_over_at_connect) {
  if (real_cassandra_url()) return;
  Database db(3);
  db.server->stop_node(0);
  run([&]() -> asio::awaitable<void> {
    auto o = one_contact(*db.server, 0);
    o.contact_points.push_back({db.server->address(2).host, db.server->port()});
    auto s = co_await pr::Session::connect(co_await asio::this_coro::executor, o);
    auto r = co_await s->query("SELECT release_version FROM system.local");
    BOOST_TEST(r.rows() != nullptr);
    // Every node is known, the stopped one too; two serve.
    BOOST_TEST(s->hosts().size() == 3u);
    bool two = co_await eventually([&] { return s->open_connections() == 2; });
    BOOST_TEST(two);
    co_await s->close();
  }());
}

BOOST_AUTO_TEST_CASE(a_node_reported_up_is_used_again_without_waiting_out_its_backoff) {
  if (real_cassandra_url()) return;
  Database db(3);
  run([&]() -> asio::awaitable<void> {
    auto o = one_contact(*db.server, 0);
    // Once it has failed, a reconnection would wait at least 5 s: only the UP event can
    // bring the node back within the 4 s waited below.
    o.reconnect_base = 10s;
    o.reconnect_max = 10s;
    auto s = co_await pr::Session::connect(co_await asio::this_coro::executor, o);
    bool filled = co_await eventually([&] { return s->open_connections() == 3; });
    BOOST_TEST_REQUIRE(filled);
    db.server->stop_node(2);
    bool down = co_await eventually([&] {
      for (const auto& h : s->hosts()) {
        if (h.info.address == "127.0.0.3") return !h.up && h.connections == 0;
      }
      return false;
    });
    BOOST_TEST_REQUIRE(down);
    for (int i = 0; i < 30; ++i) {
      auto r = co_await s->query("SELECT release_version FROM system.local");
      BOOST_TEST_REQUIRE(r.rows() != nullptr);
    }
    db.server->restart_node(2);
    bool back = co_await eventually([&] { return connections_to(*s, "127.0.0.3") == 1; }, 4000ms);
    BOOST_TEST(back);
    co_await s->close();
  }());
}

BOOST_AUTO_TEST_CASE(a_host_filter_keeps_the_session_to_the_hosts_it_allows) {
  if (real_cassandra_url()) return;
  Database db(3);
  run([&]() -> asio::awaitable<void> {
    auto o = one_contact(*db.server, 0);
    o.host_filter = [](const pr::HostInfo& h) { return h.address != "127.0.0.2"; };
    auto s = co_await pr::Session::connect(co_await asio::this_coro::executor, o);
    bool filled = co_await eventually([&] { return s->open_connections() == 2; });
    BOOST_TEST_REQUIRE(filled);
    for (int i = 0; i < 20; ++i)
      co_await s->query("SELECT release_version FROM system.local");
    co_await pause(100ms);
    BOOST_TEST(db.server->connections(1) == 0u);
    BOOST_TEST(connections_to(*s, "127.0.0.2") == 0u);
    co_await s->close();
  }());
}

BOOST_AUTO_TEST_SUITE_END()
