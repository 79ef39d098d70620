// The token map: replicas placed as Cassandra 4.0's SimpleStrategy and
// NetworkTopologyStrategy place them (org.apache.cassandra.locator), routing keys as
// CompositeType serializes them, and the replication map of system_schema.keyspaces.
#include "nosqlc/protocol/cluster/murmur3.hpp"
#include "nosqlc/protocol/cluster/token_map.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace proto = nosqlc::protocol;
using proto::Replication;
using proto::TokenMap;
using proto::TokenNode;
using Nodes = std::vector<std::uint32_t>;

namespace {

Replication simple(int rf) {
  return Replication::from_map({{"class", "org.apache.cassandra.locator.SimpleStrategy"},
                                {"replication_factor", std::to_string(rf)}});
}

Replication nts(std::map<std::string, std::string> per_dc) {
  per_dc["class"] = "NetworkTopologyStrategy";
  return Replication::from_map(per_dc);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(token_map)

BOOST_AUTO_TEST_CASE(replication_maps_are_read_as_cassandra_writes_them) {
  auto s = simple(3);
  BOOST_TEST((s.kind == Replication::Kind::simple));
  BOOST_TEST(s.factor == 3);
  auto n = nts({{"dc1", "3"}, {"dc2", "2/1"}});  // 4.0's replicas/transient form
  BOOST_TEST((n.kind == Replication::Kind::network_topology));
  BOOST_TEST(n.per_dc.at("dc1") == 3);
  BOOST_TEST(n.per_dc.at("dc2") == 2);
  BOOST_TEST(
      (Replication::from_map({{"class", "org.apache.cassandra.locator.LocalStrategy"}}).kind ==
       Replication::Kind::local));
  // What cannot be read places nothing, rather than placing wrongly.
  BOOST_TEST(
      (Replication::from_map({{"class", "SimpleStrategy"}}).kind == Replication::Kind::unknown));
  BOOST_TEST(
      (Replication::from_map({{"class", "SimpleStrategy"}, {"replication_factor", "x"}}).kind ==
       Replication::Kind::unknown));
  BOOST_TEST((nts({{"dc1", "-1"}}).kind == Replication::Kind::unknown));
  BOOST_TEST((Replication::from_map({{"class", "com.example.MyStrategy"}}).kind ==
              Replication::Kind::unknown));
  BOOST_TEST((Replication::from_map({}).kind == Replication::Kind::unknown));
}

BOOST_AUTO_TEST_CASE(a_token_belongs_to_the_first_ring_token_not_below_it) {
  TokenMap map({{"dc1", "r1", {-100, 200}}, {"dc1", "r1", {0}}, {"dc1", "r1", {100}}});
  auto primary = [&](std::int64_t t) { return map.replicas(t, simple(1)).at(0); };
  BOOST_TEST(primary(-500) == 0u);  // below the lowest token
  BOOST_TEST(primary(-100) == 0u);  // equal: that token's owner
  BOOST_TEST(primary(-99) == 1u);
  BOOST_TEST(primary(0) == 1u);
  BOOST_TEST(primary(50) == 2u);
  BOOST_TEST(primary(150) == 0u);  // the node's second token
  BOOST_TEST(primary(201) == 0u);  // past the highest: wraps to the lowest
  BOOST_TEST(primary(INT64_MAX) == 0u);
}

BOOST_AUTO_TEST_CASE(simple_strategy_takes_the_next_distinct_nodes) {
  // Ring: -100 n0, 0 n1, 100 n0 (a second token), 200 n2.
  TokenMap map({{"dc1", "r1", {-100, 100}}, {"dc1", "r1", {0}}, {"dc1", "r1", {200}}});
  BOOST_TEST((map.replicas(-150, simple(2)) == Nodes{0, 1}));
  BOOST_TEST((map.replicas(50, simple(2)) == Nodes{0, 2}));  // n0 again at 100: first is n0
  BOOST_TEST((map.replicas(150, simple(3)) == Nodes{2, 0, 1}));
  BOOST_TEST((map.replicas(0, simple(5)) == Nodes{1, 0, 2}));  // more than nodes: each once
  BOOST_TEST(map.replicas(0, simple(0)).empty());
  BOOST_TEST(map.replicas(0, Replication{}).empty());
  BOOST_TEST(TokenMap({}).replicas(0, simple(1)).empty());
}

BOOST_AUTO_TEST_CASE(network_topology_spreads_replicas_over_racks_first) {
  // dc1 ring order from -inf: a(r1) b(r1) c(r2) d(r1) e(r2); dc2: x, y between them.
  TokenMap map({{"dc1", "r1", {10}},
                {"dc1", "r1", {20}},
                {"dc1", "r2", {30}},
                {"dc1", "r1", {40}},
                {"dc1", "r2", {50}},
                {"dc2", "r1", {15}},
                {"dc2", "r1", {35}}});
  // rf 2, two racks: no repeat allowed; b is skipped for c.
  BOOST_TEST((map.replicas(0, nts({{"dc1", "2"}})) == Nodes{0, 2}));
  // rf 3, two racks: one repeat, taken by the first same-rack node met (b).
  BOOST_TEST((map.replicas(0, nts({{"dc1", "3"}})) == Nodes{0, 1, 2}));
  // Starting at c: c(r2), d(r1) new, e(r2) repeat allowed once.
  BOOST_TEST((map.replicas(25, nts({{"dc1", "3"}})) == Nodes{2, 3, 4}));
  // Both centres filled in one walk, in ring order.
  BOOST_TEST((map.replicas(0, nts({{"dc1", "2"}, {"dc2", "1"}})) == Nodes{0, 5, 2}));
  // A centre with more replicas than nodes gets every node; an unknown centre is ignored.
  BOOST_TEST((map.replicas(0, nts({{"dc2", "5"}, {"dc9", "3"}})) == Nodes{5, 6}));
  BOOST_TEST(map.replicas(0, nts({{"dc1", "0"}})).empty());
}

// Properties of the placement on random clusters, each checked against a direct reading of
// the rules: distinct nodes, min(rf, nodes) per centre, racks spread as far as they go, the
// primary owning the first ring token not below the key's.
BOOST_AUTO_TEST_CASE(random_clusters_keep_the_placement_rules) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 50; ++round) {
    std::vector<TokenNode> nodes;
    const int count = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < count; ++i) {
      TokenNode n;
      n.dc = "dc" + std::to_string(rng() % 3);
      n.rack = "r" + std::to_string(rng() % 3);
      for (int t = 0; t < 4; ++t)
        n.tokens.push_back(static_cast<std::int64_t>(rng()));
      nodes.push_back(n);
    }
    TokenMap map(nodes);
    auto r = nts({{"dc0", std::to_string(rng() % 4)}, {"dc1", std::to_string(rng() % 4)}});
    proto::ReplicaTable table(map, r);
    for (int k = 0; k < 200; ++k) {
      const auto token = static_cast<std::int64_t>(rng());
      auto replicas = map.replicas(token, r);
      auto looked_up = table.replicas(token);
      BOOST_TEST_REQUIRE((Nodes(looked_up.begin(), looked_up.end()) == replicas));
      BOOST_TEST_REQUIRE(std::set<std::uint32_t>(replicas.begin(), replicas.end()).size() ==
                         replicas.size());
      for (const auto& [dc, rf] : r.per_dc) {
        std::set<std::string> all_racks;
        int in_dc = 0;
        for (const auto& n : nodes) {
          if (n.dc == dc) {
            ++in_dc;
            all_racks.insert(n.rack);
          }
        }
        std::set<std::string> used_racks;
        int placed = 0;
        for (auto i : replicas) {
          if (nodes[i].dc != dc) continue;
          ++placed;
          used_racks.insert(nodes[i].rack);
        }
        BOOST_TEST_REQUIRE(placed == std::min(rf, in_dc));
        BOOST_TEST_REQUIRE(
            used_racks.size() ==
            std::min<std::size_t>(static_cast<std::size_t>(placed), all_racks.size()));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(routing_keys_are_the_bytes_cassandra_hashes) {
  using proto::Value;
  const proto::Bytes a{'a', 'b'}, b{0x00, 0x00, 0x00, 0x07};
  std::vector<Value> values{Value::of(b), Value::of(a), Value::null()};
  const std::uint16_t one[] = {1};
  BOOST_TEST((*proto::routing_key(values, one) == a));
  // (a, b) as CompositeType: [short len][bytes][0] for each component.
  const std::uint16_t two[] = {1, 0};
  const proto::Bytes composite{0, 2, 'a', 'b', 0, 0, 4, 0, 0, 0, 7, 0};
  BOOST_TEST((*proto::routing_key(values, two) == composite));
  const std::uint16_t with_null[] = {1, 2};
  const std::uint16_t out_of_range[] = {7};
  BOOST_TEST(!proto::routing_key(values, with_null));
  BOOST_TEST(!proto::routing_key(values, out_of_range));
  BOOST_TEST(!proto::routing_key(values, {}));
  // The token of a routing key is the partitioner's: key "ab" lands where its token says.
  TokenMap map({{"dc1", "r1", {proto::murmur3_token(a)}}, {"dc1", "r1", {INT64_MIN + 1}}});
  BOOST_TEST(
      map.replicas(proto::murmur3_token(*proto::routing_key(values, one)), simple(1)).at(0) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
