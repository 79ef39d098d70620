// DESCRIBE, as Cassandra 4.0's DescribeStatement answers it: the schema's elements (keyspaces,
// then each one's tables; the sandbox has no types, functions, aggregates, indexes or views),
// listed by name or with their CQL text, paged by row; DESCRIBE CLUSTER's one row.
#include "exec/describe_cql.hpp"
#include "exec/executor_internal.hpp"
#include "nosqlc/protocol/cluster/hosts.hpp"

#include <algorithm>
#include <cctype>

namespace nosqlc::sandbox::detail {
namespace {

using Kind = cql::Describe::Kind;
using systables::KeyspaceView;
using systables::TableView;

constexpr std::uint16_t kPagingVersion = 0x0001;

// One row of the answer.
struct Element {
  std::string keyspace, type, name;  // names as CQL text (quoted when they need it)
  std::string create_statement;
};

// SchemaElement.NAME_COMPARATOR: names compared ignoring case.
bool name_less(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

struct Schema {
  std::vector<KeyspaceView> keyspaces;  // sorted by name
  std::vector<bool> is_virtual;         // parallel to keyspaces

  explicit Schema(const Store& store) {
    std::vector<KeyspaceView> all = systables::schema_keyspaces(store);
    const std::size_t stored = all.size();
    for (KeyspaceView& ks : systables::virtual_keyspaces())
      all.push_back(std::move(ks));
    std::vector<std::size_t> order(all.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return name_less(all[a].name, all[b].name);
    });
    for (std::size_t i : order) {
      is_virtual.push_back(i >= stored);
      keyspaces.push_back(std::move(all[i]));
    }
    for (KeyspaceView& ks : keyspaces) {
      std::stable_sort(
          ks.tables.begin(), ks.tables.end(),
          [](const TableView& a, const TableView& b) { return name_less(a.name, b.name); });
    }
  }

  // validateKeyspace: KeyspaceNotDefinedException, an Invalid error.
  std::size_t find(const std::string& name) const {
    for (std::size_t i = 0; i < keyspaces.size(); ++i) {
      if (keyspaces[i].name == name) return i;
    }
    fail_invalid("'" + name + "' not found in keyspaces");
  }
  bool contains(const std::string& name) const {
    return std::any_of(keyspaces.begin(), keyspaces.end(),
                       [&](const KeyspaceView& ks) { return ks.name == name; });
  }
};

Element table_element(const KeyspaceView& ks, const TableView& t, bool internals) {
  return {cql_name(ks.name), "table", cql_name(t.name), table_cql(ks.name, t, internals)};
}

// The keyspace, then (unless `only`) its tables by name.
void keyspace_elements(const Schema& s, std::size_t i, bool only, bool internals,
                       std::vector<Element>& out) {
  const KeyspaceView& ks = s.keyspaces[i];
  out.push_back(
      {cql_name(ks.name), "keyspace", cql_name(ks.name), keyspace_cql(ks, s.is_virtual[i])});
  if (only) return;
  for (const TableView& t : ks.tables)
    out.push_back(table_element(ks, t, internals));
}

// The keyspace an element form names, else the current one.
std::string element_keyspace(const cql::Describe& d, const std::string& current) {
  if (d.keyspace) return *d.keyspace;
  if (current.empty()) fail_invalid("No keyspace specified and no current keyspace");
  return current;
}

const TableView* find_table(const KeyspaceView& ks, const std::string& name) {
  for (const TableView& t : ks.tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

// The rows of every form but CLUSTER. `listing`: names only (no create_statement column).
std::vector<Element> describe(const Schema& s, const cql::Describe& d, const std::string& current,
                              bool& listing) {
  std::vector<Element> out;
  listing = false;
  const bool internals = d.with_internals;
  switch (d.kind) {
    case Kind::schema:
      for (std::size_t i = 0; i < s.keyspaces.size(); ++i) {
        if (d.full || !is_system_keyspace(s.keyspaces[i].name)) {
          keyspace_elements(s, i, false, internals, out);
        }
      }
      break;
    case Kind::keyspaces:
      listing = true;
      for (const KeyspaceView& ks : s.keyspaces)
        out.push_back({cql_name(ks.name), "keyspace", cql_name(ks.name), {}});
      break;
    case Kind::keyspace:
      keyspace_elements(s, s.find(element_keyspace(d, current)), d.only, internals, out);
      break;
    case Kind::tables:
    case Kind::types:
    case Kind::functions:
    case Kind::aggregates: {
      listing = true;
      std::vector<std::size_t> which;
      if (current.empty()) {
        for (std::size_t i = 0; i < s.keyspaces.size(); ++i)
          which.push_back(i);
      } else {
        which.push_back(s.find(current));
      }
      if (d.kind != Kind::tables) break;  // no types, functions or aggregates anywhere
      for (std::size_t i : which) {
        for (const TableView& t : s.keyspaces[i].tables)
          out.push_back({cql_name(s.keyspaces[i].name), "table", cql_name(t.name), {}});
      }
      break;
    }
    case Kind::table: {
      const KeyspaceView& ks = s.keyspaces[s.find(element_keyspace(d, current))];
      const TableView* t = find_table(ks, d.name);
      if (!t) fail_invalid("Table '" + d.name + "' not found in keyspace '" + ks.name + "'");
      out.push_back(table_element(ks, *t, internals));
      break;
    }
    case Kind::index:
    case Kind::view:
    case Kind::type:
    case Kind::function:
    case Kind::aggregate: {
      const KeyspaceView& ks = s.keyspaces[s.find(element_keyspace(d, current))];
      const std::string what = d.kind == Kind::index      ? "Table for existing index '"
                               : d.kind == Kind::view     ? "Materialized view '"
                               : d.kind == Kind::type     ? "User defined type '"
                               : d.kind == Kind::function ? "User defined function '"
                                                          : "User defined aggregate '";
      fail_invalid(what + d.name + "' not found in '" + ks.name + "'");
    }
    case Kind::generic: {
      // A keyspace, else a table (index, view) of the named or current keyspace.
      if (!d.keyspace && s.contains(d.name)) {
        keyspace_elements(s, s.find(d.name), false, internals, out);
        break;
      }
      const std::string name = d.keyspace ? *d.keyspace : current.empty() ? d.name : current;
      const KeyspaceView& ks = s.keyspaces[s.find(name)];
      const TableView* t = find_table(ks, d.name);
      if (!t) fail_invalid("'" + d.name + "' not found in keyspace '" + ks.name + "'");
      out.push_back(table_element(ks, *t, internals));
      break;
    }
    case Kind::cluster:
      break;
  }
  return out;
}

void put_int(Bytes& b, std::uint64_t v, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
    b.push_back(static_cast<std::uint8_t>(v >> shift));
}
void put_value(Bytes& b, std::string_view v) {
  put_int(b, v.size(), 4);
  b.insert(b.end(), v.begin(), v.end());
}
BytesView text_view(std::string_view s) {
  return BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

// The paging state: a version, the schema version the first page was read at and the offset
// of the next row (DescribeStatement's, less the release version).
Bytes paging_state(const protocol::Uuid& schema, std::uint64_t offset) {
  Bytes b;
  put_int(b, kPagingVersion, 2);
  b.insert(b.end(), schema.begin(), schema.end());
  put_int(b, offset, 8);
  return b;
}
std::uint64_t paging_offset(BytesView state, const protocol::Uuid& schema) {
  if (state.size() != 2 + 16 + 8) fail_invalid("Invalid paging state.");
  if (state[0] != 0 || state[1] != kPagingVersion) fail_invalid("Incompatible paging state");
  if (!std::equal(schema.begin(), schema.end(), state.begin() + 2)) {
    fail_invalid(
        "The schema has changed since the previous page of the DESCRIBE statement result. "
        "Please retry the DESCRIBE statement.");
  }
  std::uint64_t offset = 0;
  for (std::size_t i = 18; i < state.size(); ++i)
    offset = offset << 8 | state[i];
  return offset;
}

// DESCRIBE CLUSTER's row: the cluster's name, partitioner and snitch (trimmed of their
// packages, the snitch being the DynamicEndpointSnitch Cassandra wraps around its own), and
// with a current keyspace that is not a system one, the replicas' addresses by the end token
// of each ring range.
Reply describe_cluster(const Cluster& cluster, const std::string& current,
                       const ReplicaCheck::ReplicationOf& replication_of) {
  const auto info = cluster.info();
  Reply reply;
  RowsWriter w(reply, "system", "describe");
  const DataType text = DataType::of(TypeId::varchar);
  w.column("cluster", text);
  w.column("partitioner", text);
  w.column("snitch", text);
  std::vector<std::string> cells = {info->cluster_name, "Murmur3Partitioner",
                                    "DynamicEndpointSnitch"};
  std::optional<Bytes> ownership;
  if (!current.empty() && !is_system_keyspace(current)) {
    w.column("range_ownership", DataType::map_of(text, DataType::list_of(text)));
    std::vector<std::int64_t> tokens;
    for (const NodeInfo& n : info->nodes) {
      if (n.member) tokens.insert(tokens.end(), n.tokens.begin(), n.tokens.end());
    }
    std::sort(tokens.begin(), tokens.end());
    std::vector<std::vector<std::size_t>> ranges;
    if (auto r = replication_of(current)) ranges = cluster.range_replicas(*r, {}, {});
    ownership.emplace();
    put_int(*ownership, ranges.size(), 4);
    for (std::size_t k = 0; k < ranges.size() && k < tokens.size(); ++k) {
      put_value(*ownership, std::to_string(tokens[k]));
      Bytes list;
      put_int(list, ranges[k].size(), 4);
      for (std::size_t node : ranges[k]) {
        std::string host = protocol::address_text(info->nodes[node].address.address);
        if (host.find(':') != std::string::npos) host = "[" + host + "]";
        put_value(list, host + ":" + std::to_string(info->storage_port));
      }
      put_value(*ownership,
                std::string_view(reinterpret_cast<const char*>(list.data()), list.size()));
    }
  }
  std::vector<std::optional<BytesView>> row;
  for (const std::string& c : cells)
    row.emplace_back(text_view(c));
  if (ownership) row.emplace_back(BytesView(*ownership));
  w.row(row);
  w.finish();
  return reply;
}

}  // namespace

Reply run_describe(const Store& store, const Cluster& cluster, const cql::Describe& d,
                   const std::string& keyspace, const protocol::QueryParameters& params,
                   const ReplicaCheck::ReplicationOf& replication_of) {
  if (d.kind == Kind::cluster) return describe_cluster(cluster, keyspace, replication_of);
  const protocol::Uuid version = store.schema_version();
  const std::uint64_t offset =
      params.paging_state ? paging_offset(*params.paging_state, version) : 0;
  Schema schema(store);
  bool listing = false;
  std::vector<Element> elements = describe(schema, d, keyspace, listing);

  Reply reply;
  RowsWriter w(reply, "system", "describe");
  const DataType text = DataType::of(TypeId::varchar);
  for (const char* c : {"keyspace_name", "type", "name"})
    w.column(c, text);
  if (!listing) w.column("create_statement", text);
  const std::uint64_t page = params.page_size && *params.page_size > 0
                                 ? static_cast<std::uint64_t>(*params.page_size)
                                 : elements.size() + 1;
  std::uint64_t i = offset;
  for (; i < elements.size() && i - offset < page; ++i) {
    const Element& e = elements[i];
    std::vector<std::optional<BytesView>> row = {text_view(e.keyspace), text_view(e.type),
                                                 text_view(e.name)};
    if (!listing) row.emplace_back(text_view(e.create_statement));
    w.row(row);
  }
  // As Cassandra: a full page says there may be more, even when no row is left.
  if (i - offset == page) {
    w.finish(paging_state(version, i));
  } else {
    w.finish();
  }
  return reply;
}

}  // namespace nosqlc::sandbox::detail
