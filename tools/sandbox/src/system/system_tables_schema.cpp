// The schema tables: system_schema (the keyspaces and tables the Store holds, and those of the
// system keyspaces as Cassandra 4.0 lists them) and system_virtual_schema (its own tables).
#include "system/schema_views.hpp"
#include "system/system_tables_internal.hpp"

#include <limits>

namespace nosqlc::sandbox::systables {
namespace {

constexpr std::string_view kLocalStrategy = "org.apache.cassandra.locator.LocalStrategy";
constexpr std::string_view kSimpleStrategy = "org.apache.cassandra.locator.SimpleStrategy";

TableView view_of(const SystemTable& t) {
  TableView v;
  v.name = t.def.name;
  v.id = t.def.id;
  v.params.comment = t.comment;
  v.is_virtual = t.is_virtual;
  for (std::size_t i = 0; i < t.def.columns.size(); ++i) {
    ColumnView c{t.def.columns[i].name, t.schema_types[i], "regular"};
    for (std::size_t p = 0; p < t.partition_key.size(); ++p) {
      if (t.partition_key[p] != i) continue;
      c.kind = "partition_key";
      c.position = static_cast<std::int32_t>(p);
    }
    for (std::size_t p = 0; p < t.clustering.size(); ++p) {
      if (t.clustering[p] != i) continue;
      c.kind = "clustering";
      c.position = static_cast<std::int32_t>(p);
      c.clustering_order = "asc";
    }
    v.columns.push_back(std::move(c));
  }
  return v;
}

TableView view_of(const TableDef& t) {
  TableView v;
  v.name = t.name;
  v.id = t.id;
  v.params = t.params;
  for (const DroppedColumn& d : t.dropped) {
    std::string type = schema_type_text(d.type);
    if (d.frozen) type = "frozen<" + type + ">";
    v.dropped.push_back({d.name, std::move(type), d.dropped_at});
  }
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const ColumnDef& col = t.columns[i];
    std::string type = schema_type_text(col.type);
    if (col.frozen) type = "frozen<" + type + ">";
    ColumnView c{col.name, std::move(type), "regular"};
    if (i == t.partition_key) {
      c.kind = "partition_key";
      c.position = 0;
    }
    v.columns.push_back(std::move(c));
  }
  return v;
}

void set_column_details(RowBuilder& b, const ColumnView& c) {
  b.set("column_name", text_cell(c.name))
      .set("clustering_order", text_cell(c.clustering_order))
      .set("column_name_bytes", blob_cell(c.name))
      .set("kind", text_cell(c.kind))
      .set("position", int_cell(c.position))
      .set("type", text_cell(c.type));
}

}  // namespace

std::vector<KeyspaceView> schema_keyspaces(const Store& store) {
  std::vector<KeyspaceView> out = {
      {"system", true, {{"class", std::string(kLocalStrategy)}}, {}},
      {"system_auth",
       true,
       {{"class", std::string(kSimpleStrategy)}, {"replication_factor", "1"}},
       {}},
      {"system_distributed",
       true,
       {{"class", std::string(kSimpleStrategy)}, {"replication_factor", "3"}},
       {}},
      {"system_schema", true, {{"class", std::string(kLocalStrategy)}}, {}},
      {"system_traces",
       true,
       {{"class", std::string(kSimpleStrategy)}, {"replication_factor", "2"}},
       {}},
  };
  for (KeyspaceView& ks : out) {
    for (const SystemTable& t : system_tables()) {
      if (t.is_virtual || t.def.keyspace != ks.name) continue;
      TableView v = view_of(t);
      // SystemKeyspace and SchemaKeyspace override these two defaults for their tables;
      // TraceKeyspace sets gc_grace_seconds 0 and leaves the flush period unset (its
      // generation 1577836800000002).
      if (ks.name == "system_traces") {
        v.params.gc_grace_seconds = 0;
      } else {
        v.params.gc_grace_seconds = ks.name == "system" ? 0 : 604800;
        v.params.memtable_flush_period_in_ms = 3600000;
      }
      if (v.name == "local") {
        // The Thrift-era column SystemKeyspace records as dropped in the far future
        // (Long.MAX_VALUE microseconds).
        v.dropped.push_back({"thrift_version", "text", std::numeric_limits<std::int64_t>::max()});
      }
      ks.tables.push_back(std::move(v));
    }
  }
  for (KeyspaceDef& def : store.keyspaces()) {
    KeyspaceView ks{def.name, def.durable_writes, std::move(def.replication), {}};
    for (const TablePtr& t : store.tables(ks.name))
      ks.tables.push_back(view_of(*t));
    out.push_back(std::move(ks));
  }
  return out;
}

// Of the virtual keyspaces' tables the sandbox serves its own three.
std::vector<KeyspaceView> virtual_keyspaces() {
  std::vector<KeyspaceView> out = {{"sandbox", true, {}, {}},
                                   {"system_views", true, {}, {}},
                                   {"system_virtual_schema", true, {}, {}}};
  for (const SystemTable& t : system_tables()) {
    if (!t.is_virtual) continue;
    for (KeyspaceView& ks : out) {
      if (ks.name == t.def.keyspace) ks.tables.push_back(view_of(t));
    }
  }
  return out;
}

std::vector<SystemRow> keyspaces_rows(const SystemTable& t, const Store& store, const ClusterInfo&,
                                      std::size_t) {
  std::vector<SystemRow> rows;
  for (const KeyspaceView& ks : schema_keyspaces(store)) {
    RowBuilder b(t);
    b.set("keyspace_name", text_cell(ks.name))
        .set("durable_writes", boolean_cell(ks.durable_writes))
        .set("replication", text_map_cell(ks.replication));
    rows.push_back(b.take());
  }
  return rows;
}

std::vector<SystemRow> tables_rows(const SystemTable& t, const Store& store, const ClusterInfo&,
                                   std::size_t) {
  // As SchemaKeyspace.addTableParamsToRowBuilder in 4.0: the two read repair chances are
  // written 0.0 for the drivers' sake, and cdc only when it is on (nodes without CDC enabled).
  const auto flags = text_set_cell({"compound"});
  std::vector<SystemRow> rows;
  for (const KeyspaceView& ks : schema_keyspaces(store)) {
    for (const TableView& tv : ks.tables) {
      const TableParams& p = tv.params;
      RowBuilder b(t);
      b.set("keyspace_name", text_cell(ks.name))
          .set("table_name", text_cell(tv.name))
          .set("additional_write_policy", text_cell(p.additional_write_policy))
          .set("bloom_filter_fp_chance", double_cell(p.bloom_filter_fp_chance))
          .set("caching", text_map_cell(p.caching))
          .set("comment", text_cell(p.comment))
          .set("compaction", text_map_cell(p.compaction))
          .set("compression", text_map_cell(p.compression))
          .set("crc_check_chance", double_cell(p.crc_check_chance))
          .set("dclocal_read_repair_chance", double_cell(0.0))
          .set("default_time_to_live", int_cell(p.default_time_to_live))
          .set("extensions", empty_map_cell())
          .set("flags", flags)
          .set("gc_grace_seconds", int_cell(p.gc_grace_seconds))
          .set("id", uuid_cell(tv.id))
          .set("max_index_interval", int_cell(p.max_index_interval))
          .set("memtable_flush_period_in_ms", int_cell(p.memtable_flush_period_in_ms))
          .set("min_index_interval", int_cell(p.min_index_interval))
          .set("read_repair", text_cell(p.read_repair))
          .set("read_repair_chance", double_cell(0.0))
          .set("speculative_retry", text_cell(p.speculative_retry));
      if (p.cdc) b.set("cdc", boolean_cell(true));
      rows.push_back(b.take());
    }
  }
  return rows;
}

namespace {
// One row per column of every table of `keyspaces` (system_schema.columns and
// system_virtual_schema.columns have the same shape).
std::vector<SystemRow> column_rows(const SystemTable& t,
                                   const std::vector<KeyspaceView>& keyspaces) {
  std::vector<SystemRow> rows;
  for (const KeyspaceView& ks : keyspaces) {
    for (const TableView& tv : ks.tables) {
      for (const ColumnView& c : tv.columns) {
        RowBuilder b(t);
        b.set("keyspace_name", text_cell(ks.name)).set("table_name", text_cell(tv.name));
        set_column_details(b, c);
        rows.push_back(b.take());
      }
    }
  }
  return rows;
}
}  // namespace

std::vector<SystemRow> columns_rows(const SystemTable& t, const Store& store, const ClusterInfo&,
                                    std::size_t) {
  return column_rows(t, schema_keyspaces(store));
}

std::vector<SystemRow> dropped_columns_rows(const SystemTable& t, const Store& store,
                                            const ClusterInfo&, std::size_t) {
  std::vector<SystemRow> rows;
  for (const KeyspaceView& ks : schema_keyspaces(store)) {
    for (const TableView& tv : ks.tables) {
      for (const DroppedView& d : tv.dropped) {
        RowBuilder b(t);
        b.set("keyspace_name", text_cell(ks.name))
            .set("table_name", text_cell(tv.name))
            .set("column_name", text_cell(d.name))
            .set("dropped_time", timestamp_cell(d.dropped_at / 1000))
            .set("kind", text_cell("regular"))
            .set("type", text_cell(d.type));
        rows.push_back(b.take());
      }
    }
  }
  return rows;
}

std::vector<SystemRow> virtual_keyspaces_rows(const SystemTable& t, const Store&,
                                              const ClusterInfo&, std::size_t) {
  std::vector<SystemRow> rows;
  for (const KeyspaceView& ks : virtual_keyspaces()) {
    RowBuilder b(t);
    b.set("keyspace_name", text_cell(ks.name));
    rows.push_back(b.take());
  }
  return rows;
}

std::vector<SystemRow> virtual_tables_rows(const SystemTable& t, const Store&, const ClusterInfo&,
                                           std::size_t) {
  std::vector<SystemRow> rows;
  for (const KeyspaceView& ks : virtual_keyspaces()) {
    for (const TableView& tv : ks.tables) {
      RowBuilder b(t);
      b.set("keyspace_name", text_cell(ks.name))
          .set("table_name", text_cell(tv.name))
          .set("comment", text_cell(tv.params.comment));
      rows.push_back(b.take());
    }
  }
  return rows;
}

std::vector<SystemRow> virtual_columns_rows(const SystemTable& t, const Store&, const ClusterInfo&,
                                            std::size_t) {
  return column_rows(t, virtual_keyspaces());
}

}  // namespace nosqlc::sandbox::systables
