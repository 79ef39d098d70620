// The system tables against Cassandra 4.0: the columns the Python and Node.js drivers read, the
// rows they build the cluster and schema metadata from, and cells that decode as their types.
#include "system/system_tables.hpp"

#include "cql/parser.hpp"
#include "nosqlc/protocol/cluster/murmur3.hpp"
#include "nosqlc/protocol/value_forms.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <limits>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace sb = nosqlc::sandbox;
namespace protocol = nosqlc::protocol;
using protocol::Bytes;
using protocol::DataType;
using protocol::TypeId;
using sb::SystemRow;
using sb::SystemTable;

namespace {

protocol::Inet address(int n, int port = 9042) {
  return {{127, 0, 0, static_cast<std::uint8_t>(n)}, port};
}

protocol::Uuid uuid(std::string_view text) {
  protocol::Uuid u{};
  BOOST_REQUIRE(protocol::parse_uuid(text, u).ok());
  return u;
}

// Three nodes on distinct native ports; node 2 (index 2) is down.
sb::ClusterInfo three_nodes() {
  sb::ClusterInfo c;
  const std::int64_t tokens[] = {-3074457345618258603, 3074457345618258602,
                                 std::numeric_limits<std::int64_t>::min() + 1};
  for (int i = 0; i < 3; ++i) {
    sb::NodeInfo n;
    n.address = address(i + 1, 9042 + i);
    n.tokens = {tokens[i]};
    n.host_id = uuid("00000000-0000-4000-8000-00000000000" + std::to_string(i + 1));
    n.gossip_generation = 1700000000 + i;
    n.up = i != 2;
    c.nodes.push_back(n);
  }
  return c;
}

DataType type(std::string_view text) {
  auto t = sb::cql::parse_type(text);
  BOOST_REQUIRE(t.has_value());
  return *t;
}

// A store with keyspace shop and table shop.orders (partition key `id`, declared second).
void add_orders(sb::Store& store) {
  BOOST_REQUIRE(store
                    .create_keyspace(
                        {"shop", {{"class", "SimpleStrategy"}, {"replication_factor", "1"}}}, false)
                    .has_value());
  sb::TableDef def;
  def.keyspace = "shop";
  def.name = "orders";
  def.columns = {{"qty", type("int")},
                 {"id", type("text")},
                 {"attrs", type("map<text, frozen<list<int>>>")},
                 {"tags", type("set<text>")},
                 {"Data", type("text")}};
  def.partition_key = 1;
  BOOST_REQUIRE(store.create_table(def, false).has_value());
}

const SystemTable& table(std::string_view ks, std::string_view name) {
  const SystemTable* t = sb::find_system_table(ks, name);
  BOOST_REQUIRE_MESSAGE(t, "no system table " << ks << "." << name);
  return *t;
}

std::size_t column(const SystemTable& t, std::string_view name) {
  auto i = t.def.column_index(name);
  BOOST_REQUIRE_MESSAGE(i, "no column " << name << " in " << t.def.name);
  return *i;
}

// The cell of `name` in `row`, decoded to JSON with the column's type.
boost::json::value cell(const SystemTable& t, const SystemRow& row, std::string_view name) {
  std::size_t i = column(t, name);
  boost::json::value out;
  std::optional<protocol::BytesView> in;
  if (row[i]) in = protocol::BytesView(*row[i]);
  auto st = protocol::decode_to_json(t.def.columns[i].type, in, out);
  BOOST_REQUIRE_MESSAGE(st.ok(), name << ": " << st.message);
  return out;
}

std::string text(const SystemTable& t, const SystemRow& row, std::string_view name) {
  auto v = cell(t, row, name);
  BOOST_REQUIRE_MESSAGE(v.is_string(), name << " is not text: " << boost::json::serialize(v));
  return std::string(v.as_string());
}

std::int64_t integer(const SystemTable& t, const SystemRow& row, std::string_view name) {
  auto v = cell(t, row, name);
  BOOST_REQUIRE_MESSAGE(v.is_int64(), name << " is not an integer: " << boost::json::serialize(v));
  return v.as_int64();
}

// The rows of `t` whose text columns equal `where` (column, value) pairs.
std::vector<SystemRow> rows_where(const SystemTable& t, const std::vector<SystemRow>& rows,
                                  std::vector<std::pair<std::string, std::string>> where) {
  std::vector<SystemRow> out;
  for (const auto& r : rows) {
    bool ok = std::all_of(where.begin(), where.end(),
                          [&](const auto& w) { return text(t, r, w.first) == w.second; });
    if (ok) out.push_back(r);
  }
  return out;
}

// "a b c" as {"a", "b", "c"}.
std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::vector<std::string> names(const SystemTable& t) {
  std::vector<std::string> out;
  for (const auto& c : t.def.columns)
    out.push_back(c.name);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sandbox_system_tables)

// Cassandra 4.0's tables, their keys and column counts (SystemKeyspace, SchemaKeyspace,
// TraceKeyspace, VirtualSchemaKeyspace).
BOOST_AUTO_TEST_CASE(every_table_with_its_key_and_column_count) {
  struct Case {
    std::string_view keyspace, name;
    std::vector<std::string> partition_key, clustering;
    std::size_t columns;
  };
  const Case cases[] = {
      {"system", "local", {"key"}, {}, 20},
      {"system", "peers", {"peer"}, {}, 9},
      {"system", "peers_v2", {"peer"}, {"peer_port"}, 12},
      {"system_schema", "keyspaces", {"keyspace_name"}, {}, 3},
      {"system_schema", "tables", {"keyspace_name"}, {"table_name"}, 22},
      {"system_schema", "columns", {"keyspace_name"}, {"table_name", "column_name"}, 8},
      {"system_schema", "triggers", {"keyspace_name"}, {"table_name", "trigger_name"}, 4},
      {"system_schema", "dropped_columns", {"keyspace_name"}, {"table_name", "column_name"}, 6},
      {"system_schema", "views", {"keyspace_name"}, {"view_name"}, 25},
      {"system_schema", "types", {"keyspace_name"}, {"type_name"}, 4},
      {"system_schema", "functions", {"keyspace_name"}, {"function_name", "argument_types"}, 8},
      {"system_schema", "aggregates", {"keyspace_name"}, {"aggregate_name", "argument_types"}, 8},
      {"system_schema", "indexes", {"keyspace_name"}, {"table_name", "index_name"}, 5},
      {"system_traces", "sessions", {"session_id"}, {}, 9},
      {"system_traces", "events", {"session_id"}, {"event_id"}, 7},
      {"system_virtual_schema", "keyspaces", {"keyspace_name"}, {}, 1},
      {"system_virtual_schema", "tables", {"keyspace_name"}, {"table_name"}, 3},
      {"system_virtual_schema", "columns", {"keyspace_name"}, {"table_name", "column_name"}, 8},
      {"sandbox", "node_stats", {"address"}, {}, 9},
      {"sandbox", "nodes", {"address"}, {}, 10},
  };
  BOOST_TEST(sb::system_tables().size() == std::size(cases));
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.keyspace << "." << c.name) {
      const SystemTable& t = table(c.keyspace, c.name);
      BOOST_TEST(t.def.keyspace == c.keyspace);
      BOOST_TEST(t.def.name == c.name);
      BOOST_TEST(t.def.columns.size() == c.columns);
      BOOST_TEST(t.schema_types.size() == c.columns);
      BOOST_TEST(t.def.partition_key == 0u);
      BOOST_TEST(t.is_virtual ==
                 (c.keyspace == "system_virtual_schema" || c.keyspace == "sandbox"));
      std::vector<std::string> pk, ck;
      for (std::size_t i : t.partition_key)
        pk.push_back(t.def.columns[i].name);
      for (std::size_t i : t.clustering)
        ck.push_back(t.def.columns[i].name);
      BOOST_TEST(pk == c.partition_key, boost::test_tools::per_element());
      BOOST_TEST(ck == c.clustering, boost::test_tools::per_element());
      // SELECT * order: the key columns first, then the others alphabetically.
      std::size_t keys = pk.size() + ck.size();
      for (std::size_t i = 0; i < keys; ++i)
        BOOST_TEST(t.def.columns[i].name == (i < pk.size() ? pk[i] : ck[i - pk.size()]));
      for (std::size_t i = keys + 1; i < t.def.columns.size(); ++i)
        BOOST_TEST(t.def.columns[i - 1].name.compare(t.def.columns[i].name) < 0,
                   t.def.columns[i - 1].name << " before " << t.def.columns[i].name);
    }
  }
}

BOOST_AUTO_TEST_CASE(select_star_order_of_local_and_peers_v2) {
  BOOST_TEST(names(table("system", "local")) ==
                 words("key bootstrapped broadcast_address broadcast_port cluster_name cql_version "
                       "data_center gossip_generation host_id listen_address listen_port "
                       "native_protocol_version partitioner rack release_version rpc_address "
                       "rpc_port schema_version tokens truncated_at"),
             boost::test_tools::per_element());
  BOOST_TEST(names(table("system", "peers_v2")) ==
                 words("peer peer_port data_center host_id native_address native_port "
                       "preferred_ip preferred_port rack release_version schema_version tokens"),
             boost::test_tools::per_element());
}

// Every column the two drivers read while connecting and building schema metadata (python-driver
// 3.25 ControlConnection and SchemaParserV3/V4, nodejs-driver 4.x ControlConnection and
// SchemaParserV2/V3), with its type as system_schema spells it and as result metadata carries it.
BOOST_AUTO_TEST_CASE(columns_the_drivers_read) {
  struct Case {
    std::string_view keyspace, table, schema_type, cql, columns;
  };
  const std::string_view text_map = "frozen<map<text, text>>", text_list = "frozen<list<text>>";
  const Case cases[] = {
      {"system", "local", "text", "text",
       "key cluster_name data_center rack partitioner release_version"},
      {"system", "local", "uuid", "uuid", "schema_version host_id"},
      {"system", "local", "inet", "inet", "rpc_address broadcast_address listen_address"},
      {"system", "local", "int", "int", "rpc_port broadcast_port listen_port"},
      {"system", "local", "set<text>", "set<text>", "tokens"},
      {"system", "local", "map<uuid, blob>", "map<uuid, blob>", "truncated_at"},
      {"system", "peers", "inet", "inet", "peer rpc_address"},
      {"system", "peers", "text", "text", "data_center rack release_version"},
      {"system", "peers", "uuid", "uuid", "host_id schema_version"},
      {"system", "peers", "set<text>", "set<text>", "tokens"},
      {"system", "peers_v2", "inet", "inet", "peer native_address"},
      {"system", "peers_v2", "int", "int", "peer_port native_port"},
      {"system", "peers_v2", "text", "text", "data_center rack release_version"},
      {"system", "peers_v2", "uuid", "uuid", "host_id schema_version"},
      {"system", "peers_v2", "set<text>", "set<text>", "tokens"},
      {"system_schema", "keyspaces", "text", "text", "keyspace_name"},
      {"system_schema", "keyspaces", "boolean", "boolean", "durable_writes"},
      {"system_schema", "keyspaces", text_map, "map<text, text>", "replication"},
      {"system_schema", "tables", "text", "text",
       "keyspace_name table_name speculative_retry additional_write_policy read_repair comment"},
      {"system_schema", "tables", "frozen<set<text>>", "set<text>", "flags"},
      {"system_schema", "tables", text_map, "map<text, text>", "caching compaction compression"},
      {"system_schema", "tables", "frozen<map<text, blob>>", "map<text, blob>", "extensions"},
      {"system_schema", "tables", "double", "double",
       "bloom_filter_fp_chance crc_check_chance dclocal_read_repair_chance read_repair_chance"},
      {"system_schema", "tables", "int", "int",
       "gc_grace_seconds default_time_to_live memtable_flush_period_in_ms min_index_interval "
       "max_index_interval"},
      {"system_schema", "tables", "boolean", "boolean", "cdc"},
      {"system_schema", "tables", "uuid", "uuid", "id"},
      {"system_schema", "columns", "text", "text",
       "keyspace_name table_name column_name kind clustering_order type"},
      {"system_schema", "columns", "int", "int", "position"},
      {"system_schema", "columns", "blob", "blob", "column_name_bytes"},
      {"system_schema", "triggers", "text", "text", "keyspace_name table_name trigger_name"},
      {"system_schema", "triggers", text_map, "map<text, text>", "options"},
      {"system_schema", "indexes", "text", "text", "keyspace_name table_name index_name kind"},
      {"system_schema", "indexes", text_map, "map<text, text>", "options"},
      {"system_schema", "views", "text", "text",
       "keyspace_name view_name base_table_name where_clause"},
      {"system_schema", "views", "boolean", "boolean", "include_all_columns"},
      {"system_schema", "views", "frozen<map<text, blob>>", "map<text, blob>", "extensions"},
      {"system_schema", "types", "text", "text", "keyspace_name type_name"},
      {"system_schema", "types", text_list, "list<text>", "field_names field_types"},
      {"system_schema", "functions", "text", "text",
       "keyspace_name function_name body language return_type"},
      {"system_schema", "functions", text_list, "list<text>", "argument_types argument_names"},
      {"system_schema", "functions", "boolean", "boolean", "called_on_null_input"},
      {"system_schema", "aggregates", "text", "text",
       "keyspace_name aggregate_name state_func state_type final_func initcond return_type"},
      {"system_schema", "aggregates", text_list, "list<text>", "argument_types"},
      {"system_schema", "dropped_columns", "timestamp", "timestamp", "dropped_time"},
      {"system_virtual_schema", "keyspaces", "text", "text", "keyspace_name"},
      {"system_virtual_schema", "tables", "text", "text", "keyspace_name table_name comment"},
      {"system_virtual_schema", "columns", "text", "text",
       "keyspace_name table_name column_name kind clustering_order type"},
      {"system_virtual_schema", "columns", "int", "int", "position"},
  };
  for (const Case& c : cases) {
    for (const std::string& name : words(c.columns)) {
      BOOST_TEST_CONTEXT(c.keyspace << "." << c.table << "." << name) {
        const SystemTable& t = table(c.keyspace, c.table);
        std::size_t i = column(t, name);
        BOOST_TEST(t.schema_types[i] == c.schema_type);
        BOOST_TEST(protocol::to_cql(t.def.columns[i].type) == c.cql);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(lookup_by_name_and_system_keyspaces) {
  BOOST_TEST(sb::find_system_table("system", "locals") == nullptr);
  BOOST_TEST(sb::find_system_table("system_schema", "local") == nullptr);
  BOOST_TEST(sb::find_system_table("System", "local") == nullptr);  // names come case-folded
  BOOST_TEST(sb::find_system_table("shop", "orders") == nullptr);
  for (std::string_view ks : {"system", "system_schema", "system_auth", "system_distributed",
                              "system_traces", "system_virtual_schema", "system_views"}) {
    BOOST_TEST(sb::is_system_keyspace(ks), ks);
  }
  for (std::string_view ks : {"shop", "System", "system_", "systemx", ""})
    BOOST_TEST(!sb::is_system_keyspace(ks), ks);
}

// The ids Cassandra gives these tables (the names of their data directories).
BOOST_AUTO_TEST_CASE(table_ids_are_cassandras) {
  struct Case {
    std::string_view keyspace, name, id;
  };
  const Case cases[] = {
      {"system", "local", "7ad54392-bcdd-35a6-8417-4e047860b377"},
      {"system", "peers", "37f71aca-7dc2-383b-a706-72528af04d4f"},
      {"system", "peers_v2", "c4325fbb-8e5e-3baf-bd07-0f9250ed818e"},
      {"system_schema", "keyspaces", "abac5682-dea6-31c5-b535-b3d6cffd0fb6"},
      {"system_schema", "tables", "afddfb9d-bc1e-3068-8056-eed6c302ba09"},
      {"system_schema", "columns", "24101c25-a2ae-3af7-87c1-b40ee1aca33f"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.keyspace << "." << c.name) {
      BOOST_TEST(protocol::format_uuid(table(c.keyspace, c.name).def.id) == c.id);
      BOOST_TEST(protocol::format_uuid(sb::system_table_id(c.keyspace, c.name)) == c.id);
    }
  }
  // A message of more than one MD5 block (55, 56 and 64 bytes straddle the padding).
  std::set<std::string> ids;
  for (std::size_t n : {0u, 54u, 55u, 56u, 63u, 64u, 65u, 120u})
    ids.insert(protocol::format_uuid(sb::system_table_id(std::string(n, 'k'), "")));
  BOOST_TEST(ids.size() == 8u);
  // md5("abc") = 900150983cd24fb0d6963f7d28e17f72 (RFC 1321 A.5), version and variant set.
  BOOST_TEST(protocol::format_uuid(sb::system_table_id("ab", "c")) ==
             "90015098-3cd2-3fb0-9696-3f7d28e17f72");
  // md5 of the 80-digit RFC 1321 test message = 57edf4a22be3c955ac49da2e2107b67a.
  std::string digits;
  for (int i = 0; i < 8; ++i)
    digits += "1234567890";
  BOOST_TEST(protocol::format_uuid(sb::system_table_id(digits, "")) ==
             "57edf4a2-2be3-3955-ac49-da2e2107b67a");
}

BOOST_AUTO_TEST_CASE(local_describes_self_and_follows_schema_version) {
  sb::Store store;
  const auto cluster = three_nodes();
  const SystemTable& t = table("system", "local");
  auto rows = t.rows(store, cluster, 1);
  BOOST_REQUIRE_EQUAL(rows.size(), 1u);
  const SystemRow& r = rows[0];
  BOOST_REQUIRE_EQUAL(r.size(), t.def.columns.size());
  BOOST_TEST(text(t, r, "key") == "local");
  BOOST_TEST(text(t, r, "bootstrapped") == "COMPLETED");
  BOOST_TEST(text(t, r, "cluster_name") == "nosqlc sandbox");
  BOOST_TEST(text(t, r, "cql_version") == "3.4.5");
  BOOST_TEST(text(t, r, "data_center") == "datacenter1");
  BOOST_TEST(text(t, r, "rack") == "rack1");
  BOOST_TEST(text(t, r, "release_version") == "4.0.11");
  BOOST_TEST(text(t, r, "native_protocol_version") == "4");
  BOOST_TEST(text(t, r, "partitioner") == "org.apache.cassandra.dht.Murmur3Partitioner");
  BOOST_TEST(text(t, r, "rpc_address") == "127.0.0.2");
  BOOST_TEST(text(t, r, "broadcast_address") == "127.0.0.2");
  BOOST_TEST(text(t, r, "listen_address") == "127.0.0.2");
  BOOST_TEST(integer(t, r, "rpc_port") == 9043);
  BOOST_TEST(integer(t, r, "broadcast_port") == 7000);
  BOOST_TEST(integer(t, r, "listen_port") == 7000);
  BOOST_TEST(integer(t, r, "gossip_generation") == 1700000001);
  BOOST_TEST(text(t, r, "host_id") == "00000000-0000-4000-8000-000000000002");
  BOOST_TEST(cell(t, r, "tokens") == boost::json::parse(R"(["3074457345618258602"])"));
  BOOST_TEST(cell(t, r, "truncated_at").is_null());

  const std::string before = protocol::format_uuid(store.schema_version());
  BOOST_TEST(text(t, r, "schema_version") == before);
  add_orders(store);
  auto after = t.rows(store, cluster, 1);
  BOOST_REQUIRE_EQUAL(after.size(), 1u);
  BOOST_TEST(text(t, after[0], "schema_version") == protocol::format_uuid(store.schema_version()));
  BOOST_TEST(text(t, after[0], "schema_version") != before);
}

BOOST_AUTO_TEST_CASE(peers_list_every_other_node_down_ones_included) {
  sb::Store store;
  const auto cluster = three_nodes();
  const std::string version = protocol::format_uuid(store.schema_version());
  const SystemTable& peers = table("system", "peers");
  const SystemTable& v2 = table("system", "peers_v2");
  for (std::size_t self = 0; self < 3; ++self) {
    BOOST_TEST_CONTEXT("self " << self) {
      auto p = peers.rows(store, cluster, self);
      auto q = v2.rows(store, cluster, self);
      BOOST_REQUIRE_EQUAL(p.size(), 2u);
      BOOST_REQUIRE_EQUAL(q.size(), 2u);
      std::set<std::string> seen, seen_v2;
      for (const auto& r : p) {
        std::string peer = text(peers, r, "peer");
        BOOST_TEST(text(peers, r, "rpc_address") == peer);
        BOOST_TEST(text(peers, r, "data_center") == "datacenter1");
        BOOST_TEST(text(peers, r, "rack") == "rack1");
        BOOST_TEST(text(peers, r, "release_version") == "4.0.11");
        BOOST_TEST(text(peers, r, "schema_version") == version);
        BOOST_TEST(cell(peers, r, "preferred_ip").is_null());
        int n = peer.back() - '0';
        BOOST_TEST(text(peers, r, "host_id") ==
                   "00000000-0000-4000-8000-00000000000" + std::to_string(n));
        auto tokens = cell(peers, r, "tokens");
        BOOST_REQUIRE(tokens.is_array());
        BOOST_REQUIRE_EQUAL(tokens.as_array().size(), 1u);
        BOOST_TEST(tokens.as_array()[0].as_string() ==
                   std::to_string(cluster.nodes[static_cast<std::size_t>(n - 1)].tokens.front()));
        seen.insert(peer);
      }
      for (const auto& r : q) {
        std::string peer = text(v2, r, "peer");
        int n = peer.back() - '0';
        BOOST_TEST(text(v2, r, "native_address") == peer);
        BOOST_TEST(integer(v2, r, "native_port") == 9041 + n);
        BOOST_TEST(integer(v2, r, "peer_port") == 7000);
        BOOST_TEST(cell(v2, r, "preferred_ip").is_null());
        BOOST_TEST(cell(v2, r, "preferred_port").is_null());
        BOOST_TEST(text(v2, r, "schema_version") == version);
        BOOST_TEST(!cell(v2, r, "host_id").is_null());
        BOOST_TEST(!cell(v2, r, "tokens").is_null());
        seen_v2.insert(peer);
      }
      std::set<std::string> expected;
      for (std::size_t i = 0; i < 3; ++i)
        if (i != self) expected.insert("127.0.0." + std::to_string(i + 1));
      BOOST_TEST(seen == expected, boost::test_tools::per_element());
      BOOST_TEST(seen_v2 == expected, boost::test_tools::per_element());
    }
  }
  // A node outside the cluster sees no local row and everyone as a peer.
  BOOST_TEST(table("system", "local").rows(store, cluster, 3).empty());
  BOOST_TEST(peers.rows(store, cluster, 3).size() == 3u);
  BOOST_TEST(v2.rows(store, cluster, 3).size() == 3u);
}

BOOST_AUTO_TEST_CASE(keyspaces_show_replication_as_a_map) {
  sb::Store store;
  add_orders(store);
  const SystemTable& t = table("system_schema", "keyspaces");
  auto rows = t.rows(store, three_nodes(), 0);
  std::vector<std::string> order;
  for (const auto& r : rows) {
    order.push_back(text(t, r, "keyspace_name"));
    BOOST_TEST(cell(t, r, "durable_writes") == boost::json::value(true));
  }
  // Murmur3 token order of the names, as Cassandra returns them.
  const std::vector<std::string> expected = {"system_auth", "system_schema", "system_distributed",
                                             "system",      "shop",          "system_traces"};
  BOOST_TEST(order == expected, boost::test_tools::per_element());
  auto one = [&](std::string_view ks) {
    return rows_where(t, rows, {{"keyspace_name", std::string(ks)}});
  };
  BOOST_TEST(cell(t, one("shop").at(0), "replication") ==
             boost::json::parse(R"({"class": "org.apache.cassandra.locator.SimpleStrategy",
                                    "replication_factor": "1"})"));
  BOOST_TEST(cell(t, one("system").at(0), "replication") ==
             boost::json::parse(R"({"class": "org.apache.cassandra.locator.LocalStrategy"})"));
  BOOST_TEST(cell(t, one("system_schema").at(0), "replication") ==
             boost::json::parse(R"({"class": "org.apache.cassandra.locator.LocalStrategy"})"));
  BOOST_TEST(cell(t, one("system_distributed").at(0), "replication") ==
             boost::json::parse(R"({"class": "org.apache.cassandra.locator.SimpleStrategy",
                                    "replication_factor": "3"})"));
  // Virtual keyspaces are described in system_virtual_schema only.
  BOOST_TEST(one("system_views").empty());
  BOOST_TEST(one("system_virtual_schema").empty());
}

BOOST_AUTO_TEST_CASE(tables_and_columns_describe_a_store_table) {
  sb::Store store;
  add_orders(store);
  const auto cluster = three_nodes();
  const SystemTable& tables = table("system_schema", "tables");
  auto trows = rows_where(tables, tables.rows(store, cluster, 0),
                          {{"keyspace_name", "shop"}, {"table_name", "orders"}});
  BOOST_REQUIRE_EQUAL(trows.size(), 1u);
  const SystemRow& tr = trows[0];
  auto def = store.table("shop", "orders");
  BOOST_REQUIRE(def.has_value());
  BOOST_TEST(text(tables, tr, "id") == protocol::format_uuid((*def)->id));
  BOOST_TEST(cell(tables, tr, "flags") == boost::json::parse(R"(["compound"])"));
  BOOST_TEST(integer(tables, tr, "gc_grace_seconds") == 864000);
  BOOST_TEST(integer(tables, tr, "default_time_to_live") == 0);
  BOOST_TEST(integer(tables, tr, "memtable_flush_period_in_ms") == 0);
  BOOST_TEST(integer(tables, tr, "min_index_interval") == 128);
  BOOST_TEST(integer(tables, tr, "max_index_interval") == 2048);
  BOOST_TEST(cell(tables, tr, "bloom_filter_fp_chance").as_double() == 0.01);
  BOOST_TEST(cell(tables, tr, "crc_check_chance").as_double() == 1.0);
  BOOST_TEST(cell(tables, tr, "read_repair_chance").as_double() == 0.0);
  BOOST_TEST(text(tables, tr, "comment") == "");
  BOOST_TEST(text(tables, tr, "speculative_retry") == "99p");
  BOOST_TEST(text(tables, tr, "additional_write_policy") == "99p");
  BOOST_TEST(text(tables, tr, "read_repair") == "BLOCKING");
  BOOST_TEST(cell(tables, tr, "cdc").is_null());
  BOOST_TEST(cell(tables, tr, "extensions") == boost::json::object());
  BOOST_TEST(cell(tables, tr, "caching") ==
             boost::json::parse(R"({"keys": "ALL", "rows_per_partition": "NONE"})"));
  BOOST_TEST(cell(tables, tr, "compaction") ==
             boost::json::parse(
                 R"({"class": "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy",
                             "max_threshold": "32", "min_threshold": "4"})"));
  BOOST_TEST(cell(tables, tr, "compression") == boost::json::parse(R"({"chunk_length_in_kb": "16",
                                    "class": "org.apache.cassandra.io.compress.LZ4Compressor"})"));

  const SystemTable& columns = table("system_schema", "columns");
  auto crows = rows_where(columns, columns.rows(store, cluster, 0),
                          {{"keyspace_name", "shop"}, {"table_name", "orders"}});
  // Sorted by column name as bytes: "Data" before the lower-case names.
  using C = std::tuple<std::string, std::string, std::int64_t, std::string, std::string>;
  const std::vector<C> expected = {
      {"Data", "regular", -1, "none", "text"},
      {"attrs", "regular", -1, "none", "map<text, frozen<list<int>>>"},
      {"id", "partition_key", 0, "none", "text"},
      {"qty", "regular", -1, "none", "int"},
      {"tags", "regular", -1, "none", "set<text>"},
  };
  BOOST_REQUIRE_EQUAL(crows.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& [name, kind, position, order, type_text] = expected[i];
    BOOST_TEST_CONTEXT(name) {
      const SystemRow& r = crows[i];
      BOOST_TEST(text(columns, r, "column_name") == name);
      BOOST_TEST(text(columns, r, "kind") == kind);
      BOOST_TEST(integer(columns, r, "position") == position);
      BOOST_TEST(text(columns, r, "clustering_order") == order);
      BOOST_TEST(text(columns, r, "type") == type_text);
      BOOST_TEST(text(columns, r, "column_name_bytes") ==
                 protocol::format_blob(Bytes(name.begin(), name.end())));
    }
  }

  // Dropping the table removes its rows.
  BOOST_REQUIRE(store.drop_table("shop", "orders", false).has_value());
  BOOST_TEST(
      rows_where(columns, columns.rows(store, cluster, 0), {{"keyspace_name", "shop"}}).empty());
  BOOST_TEST(
      rows_where(tables, tables.rows(store, cluster, 0), {{"keyspace_name", "shop"}}).empty());
}

// system_schema describes the system tables themselves, with their own options.
BOOST_AUTO_TEST_CASE(schema_tables_describe_the_system_tables) {
  sb::Store store;
  const auto cluster = three_nodes();
  const SystemTable& tables = table("system_schema", "tables");
  auto trows = tables.rows(store, cluster, 0);
  std::set<std::pair<std::string, std::string>> listed;
  for (const auto& r : trows)
    listed.emplace(text(tables, r, "keyspace_name"), text(tables, r, "table_name"));
  for (const SystemTable& t : sb::system_tables()) {
    BOOST_TEST(listed.count({t.def.keyspace, t.def.name}) == (t.is_virtual ? 0u : 1u),
               t.def.keyspace << "." << t.def.name);
  }
  BOOST_TEST(listed.size() == 15u);
  // TraceKeyspace: gc_grace_seconds 0, the flush period unset, Cassandra's table ids.
  auto sessions =
      rows_where(tables, trows, {{"keyspace_name", "system_traces"}, {"table_name", "sessions"}});
  BOOST_REQUIRE_EQUAL(sessions.size(), 1u);
  BOOST_TEST(integer(tables, sessions[0], "gc_grace_seconds") == 0);
  BOOST_TEST(integer(tables, sessions[0], "memtable_flush_period_in_ms") == 0);
  BOOST_TEST(text(tables, sessions[0], "comment") == "tracing sessions");
  BOOST_TEST(text(tables, sessions[0], "id") == "c5e99f16-8677-3914-b17e-960613512345");
  auto events =
      rows_where(tables, trows, {{"keyspace_name", "system_traces"}, {"table_name", "events"}});
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  BOOST_TEST(text(tables, events[0], "id") == "8826e8e9-e16a-3728-8753-3bc1fc713c25");
  auto local = rows_where(tables, trows, {{"keyspace_name", "system"}, {"table_name", "local"}});
  BOOST_REQUIRE_EQUAL(local.size(), 1u);
  BOOST_TEST(integer(tables, local[0], "gc_grace_seconds") == 0);
  BOOST_TEST(integer(tables, local[0], "memtable_flush_period_in_ms") == 3600000);
  BOOST_TEST(text(tables, local[0], "comment") == "information about the local node");
  BOOST_TEST(text(tables, local[0], "id") == "7ad54392-bcdd-35a6-8417-4e047860b377");
  auto ks =
      rows_where(tables, trows, {{"keyspace_name", "system_schema"}, {"table_name", "keyspaces"}});
  BOOST_REQUIRE_EQUAL(ks.size(), 1u);
  BOOST_TEST(integer(tables, ks[0], "gc_grace_seconds") == 604800);
  BOOST_TEST(text(tables, ks[0], "comment") == "keyspace definitions");

  const SystemTable& columns = table("system_schema", "columns");
  auto crows = columns.rows(store, cluster, 0);
  struct Case {
    std::string keyspace, table, column, kind;
    std::int64_t position;
    std::string order, type;
  };
  const Case cases[] = {
      {"system", "local", "key", "partition_key", 0, "none", "text"},
      {"system", "local", "tokens", "regular", -1, "none", "set<text>"},
      {"system", "local", "truncated_at", "regular", -1, "none", "map<uuid, blob>"},
      {"system", "peers_v2", "peer", "partition_key", 0, "none", "inet"},
      {"system", "peers_v2", "peer_port", "clustering", 0, "asc", "int"},
      {"system_schema", "tables", "caching", "regular", -1, "none", "frozen<map<text, text>>"},
      {"system_schema", "columns", "column_name", "clustering", 1, "asc", "text"},
      {"system_schema", "functions", "argument_types", "clustering", 1, "asc",
       "frozen<list<text>>"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.keyspace << "." << c.table << "." << c.column) {
      auto r = rows_where(
          columns, crows,
          {{"keyspace_name", c.keyspace}, {"table_name", c.table}, {"column_name", c.column}});
      BOOST_REQUIRE_EQUAL(r.size(), 1u);
      BOOST_TEST(text(columns, r[0], "kind") == c.kind);
      BOOST_TEST(integer(columns, r[0], "position") == c.position);
      BOOST_TEST(text(columns, r[0], "clustering_order") == c.order);
      BOOST_TEST(text(columns, r[0], "type") == c.type);
    }
  }
  BOOST_TEST(
      rows_where(columns, crows, {{"keyspace_name", "system"}, {"table_name", "local"}}).size() ==
      20u);

  // SystemKeyspace records local's Thrift-era column as dropped at Long.MAX_VALUE micros.
  const SystemTable& dropped = table("system_schema", "dropped_columns");
  auto drows = dropped.rows(store, cluster, 0);
  BOOST_REQUIRE_EQUAL(drows.size(), 1u);
  BOOST_TEST(text(dropped, drows[0], "keyspace_name") == "system");
  BOOST_TEST(text(dropped, drows[0], "table_name") == "local");
  BOOST_TEST(text(dropped, drows[0], "column_name") == "thrift_version");
  BOOST_TEST(text(dropped, drows[0], "kind") == "regular");
  BOOST_TEST(text(dropped, drows[0], "type") == "text");
  std::int64_t ms = 0;
  BOOST_REQUIRE(protocol::decode_timestamp(*drows[0][column(dropped, "dropped_time")], ms).ok());
  BOOST_TEST(ms == 9223372036854775);

  for (std::string_view name : {"triggers", "views", "types", "functions", "aggregates", "indexes"})
    BOOST_TEST(table("system_schema", name).rows(store, cluster, 0).empty(), name);
}

BOOST_AUTO_TEST_CASE(virtual_schema_describes_its_own_tables) {
  sb::Store store;
  add_orders(store);
  const auto cluster = three_nodes();
  const SystemTable& ks = table("system_virtual_schema", "keyspaces");
  std::vector<std::string> names_seen;
  for (const auto& r : ks.rows(store, cluster, 0))
    names_seen.push_back(text(ks, r, "keyspace_name"));
  // Ordered by the key itself: virtual tables have a LocalPartitioner.
  const std::vector<std::string> expected = {"sandbox", "system_views", "system_virtual_schema"};
  BOOST_TEST(names_seen == expected, boost::test_tools::per_element());

  const SystemTable& tables = table("system_virtual_schema", "tables");
  std::vector<std::string> listed;
  for (const auto& r : tables.rows(store, cluster, 0)) {
    listed.push_back(text(tables, r, "keyspace_name") + "." + text(tables, r, "table_name") + ": " +
                     text(tables, r, "comment"));
  }
  const std::vector<std::string> expected_tables = {
      "sandbox.node_stats: requests each node coordinated",
      "sandbox.nodes: the nodes of the sandbox cluster; UPDATE, INSERT and DELETE change them",
      "system_virtual_schema.columns: virtual column definitions",
      "system_virtual_schema.keyspaces: virtual keyspace definitions",
      "system_virtual_schema.tables: virtual table definitions"};
  BOOST_TEST(listed == expected_tables, boost::test_tools::per_element());

  const SystemTable& columns = table("system_virtual_schema", "columns");
  auto crows = columns.rows(store, cluster, 0);
  BOOST_TEST(crows.size() == 31u);  // 8 + 1 + 3 + 9 + 10; nothing of the Store's tables
  auto r = rows_where(columns, crows, {{"table_name", "columns"}, {"column_name", "column_name"}});
  BOOST_REQUIRE_EQUAL(r.size(), 1u);
  BOOST_TEST(text(columns, r[0], "kind") == "clustering");
  BOOST_TEST(integer(columns, r[0], "position") == 1);
  BOOST_TEST(text(columns, r[0], "clustering_order") == "asc");
  BOOST_TEST(text(columns, r[0], "type") == "text");
  r = rows_where(columns, crows, {{"table_name", "columns"}, {"column_name", "position"}});
  BOOST_REQUIRE_EQUAL(r.size(), 1u);
  BOOST_TEST(text(columns, r[0], "kind") == "regular");
  BOOST_TEST(integer(columns, r[0], "position") == -1);
  BOOST_TEST(text(columns, r[0], "type") == "int");
}

// Rows come in Cassandra's order: partitions by Murmur3 token of the serialized key (by the key
// for virtual tables), then clustering columns ascending.
BOOST_AUTO_TEST_CASE(rows_are_in_primary_key_order) {
  sb::Store store;
  add_orders(store);
  BOOST_REQUIRE(store
                    .create_keyspace(
                        {"zeta", {{"class", "SimpleStrategy"}, {"replication_factor", "1"}}}, false)
                    .has_value());
  sb::TableDef t2{"zeta", "b", {{"k", type("int")}, {"v", type("text")}}, 0, {}, {}, {}};
  sb::TableDef t1{"zeta", "a", {{"k", type("int")}}, 0, {}, {}, {}};
  BOOST_REQUIRE(store.create_table(t2, false).has_value());
  BOOST_REQUIRE(store.create_table(t1, false).has_value());
  const auto cluster = three_nodes();
  for (const SystemTable& t : sb::system_tables()) {
    BOOST_TEST_CONTEXT(t.def.keyspace << "." << t.def.name) {
      auto rows = t.rows(store, cluster, 0);
      for (std::size_t i = 1; i < rows.size(); ++i) {
        const SystemRow& a = rows[i - 1];
        const SystemRow& b = rows[i];
        BOOST_REQUIRE(t.partition_key.size() == 1u);
        const Bytes& ka = *a[t.partition_key[0]];
        const Bytes& kb = *b[t.partition_key[0]];
        if (!t.is_virtual) {
          auto ta = nosqlc::protocol::murmur3_token(ka), tb = nosqlc::protocol::murmur3_token(kb);
          BOOST_TEST(ta <= tb);
          if (ta != tb) continue;
        }
        BOOST_TEST((ka <= kb));
        if (ka != kb) continue;
        // Same partition: clustering values compared as decoded values, never equal throughout.
        bool before = false;
        for (std::size_t c : t.clustering) {
          const auto& ca = a[c];
          const auto& cb = b[c];
          BOOST_REQUIRE(ca && cb);
          auto& ty = t.def.columns[c].type;
          boost::json::value ja, jb;
          BOOST_REQUIRE(protocol::decode_to_json(ty, *ca, ja).ok());
          BOOST_REQUIRE(protocol::decode_to_json(ty, *cb, jb).ok());
          if (ja == jb) continue;
          if (ty.id == TypeId::int_) {
            before = ja.as_int64() < jb.as_int64();
          } else {
            before = std::string(ja.as_string()) < std::string(jb.as_string());
          }
          break;
        }
        BOOST_TEST(before);
      }
    }
  }
  // Within a keyspace, tables by name: zeta.a before zeta.b although b was created first.
  const SystemTable& tables = table("system_schema", "tables");
  auto zeta = rows_where(tables, tables.rows(store, cluster, 0), {{"keyspace_name", "zeta"}});
  BOOST_REQUIRE_EQUAL(zeta.size(), 2u);
  BOOST_TEST(text(tables, zeta[0], "table_name") == "a");
  BOOST_TEST(text(tables, zeta[1], "table_name") == "b");
  // peers_v2 from node 0's view: 127.0.0.2 and 127.0.0.3 in token order of their addresses.
  const SystemTable& v2 = table("system", "peers_v2");
  auto peers = v2.rows(store, cluster, 0);
  BOOST_REQUIRE_EQUAL(peers.size(), 2u);
  BOOST_TEST(nosqlc::protocol::murmur3_token(*peers[0][0]) <=
             nosqlc::protocol::murmur3_token(*peers[1][0]));
}

// Every cell of every row of every table decodes as its column's type: a wrong encoding would
// make a driver fail on the row.
BOOST_AUTO_TEST_CASE(every_cell_decodes_as_its_type) {
  sb::Store store;
  add_orders(store);
  const auto cluster = three_nodes();
  std::size_t cells = 0;
  for (const SystemTable& t : sb::system_tables()) {
    for (std::size_t self = 0; self < cluster.nodes.size(); ++self) {
      for (const SystemRow& row : t.rows(store, cluster, self)) {
        BOOST_REQUIRE_EQUAL(row.size(), t.def.columns.size());
        for (std::size_t i = 0; i < row.size(); ++i) {
          BOOST_TEST_CONTEXT(t.def.keyspace << "." << t.def.name << "." << t.def.columns[i].name) {
            bool key = std::count(t.partition_key.begin(), t.partition_key.end(), i) ||
                       std::count(t.clustering.begin(), t.clustering.end(), i);
            if (key) BOOST_TEST(row[i].has_value());
            if (!row[i]) continue;
            boost::json::value out;
            auto st = protocol::decode_to_json(t.def.columns[i].type, *row[i], out);
            BOOST_TEST(st.ok(), st.message);
            ++cells;
          }
        }
      }
    }
  }
  BOOST_TEST(cells > 1000u);
}

// A nested collection is always frozen in what a table holds: CREATE TABLE refuses one written
// unfrozen (list<list<int>>, see non_frozen_collections_inside_collections_are_invalid), and
// DataType, which cannot say frozen, is shown with every nested collection frozen.
BOOST_AUTO_TEST_CASE(schema_type_text_freezes_nested_collections) {
  struct Case {
    std::string_view type, text;
  };
  const Case cases[] = {
      {"int", "int"},
      {"varchar", "text"},
      {"list<int>", "list<int>"},
      {"set<timeuuid>", "set<timeuuid>"},
      {"map<text, frozen<list<int>>>", "map<text, frozen<list<int>>>"},
      {"list<frozen<map<int, frozen<set<text>>>>>", "list<frozen<map<int, frozen<set<text>>>>>"},
      {"tuple<int, text>", "frozen<tuple<int, text>>"},
      {"frozen<tuple<int, list<int>>>", "frozen<tuple<int, frozen<list<int>>>>"},
      {"set<frozen<tuple<int, text>>>", "set<frozen<tuple<int, text>>>"},
  };
  for (const Case& c : cases)
    BOOST_TEST(sb::schema_type_text(type(c.type)) == c.text, c.type);
}

BOOST_AUTO_TEST_SUITE_END()
