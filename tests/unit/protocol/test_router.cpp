// Discovery from system table rows, and the routing policy's query plans.
#include "nosqlc/protocol/cluster/hosts.hpp"
#include "nosqlc/protocol/cluster/router.hpp"
#include "nosqlc/protocol/values.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <string>
#include <vector>

namespace proto = nosqlc::protocol;
using proto::Bytes;
using proto::BytesView;
using proto::HostInfo;
using proto::Router;
using proto::RoutingPolicy;
using Plan = std::vector<std::uint32_t>;

namespace {

Bytes text(std::string_view s) {
  Bytes b;
  BOOST_REQUIRE(proto::encode_text(s, b).ok());
  return b;
}
Bytes inet(std::vector<std::uint8_t> address) {
  Bytes b;
  BOOST_REQUIRE(proto::encode_inet(proto::Inet{std::move(address), 0}, b).ok());
  return b;
}
Bytes int32(std::int32_t v) {
  Bytes b;
  proto::encode_int(v, b);
  return b;
}
Bytes tokens(const std::vector<std::string>& ts) {
  std::vector<Bytes> owned;
  for (const auto& t : ts)
    owned.push_back(text(t));
  std::vector<BytesView> views(owned.begin(), owned.end());
  Bytes b;
  BOOST_REQUIRE(proto::encode_collection(views, b).ok());
  return b;
}

// Rows with named text-typed columns (read_hosts finds columns by name only).
struct Table {
  std::vector<proto::ColumnSpec> columns;
  proto::RowsBuilder builder;
  explicit Table(const std::vector<std::string>& names) : builder(names.size()) {
    for (const auto& n : names)
      columns.push_back({"system", "t", n, {}});
  }
  void add(const std::vector<std::optional<Bytes>>& cells) {
    std::vector<std::optional<BytesView>> views;
    for (const auto& c : cells)
      views.push_back(c ? std::optional<BytesView>(*c) : std::nullopt);
    BOOST_REQUIRE(builder.add_row(views).ok());
  }
  proto::RowsResult rows() const { return builder.result(proto::ResultMetadata::of(columns)); }
};

HostInfo host(std::string address, std::string dc, std::string rack, std::vector<std::int64_t> ts) {
  HostInfo h;
  h.address = std::move(address);
  h.dc = std::move(dc);
  h.rack = std::move(rack);
  h.tokens = std::move(ts);
  return h;
}

std::size_t no_load(std::uint32_t) {
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_discovery)

BOOST_AUTO_TEST_CASE(hosts_come_from_local_and_peers_rows) {
  Table local({"rpc_address", "data_center", "rack", "tokens", "partitioner"});
  local.add({inet({0, 0, 0, 0}), text("dc1"), text("r1"), tokens({"-5", "7"}),
             text("org.apache.cassandra.dht.Murmur3Partitioner")});
  Table peers({"peer", "native_address", "native_port", "data_center", "rack", "tokens"});
  peers.add({inet({127, 0, 0, 2}), inet({127, 0, 0, 2}), int32(9043), text("dc2"), text("r2"),
             tokens({"100"})});
  // No native address: the peer address stands in.
  peers.add(
      {inet({127, 0, 0, 3}), std::nullopt, int32(9042), text("dc1"), text("r1"), tokens({"200"})});
  peers.add({inet({127, 0, 0, 4}), inet({127, 0, 0, 4}), int32(9042), text("dc1"), text("r1"),
             tokens({})});  // no tokens: skipped
  peers.add({inet({127, 0, 0, 5}), inet({127, 0, 0, 5}), std::nullopt, text("dc1"), text("r1"),
             tokens({"300"})});  // no port: skipped
  peers.add({inet({127, 0, 0, 6}), inet({127, 0, 0, 6}), int32(9042), text("dc1"), text("r1"),
             tokens({"x1"})});  // unreadable tokens: skipped
  peers.add({inet({127, 0, 0, 2}), inet({127, 0, 0, 2}), int32(9043), text("dc2"), text("r2"),
             tokens({"100"})});  // twice: skipped
  auto d = proto::read_hosts(local.rows(), local.columns, peers.rows(), peers.columns, "127.0.0.1",
                             9042);
  BOOST_TEST(d.partitioner == "org.apache.cassandra.dht.Murmur3Partitioner");
  BOOST_TEST_REQUIRE(d.hosts.size() == 3u);
  // The node reached is where the connection went, not what it advertises (0.0.0.0).
  BOOST_TEST(d.hosts[0].address == "127.0.0.1");
  BOOST_TEST(d.hosts[0].port == 9042);
  BOOST_TEST((d.hosts[0].tokens == std::vector<std::int64_t>{-5, 7}));
  BOOST_TEST(d.hosts[1].address == "127.0.0.2");
  BOOST_TEST(d.hosts[1].port == 9043);
  BOOST_TEST(d.hosts[1].dc == "dc2");
  BOOST_TEST(d.hosts[1].rack == "r2");
  BOOST_TEST(d.hosts[2].address == "127.0.0.3");
  BOOST_TEST_REQUIRE(d.skipped.size() == 4u);
  BOOST_TEST(d.skipped[0] == "peer 127.0.0.4: no tokens");
  BOOST_TEST(d.skipped[1] == "peer 127.0.0.5: no usable native_port");
  BOOST_TEST(d.skipped[2] == "peer 127.0.0.6: unreadable tokens");
  BOOST_TEST(d.skipped[3] == "peer 127.0.0.2: listed twice");
}

BOOST_AUTO_TEST_CASE(legacy_peers_share_the_reached_port) {
  Table local({"data_center"});
  local.add({text("dc1")});
  Table peers({"peer", "rpc_address", "data_center", "tokens"});
  peers.add({inet({10, 0, 0, 2}), inet({0, 0, 0, 0}), text("dc1"), tokens({"1"})});
  auto d =
      proto::read_hosts(local.rows(), local.columns, peers.rows(), peers.columns, "10.0.0.1", 9142);
  BOOST_TEST_REQUIRE(d.hosts.size() == 2u);
  BOOST_TEST(d.hosts[1].address == "10.0.0.2");  // rpc_address 0.0.0.0: the peer address
  BOOST_TEST(d.hosts[1].port == 9142);
}

BOOST_AUTO_TEST_CASE(ipv6_addresses_are_written_as_rfc_5952_says) {
  std::vector<std::uint8_t> loopback(16, 0);
  loopback[15] = 1;
  BOOST_TEST(proto::address_text(loopback) == "::1");
  std::vector<std::uint8_t> a{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  BOOST_TEST(proto::address_text(a) == "2001:db8::1");
  std::vector<std::uint8_t> b{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  BOOST_TEST(proto::address_text(b) == "2001:db8:1::1:0:0");  // the first longest run
  BOOST_TEST(proto::address_text({1, 2, 3}).empty());
}

BOOST_AUTO_TEST_CASE(keyspace_replication_is_read_from_system_schema) {
  Table ks({"keyspace_name", "replication"});
  auto map_of = [](std::vector<std::pair<std::string, std::string>> kv) {
    std::vector<Bytes> owned;
    for (auto& [k, v] : kv) {
      owned.push_back(text(k));
      owned.push_back(text(v));
    }
    std::vector<std::pair<BytesView, BytesView>> entries;
    for (std::size_t i = 0; i < owned.size(); i += 2)
      entries.emplace_back(owned[i], owned[i + 1]);
    Bytes b;
    BOOST_REQUIRE(proto::encode_map(entries, b).ok());
    return b;
  };
  ks.add({text("a"), map_of({{"class", "org.apache.cassandra.locator.SimpleStrategy"},
                             {"replication_factor", "2"}})});
  ks.add({text("b"), map_of({{"class", "org.apache.cassandra.locator.NetworkTopologyStrategy"},
                             {"dc1", "3"}})});
  auto m = proto::read_keyspaces(ks.rows(), ks.columns);
  BOOST_TEST_REQUIRE(m.size() == 2u);
  BOOST_TEST(m.at("a").factor == 2);
  BOOST_TEST(m.at("b").per_dc.at("dc1") == 3);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cluster_router)

// Six hosts: dc1 .1 .2 .3 and dc2 .4 .5 .6; tokens interleave the DCs around the ring.
std::vector<HostInfo> six() {
  return {host("127.0.0.1", "dc1", "r1", {0}),  host("127.0.0.2", "dc1", "r1", {20}),
          host("127.0.0.3", "dc1", "r1", {40}), host("127.0.0.4", "dc2", "r1", {10}),
          host("127.0.0.5", "dc2", "r1", {30}), host("127.0.0.6", "dc2", "r1", {50})};
}

std::map<std::string, proto::Replication> keyspaces() {
  return {{"ks", proto::Replication::from_map(
                     {{"class", "NetworkTopologyStrategy"}, {"dc1", "2"}, {"dc2", "2"}})},
          {"one", proto::Replication::from_map(
                      {{"class", "SimpleStrategy"}, {"replication_factor", "1"}})}};
}

BOOST_AUTO_TEST_CASE(local_replicas_first_then_local_hosts_rotated_never_remote) {
  Router r(six(), keyspaces(), {"dc1", 0, {}});
  BOOST_TEST((r.distance(3) == Router::Distance::ignored));
  Plan plan;
  // Token 15: ring from 20 is .2(20) .5 .3(40) .6 .1(0) .4; dc1 replicas .2 .3.
  r.plan("ks", 15, false, 0, no_load, plan);
  BOOST_TEST((plan == Plan{1, 2, 0}));
  // Least busy replica first.
  r.plan(
      "ks", 15, false, 0, [](std::uint32_t h) { return h == 1 ? 9u : 0u; }, plan);
  BOOST_TEST((plan == Plan{2, 1, 0}));
  // A compare-and-set keeps the ring's order whatever the load.
  r.plan(
      "ks", 15, true, 0, [](std::uint32_t h) { return h == 1 ? 9u : 0u; }, plan);
  BOOST_TEST((plan == Plan{1, 2, 0}));
  // No routing key, or an unknown keyspace: round-robin over the local DC.
  r.plan("ks", std::nullopt, false, 0, no_load, plan);
  BOOST_TEST((plan == Plan{0, 1, 2}));
  r.plan("ks", std::nullopt, false, 1, no_load, plan);
  BOOST_TEST((plan == Plan{1, 2, 0}));
  r.plan("nope", 15, false, 2, no_load, plan);
  BOOST_TEST((plan == Plan{2, 0, 1}));
  // A SimpleStrategy replica in the remote DC is not used; local hosts follow.
  r.plan("one", 5, false, 0, no_load, plan);  // primary .4 (token 10), remote
  BOOST_TEST((plan == Plan{0, 1, 2}));
}

BOOST_AUTO_TEST_CASE(remote_hosts_only_as_many_as_allowed_and_last) {
  Router r(six(), keyspaces(), {"dc1", 1, {}});
  BOOST_TEST((r.distance(3) == Router::Distance::remote));  // .4: first of dc2 by address
  BOOST_TEST((r.distance(4) == Router::Distance::ignored));
  Plan plan;
  r.plan("ks", 15, false, 0, no_load, plan);
  BOOST_TEST((plan == Plan{1, 2, 0, 3}));
}

BOOST_AUTO_TEST_CASE(a_host_filter_removes_hosts_from_every_plan) {
  RoutingPolicy policy;
  policy.local_dc = "dc1";
  policy.host_filter = [](const HostInfo& h) { return h.address != "127.0.0.2"; };
  Router r(six(), keyspaces(), policy);
  Plan plan;
  r.plan("ks", 15, false, 0, no_load, plan);
  BOOST_TEST((plan == Plan{2, 0}));
  BOOST_TEST((r.distance(1) == Router::Distance::ignored));
}

BOOST_AUTO_TEST_CASE(without_a_local_dc_every_host_is_local) {
  Router r(six(), keyspaces(), {});
  Plan plan;
  r.plan("ks", std::nullopt, false, 0, no_load, plan);
  BOOST_TEST(plan.size() == 6u);
  // Replicas of both DCs first: .2 .5 .3 .6 in ring order (NTS: 2 per DC).
  r.plan("ks", 15, true, 0, no_load, plan);
  BOOST_TEST((Plan(plan.begin(), plan.begin() + 4) == Plan{1, 4, 2, 5}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(conditional_statements)

BOOST_AUTO_TEST_CASE(an_if_outside_strings_names_and_comments_makes_a_compare_and_set) {
  using proto::is_conditional_statement;
  BOOST_TEST(is_conditional_statement("INSERT INTO t (k, v) VALUES (?, ?) IF NOT EXISTS"));
  BOOST_TEST(is_conditional_statement("update t SET v = ? WHERE k = ? if v = ?"));
  BOOST_TEST(is_conditional_statement("DELETE FROM t WHERE k = ? IF EXISTS"));
  BOOST_TEST(is_conditional_statement(
      "BEGIN BATCH UPDATE t SET v = 1 WHERE k = 'a' IF v = 0; APPLY BATCH"));
  BOOST_TEST(!is_conditional_statement("INSERT INTO t (k, v) VALUES ('if', ?)"));
  BOOST_TEST(!is_conditional_statement("UPDATE \"IF\" SET v = ? WHERE k = ?"));
  BOOST_TEST(!is_conditional_statement("UPDATE t SET v = 'it''s IF' WHERE k = ?"));
  BOOST_TEST(!is_conditional_statement("UPDATE t SET v = ? WHERE k = ? -- IF v = 1"));
  BOOST_TEST(!is_conditional_statement("UPDATE t SET v = ? /* IF */ WHERE k = ?"));
  BOOST_TEST(!is_conditional_statement("UPDATE t SET v = $$ IF $$ WHERE k = ?"));
  BOOST_TEST(!is_conditional_statement("UPDATE t SET ifx = ? WHERE k = ?"));
  BOOST_TEST(!is_conditional_statement("SELECT * FROM t WHERE k = ?"));
  BOOST_TEST(!is_conditional_statement("CREATE TABLE IF NOT EXISTS t (k text PRIMARY KEY)"));
  BOOST_TEST(!is_conditional_statement("UPDATE t SET v = 'unterminated IF"));
}

BOOST_AUTO_TEST_SUITE_END()
