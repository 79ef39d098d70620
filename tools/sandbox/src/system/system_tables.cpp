// The system-table registry: Cassandra 4.0's definitions of the tables the sandbox serves, the
// primary-key ordering of their rows, table ids, and the cell encoders the generators share.
#include "system/system_tables_internal.hpp"

#include "cql/literals.hpp"
#include "cql/parser.hpp"
#include "nosqlc/protocol/cluster/murmur3.hpp"
#include "nosqlc/protocol/values.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace nosqlc::sandbox {
namespace systables {
namespace {

// ---- MD5 (RFC 1321), for TableId.forSystemTable's name-based UUIDs ----

std::uint32_t rotl(std::uint32_t x, int c) {
  return (x << c) | (x >> (32 - c));
}

std::array<std::uint8_t, 16> md5(BytesView data) {
  static const std::array<std::uint32_t, 64> k = [] {
    std::array<std::uint32_t, 64> t{};
    // RFC 1321 3.4: T[i] is the integer part of 2^32 * |sin(i)|; doubles give it exactly.
    for (std::size_t i = 0; i < t.size(); ++i)
      t[i] =
          static_cast<std::uint32_t>(std::floor(std::fabs(std::sin(double(i + 1))) * 4294967296.0));
    return t;
  }();
  static constexpr int shifts[4][4] = {
      {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
  Bytes msg(data.begin(), data.end());
  msg.push_back(0x80);
  while (msg.size() % 64 != 56)
    msg.push_back(0);
  std::uint64_t bits = std::uint64_t(data.size()) * 8;
  for (int i = 0; i < 8; ++i)
    msg.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));

  std::uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  for (std::size_t off = 0; off < msg.size(); off += 64) {
    std::uint32_t m[16];
    for (int j = 0; j < 16; ++j) {
      const std::uint8_t* p = &msg[off + 4 * j];
      m[j] = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
             std::uint32_t(p[3]) << 24;
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; ++i) {
      std::uint32_t f;
      int g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      f += a + k[static_cast<std::size_t>(i)] + m[g];
      a = d;
      d = c;
      c = b;
      b += rotl(f, shifts[i / 16][i % 4]);
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  }
  std::array<std::uint8_t, 16> out{};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      out[static_cast<std::size_t>(4 * i + j)] = static_cast<std::uint8_t>(h[i] >> (8 * j));
  return out;
}

// ---- Row order ----

// Null first, then Cassandra's order of the type (the one comparator the sandbox has).
std::strong_ordering compare_cells(const protocol::DataType& t, const std::optional<Bytes>& a,
                                   const std::optional<Bytes>& b) {
  if (!a || !b) return a.has_value() <=> b.has_value();
  return compare_values(t, *a, *b);
}

// The partition key as Cassandra serializes it for the partitioner: the cell itself, or for a
// composite key each component as a 2-byte length, the bytes and an end-of-component 0.
Bytes partition_key_bytes(const SystemTable& t, const SystemRow& row) {
  if (t.partition_key.size() == 1) return row[t.partition_key[0]].value_or(Bytes{});
  Bytes out;
  for (std::size_t i : t.partition_key) {
    const Bytes& c = row[i] ? *row[i] : Bytes{};
    out.push_back(static_cast<std::uint8_t>(c.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(c.size()));
    out.insert(out.end(), c.begin(), c.end());
    out.push_back(0);
  }
  return out;
}

void sort_rows(const SystemTable& t, std::vector<SystemRow>& rows) {
  struct Keyed {
    std::int64_t token;
    Bytes key;
    SystemRow row;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(rows.size());
  for (auto& r : rows) {
    Bytes key = partition_key_bytes(t, r);
    std::int64_t token = t.is_virtual ? 0 : protocol::murmur3_token(key);
    keyed.push_back({token, std::move(key), std::move(r)});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
    if (a.token != b.token) return a.token < b.token;
    if (auto c = compare_bytes(a.key, b.key); c != 0) return c < 0;
    for (std::size_t i : t.clustering) {
      if (auto c = compare_cells(t.def.columns[i].type, a.row[i], b.row[i]); c != 0) return c < 0;
    }
    return false;
  });
  for (std::size_t i = 0; i < rows.size(); ++i)
    rows[i] = std::move(keyed[i].row);
}

// ---- Definitions ----

struct ColumnSpec {
  std::string_view name;
  std::string_view type;  // as system_schema.columns spells it
};

struct TableSpec {
  std::string_view keyspace;
  std::string_view name;
  std::string_view comment;
  std::vector<ColumnSpec> partition_key;
  std::vector<ColumnSpec> clustering;
  std::vector<ColumnSpec> regular;  // any order: sorted as SELECT * lists them
  bool is_virtual = false;
  Generator generate = nullptr;
};

// The options every system_schema.tables and .views row carries, as Cassandra 4.0's tables
// declare them.
std::vector<ColumnSpec> with_table_options(std::vector<ColumnSpec> columns) {
  const ColumnSpec options[] = {
      {"additional_write_policy", "text"},
      {"bloom_filter_fp_chance", "double"},
      {"caching", "frozen<map<text, text>>"},
      {"cdc", "boolean"},
      {"comment", "text"},
      {"compaction", "frozen<map<text, text>>"},
      {"compression", "frozen<map<text, text>>"},
      {"crc_check_chance", "double"},
      {"dclocal_read_repair_chance", "double"},
      {"default_time_to_live", "int"},
      {"extensions", "frozen<map<text, blob>>"},
      {"gc_grace_seconds", "int"},
      {"id", "uuid"},
      {"max_index_interval", "int"},
      {"memtable_flush_period_in_ms", "int"},
      {"min_index_interval", "int"},
      {"read_repair", "text"},
      {"read_repair_chance", "double"},
      {"speculative_retry", "text"},
  };
  columns.insert(columns.end(), std::begin(options), std::end(options));
  return columns;
}

std::vector<TableSpec> specs() {
  const ColumnSpec ks{"keyspace_name", "text"};
  const ColumnSpec table_name{"table_name", "text"};
  const ColumnSpec column_name{"column_name", "text"};
  const ColumnSpec argument_types{"argument_types", "frozen<list<text>>"};
  const std::vector<ColumnSpec> column_details = {{"clustering_order", "text"},
                                                  {"column_name_bytes", "blob"},
                                                  {"kind", "text"},
                                                  {"position", "int"},
                                                  {"type", "text"}};
  const std::string_view peers_comment = "information about known peers in the cluster";
  return {
      // SystemKeyspace.LOCAL, LEGACY_PEERS and PEERS_V2.
      {"system",
       "local",
       "information about the local node",
       {{"key", "text"}},
       {},
       {{"bootstrapped", "text"},
        {"broadcast_address", "inet"},
        {"broadcast_port", "int"},
        {"cluster_name", "text"},
        {"cql_version", "text"},
        {"data_center", "text"},
        {"gossip_generation", "int"},
        {"host_id", "uuid"},
        {"listen_address", "inet"},
        {"listen_port", "int"},
        {"native_protocol_version", "text"},
        {"partitioner", "text"},
        {"rack", "text"},
        {"release_version", "text"},
        {"rpc_address", "inet"},
        {"rpc_port", "int"},
        {"schema_version", "uuid"},
        {"tokens", "set<text>"},
        {"truncated_at", "map<uuid, blob>"}},
       false,
       &local_rows},
      {"system",
       "peers",
       peers_comment,
       {{"peer", "inet"}},
       {},
       {{"data_center", "text"},
        {"host_id", "uuid"},
        {"preferred_ip", "inet"},
        {"rack", "text"},
        {"release_version", "text"},
        {"rpc_address", "inet"},
        {"schema_version", "uuid"},
        {"tokens", "set<text>"}},
       false,
       &peers_rows},
      {"system",
       "peers_v2",
       peers_comment,
       {{"peer", "inet"}},
       {{"peer_port", "int"}},
       {{"data_center", "text"},
        {"host_id", "uuid"},
        {"native_address", "inet"},
        {"native_port", "int"},
        {"preferred_ip", "inet"},
        {"preferred_port", "int"},
        {"rack", "text"},
        {"release_version", "text"},
        {"schema_version", "uuid"},
        {"tokens", "set<text>"}},
       false,
       &peers_v2_rows},
      // SchemaKeyspace, in its ALL_TABLE_METADATA order.
      {"system_schema",
       "keyspaces",
       "keyspace definitions",
       {ks},
       {},
       {{"durable_writes", "boolean"}, {"replication", "frozen<map<text, text>>"}},
       false,
       &keyspaces_rows},
      {"system_schema",
       "tables",
       "table definitions",
       {ks},
       {table_name},
       with_table_options({{"flags", "frozen<set<text>>"}}),
       false,
       &tables_rows},
      {"system_schema",
       "columns",
       "column definitions",
       {ks},
       {table_name, column_name},
       column_details,
       false,
       &columns_rows},
      {"system_schema",
       "triggers",
       "trigger definitions",
       {ks},
       {table_name, {"trigger_name", "text"}},
       {{"options", "frozen<map<text, text>>"}},
       false,
       &no_rows},
      {"system_schema",
       "dropped_columns",
       "dropped column registry",
       {ks},
       {table_name, column_name},
       {{"dropped_time", "timestamp"}, {"kind", "text"}, {"type", "text"}},
       false,
       &dropped_columns_rows},
      {"system_schema",
       "views",
       "view definitions",
       {ks},
       {{"view_name", "text"}},
       with_table_options({{"base_table_id", "uuid"},
                           {"base_table_name", "text"},
                           {"include_all_columns", "boolean"},
                           {"where_clause", "text"}}),
       false,
       &no_rows},
      {"system_schema",
       "types",
       "user defined type definitions",
       {ks},
       {{"type_name", "text"}},
       {{"field_names", "frozen<list<text>>"}, {"field_types", "frozen<list<text>>"}},
       false,
       &no_rows},
      {"system_schema",
       "functions",
       "user defined function definitions",
       {ks},
       {{"function_name", "text"}, argument_types},
       {{"argument_names", "frozen<list<text>>"},
        {"body", "text"},
        {"called_on_null_input", "boolean"},
        {"language", "text"},
        {"return_type", "text"}},
       false,
       &no_rows},
      {"system_schema",
       "aggregates",
       "user defined aggregate definitions",
       {ks},
       {{"aggregate_name", "text"}, argument_types},
       {{"final_func", "text"},
        {"initcond", "text"},
        {"return_type", "text"},
        {"state_func", "text"},
        {"state_type", "text"}},
       false,
       &no_rows},
      {"system_schema",
       "indexes",
       "secondary index definitions",
       {ks},
       {table_name, {"index_name", "text"}},
       {{"kind", "text"}, {"options", "frozen<map<text, text>>"}},
       false,
       &no_rows},
      // TraceKeyspace: Sessions and Events.
      {"system_traces",
       "sessions",
       "tracing sessions",
       {{"session_id", "uuid"}},
       {},
       {{"client", "inet"},
        {"command", "text"},
        {"coordinator", "inet"},
        {"coordinator_port", "int"},
        {"duration", "int"},
        {"parameters", "map<text, text>"},
        {"request", "text"},
        {"started_at", "timestamp"}},
       false,
       &trace_sessions_rows},
      {"system_traces",
       "events",
       "tracing events",
       {{"session_id", "uuid"}},
       {{"event_id", "timeuuid"}},
       {{"activity", "text"},
        {"source", "inet"},
        {"source_elapsed", "int"},
        {"source_port", "int"},
        {"thread", "text"}},
       false,
       &trace_events_rows},
      // VirtualSchemaKeyspace.
      {"system_virtual_schema",
       "keyspaces",
       "virtual keyspace definitions",
       {ks},
       {},
       {},
       true,
       &virtual_keyspaces_rows},
      {"system_virtual_schema",
       "tables",
       "virtual table definitions",
       {ks},
       {table_name},
       {{"comment", "text"}},
       true,
       &virtual_tables_rows},
      {"system_virtual_schema",
       "columns",
       "virtual column definitions",
       {ks},
       {table_name, column_name},
       column_details,
       true,
       &virtual_columns_rows},
      // The sandbox's own virtual tables: what each node coordinated, and the nodes themselves
      // (writable: see execute_control.cpp).
      {"sandbox",
       "node_stats",
       "requests each node coordinated",
       {{"address", "text"}},
       {},
       {{"batches", "bigint"},
        {"dc", "text"},
        {"executes", "bigint"},
        {"keyed_requests", "bigint"},
        {"prepares", "bigint"},
        {"queries", "bigint"},
        {"rack", "text"},
        {"replica_requests", "bigint"}},
       true,
       &node_stats_rows},
      {"sandbox",
       "nodes",
       "the nodes of the sandbox cluster; UPDATE, INSERT and DELETE change them",
       {{"address", "text"}},
       {},
       {{"clock_skew_ms", "int"},
        {"close_after", "int"},
        {"dc", "text"},
        {"error", "text"},
        {"error_share", "double"},
        {"latency_ms", "int"},
        {"rack", "text"},
        {"silent", "boolean"},
        {"up", "boolean"}},
       true,
       &nodes_rows},
  };
}

protocol::DataType parse_type_or_throw(std::string_view text) {
  auto t = cql::parse_type(text);
  if (!t) throw std::logic_error("bad system table type: " + std::string(text));
  return std::move(*t);
}

std::vector<SystemTable> build_registry() {
  std::vector<TableSpec> all = specs();
  std::vector<SystemTable> out;
  out.reserve(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    TableSpec& s = all[i];
    std::sort(s.regular.begin(), s.regular.end(),
              [](const ColumnSpec& a, const ColumnSpec& b) { return a.name < b.name; });
    SystemTable t;
    t.def.keyspace = std::string(s.keyspace);
    t.def.name = std::string(s.name);
    t.def.id = system_table_id(s.keyspace, s.name);
    t.def.partition_key = 0;
    t.comment = std::string(s.comment);
    t.is_virtual = s.is_virtual;
    auto add = [&](const std::vector<ColumnSpec>& cols, std::vector<std::size_t>* indices) {
      for (const ColumnSpec& c : cols) {
        if (indices) indices->push_back(t.def.columns.size());
        t.def.columns.push_back({std::string(c.name), parse_type_or_throw(c.type)});
        t.schema_types.emplace_back(c.type);
      }
    };
    add(s.partition_key, &t.partition_key);
    add(s.clustering, &t.clustering);
    add(s.regular, nullptr);
    // The registry never changes once built, so the table is found again by its index.
    t.rows = [i, generate = s.generate](const Store& store, const ClusterInfo& cluster,
                                        std::size_t self) {
      const SystemTable& table = system_tables()[i];
      std::vector<SystemRow> rows = generate(table, store, cluster, self);
      sort_rows(table, rows);
      return rows;
    };
    out.push_back(std::move(t));
  }
  return out;
}

const std::vector<SystemTable>& registry() {
  static const std::vector<SystemTable> tables = build_registry();
  return tables;
}

std::string type_text(const protocol::DataType& t, bool nested) {
  using protocol::TypeId;
  auto join = [&](std::string_view kind) {
    std::string s(kind);
    s += '<';
    for (std::size_t i = 0; i < t.params.size(); ++i) {
      if (i) s += ", ";
      s += type_text(t.params[i], true);
    }
    return s + '>';
  };
  switch (t.id) {
    case TypeId::list:
    case TypeId::set:
    case TypeId::map: {
      std::string s = join(t.id == TypeId::list ? "list" : t.id == TypeId::set ? "set" : "map");
      return nested ? "frozen<" + s + ">" : s;
    }
    case TypeId::tuple:
      return "frozen<" + join("tuple") + ">";
    case TypeId::udt:
      return "frozen<" + t.udt_name + ">";
    default:
      return protocol::to_cql(t);
  }
}

}  // namespace

// ---- Cells ----

std::optional<Bytes> text_cell(std::string_view v) {
  Bytes out;
  if (!protocol::encode_text(v, out).ok()) return std::nullopt;
  return out;
}

Bytes blob_cell(std::string_view bytes) {
  return Bytes(bytes.begin(), bytes.end());
}

std::optional<Bytes> inet_cell(const protocol::Inet& v) {
  Bytes out;
  if (!protocol::encode_inet(v, out).ok()) return std::nullopt;
  return out;
}

std::optional<Bytes> text_set_cell(std::vector<std::string> elements) {
  std::sort(elements.begin(), elements.end());
  elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
  std::vector<Bytes> encoded;
  for (const auto& e : elements) {
    auto c = text_cell(e);
    if (!c) return std::nullopt;
    encoded.push_back(std::move(*c));
  }
  std::vector<BytesView> views(encoded.begin(), encoded.end());
  Bytes out;
  if (!protocol::encode_collection(views, out).ok()) return std::nullopt;
  return out;
}

std::optional<Bytes> text_map_cell(const std::map<std::string, std::string>& entries) {
  // std::map orders std::string keys as unsigned bytes: UTF8Type's order, as Cassandra
  // serializes maps.
  std::vector<std::pair<Bytes, Bytes>> encoded;
  for (const auto& [k, v] : entries) {
    auto kc = text_cell(k);
    auto vc = text_cell(v);
    if (!kc || !vc) return std::nullopt;
    encoded.emplace_back(std::move(*kc), std::move(*vc));
  }
  std::vector<std::pair<BytesView, BytesView>> views;
  for (const auto& [k, v] : encoded)
    views.emplace_back(k, v);
  Bytes out;
  if (!protocol::encode_map(views, out).ok()) return std::nullopt;
  return out;
}

Bytes empty_map_cell() {
  return Bytes{0, 0, 0, 0};
}

RowBuilder& RowBuilder::set(std::string_view column, std::optional<Bytes> value) {
  auto i = table_.def.column_index(column);
  if (!i) {
    throw std::logic_error("no column " + std::string(column) + " in " + table_.def.keyspace + "." +
                           table_.def.name);
  }
  row_[*i] = std::move(value);
  return *this;
}

std::vector<SystemRow> no_rows(const SystemTable&, const Store&, const ClusterInfo&, std::size_t) {
  return {};
}

}  // namespace systables

const SystemTable* find_system_table(std::string_view keyspace, std::string_view table) {
  for (const SystemTable& t : systables::registry()) {
    if (t.def.keyspace == keyspace && t.def.name == table) return &t;
  }
  return nullptr;
}

std::span<const SystemTable> system_tables() {
  return systables::registry();
}

bool is_system_keyspace(std::string_view name) {
  constexpr std::string_view names[] = {
      "system",        "system_schema",         "system_auth",  "system_distributed",
      "system_traces", "system_virtual_schema", "system_views", "sandbox",
  };
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

protocol::Uuid system_table_id(std::string_view keyspace, std::string_view table) {
  std::string name = std::string(keyspace) + std::string(table);
  auto digest =
      systables::md5(BytesView(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
  // java.util.UUID.nameUUIDFromBytes: version 3, IETF variant.
  digest[6] = static_cast<std::uint8_t>((digest[6] & 0x0f) | 0x30);
  digest[8] = static_cast<std::uint8_t>((digest[8] & 0x3f) | 0x80);
  return digest;
}

std::string schema_type_text(const protocol::DataType& type) {
  return systables::type_text(type, false);
}

}  // namespace nosqlc::sandbox
