// The CQL text of DESCRIBE: Cassandra 4.0's layout (CqlBuilder's four-space indents and its
// sorted `{'k': 'v'}` maps), its column order and its table options, in their fixed order.
#include "exec/describe_cql.hpp"

#include "exec/executor_internal.hpp"
#include "nosqlc/protocol/keywords.hpp"

#include <algorithm>
#include <map>

namespace nosqlc::sandbox::detail {
namespace {

using systables::ColumnView;
using systables::TableView;

constexpr std::string_view kIndent = "    ";

// CqlBuilder.appendWithSingleQuotes: quotes doubled inside.
std::string quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// CqlBuilder.append(Map): {'k': 'v', ...} by key.
std::string map_text(const std::map<std::string, std::string>& m) {
  std::string out = "{";
  for (const auto& [k, v] : m) {
    if (out.size() > 1) out += ", ";
    out += quoted(k) + ": " + quoted(v);
  }
  return out + "}";
}

// ReplicationParams.appendCqlTo: the class first, by its simple name when it is one of
// org.apache.cassandra.locator's, then the options.
std::string replication_text(const std::map<std::string, std::string>& replication) {
  constexpr std::string_view kLocator = "org.apache.cassandra.locator.";
  std::string cls;
  if (auto it = replication.find("class"); it != replication.end()) cls = it->second;
  if (cls.starts_with(kLocator) && cls.find('.', kLocator.size()) == std::string::npos) {
    cls = cls.substr(kLocator.size());
  }
  std::string out = "{'class': " + quoted(cls);
  for (const auto& [k, v] : replication) {
    if (k != "class") out += ", " + quoted(k) + ": " + quoted(v);
  }
  return out + "}";
}

std::string table_name(const std::string& keyspace, const TableView& t) {
  return cql_name(keyspace) + "." + cql_name(t.name);
}

// A non-frozen collection: Cassandra's complex columns, which it orders after the simple ones.
bool is_complex(const ColumnView& c) {
  return c.type.starts_with("list<") || c.type.starts_with("set<") || c.type.starts_with("map<");
}

// TableMetadata.allColumnsInCreateOrder: the partition key and clustering columns by
// position, then the regular columns, simple before complex, each by name (bytes, unsigned).
std::vector<const ColumnView*> create_order(const TableView& t) {
  std::vector<const ColumnView*> out;
  for (const ColumnView& c : t.columns)
    out.push_back(&c);
  auto rank = [](const ColumnView* c) {
    return c->kind == "partition_key" ? 0 : c->kind == "clustering" ? 1 : is_complex(*c) ? 3 : 2;
  };
  std::stable_sort(out.begin(), out.end(), [&](const ColumnView* a, const ColumnView* b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (rank(a) < 2) return a->position < b->position;
    return std::lexicographical_compare(
        a->name.begin(), a->name.end(), b->name.begin(), b->name.end(), [](char x, char y) {
          return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
        });
  });
  return out;
}

// TableParams.appendCqlTo, each option after the first on its own `AND` line.
void append_params(std::string& out, const TableParams& p) {
  const std::string sep = "\n" + std::string(kIndent) + "AND ";
  out += "additional_write_policy = " + quoted(p.additional_write_policy);
  out += sep + "bloom_filter_fp_chance = " + java_double(p.bloom_filter_fp_chance);
  out += sep + "caching = " + map_text(p.caching);
  out += sep + "cdc = " + (p.cdc ? "true" : "false");
  out += sep + "comment = " + quoted(p.comment);
  out += sep + "compaction = " + map_text(p.compaction);
  out += sep + "compression = " + map_text(p.compression);
  out += sep + "crc_check_chance = " + java_double(p.crc_check_chance);
  out += sep + "default_time_to_live = " + std::to_string(p.default_time_to_live);
  out += sep + "extensions = {}";
  out += sep + "gc_grace_seconds = " + std::to_string(p.gc_grace_seconds);
  out += sep + "max_index_interval = " + std::to_string(p.max_index_interval);
  out += sep + "memtable_flush_period_in_ms = " + std::to_string(p.memtable_flush_period_in_ms);
  out += sep + "min_index_interval = " + std::to_string(p.min_index_interval);
  out += sep + "read_repair = " + quoted(p.read_repair);
  out += sep + "speculative_retry = " + quoted(p.speculative_retry);
}

std::string uuid_text(const protocol::Uuid& u) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[u[i] >> 4];
    out += kHex[u[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string cql_name(std::string_view name) {
  bool plain = !name.empty() && name[0] >= 'a' && name[0] <= 'z' &&
               std::all_of(name.begin(), name.end(), [](char c) {
                 return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
               });
  if (plain && !protocol::is_reserved_keyword(name)) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string keyspace_cql(const systables::KeyspaceView& ks, bool is_virtual) {
  if (is_virtual) {
    return "/*\nWarning: Keyspace " + cql_name(ks.name) +
           " is a virtual keyspace and cannot be recreated with CQL.\n"
           "Structure, for reference:\nVIRTUAL KEYSPACE " +
           cql_name(ks.name) + ";\n*/";
  }
  return "CREATE KEYSPACE " + cql_name(ks.name) +
         " WITH replication = " + replication_text(ks.replication) +
         "  AND durable_writes = " + (ks.durable_writes ? "true" : "false") + ";";
}

std::string table_cql(const std::string& keyspace, const TableView& t, bool internals) {
  const std::string name = table_name(keyspace, t);
  std::string out;
  if (t.is_virtual) {
    out += "/*\nWarning: Table " + name +
           " is a virtual table and cannot be recreated with CQL.\nStructure, for reference:\n";
  }
  out += (t.is_virtual ? "VIRTUAL TABLE " : "CREATE TABLE ") + name + " (\n";

  const std::vector<const ColumnView*> columns = create_order(t);
  std::vector<const ColumnView*> keys, clustering;
  for (const ColumnView* c : columns) {
    if (c->kind == "partition_key") keys.push_back(c);
    if (c->kind == "clustering") clustering.push_back(c);
  }
  const bool single_key = keys.size() == 1 && clustering.empty();
  const bool with_dropped = internals && !t.dropped.empty();
  auto was_dropped = [&](const std::string& column) {
    return std::any_of(t.dropped.begin(), t.dropped.end(),
                       [&](const systables::DroppedView& d) { return d.name == column; });
  };
  // A column added again after a drop comes back below, after its DROP.
  std::vector<const ColumnView*> listed;
  for (const ColumnView* c : columns) {
    if (!(internals && was_dropped(c->name))) listed.push_back(c);
  }
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const ColumnView& c = *listed[i];
    out += std::string(kIndent) + cql_name(c.name) + " " + c.type;
    if (single_key && c.kind == "partition_key") out += " PRIMARY KEY";
    if (!single_key || with_dropped || i + 1 < listed.size()) out += ",";
    out += "\n";
  }
  if (internals) {
    for (std::size_t i = 0; i < t.dropped.size(); ++i) {
      out += std::string(kIndent) + cql_name(t.dropped[i].name) + " " + t.dropped[i].type;
      if (!single_key || i + 1 < t.dropped.size()) out += ",";
      out += "\n";
    }
  }
  if (!single_key) {
    auto names = [](const std::vector<const ColumnView*>& cs) {
      std::string s;
      for (const ColumnView* c : cs)
        s += (s.empty() ? "" : ", ") + cql_name(c->name);
      return s;
    };
    out += std::string(kIndent) + "PRIMARY KEY (";
    out += keys.size() > 1 ? "(" + names(keys) + ")" : names(keys);
    if (!clustering.empty()) out += ", " + names(clustering);
    out += ")\n";
  }
  out += ") WITH ";

  const std::string and_ = "\n" + std::string(kIndent) + "AND ";
  if (internals) out += "ID = " + uuid_text(t.id) + and_;
  if (!clustering.empty()) {
    out += "CLUSTERING ORDER BY (";
    for (std::size_t i = 0; i < clustering.size(); ++i) {
      out += (i ? ", " : "") + cql_name(clustering[i]->name) +
             (clustering[i]->clustering_order == "desc" ? " DESC" : " ASC");
    }
    out += ")" + and_;
  }
  if (t.is_virtual) {
    out += "comment = " + quoted(t.params.comment);
  } else {
    append_params(out, t.params);
  }
  out += ";";
  if (t.is_virtual) out += "\n*/";

  if (internals) {
    for (const systables::DroppedView& d : t.dropped) {
      out += "\nALTER TABLE " + name + " DROP " + cql_name(d.name) + " USING TIMESTAMP " +
             std::to_string(d.dropped_at) + ";";
      for (const ColumnView* c : columns) {
        if (c->name == d.name)
          out += "\nALTER TABLE " + name + " ADD " + cql_name(c->name) + " " + c->type + ";";
      }
    }
  }
  return out;
}

}  // namespace nosqlc::sandbox::detail
