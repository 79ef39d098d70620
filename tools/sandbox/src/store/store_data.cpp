// The store's data half: writes, deletes, lightweight transactions and reads. Cells are
// reconciled as Cassandra reconciles them (last write wins by timestamp), so USING TIMESTAMP
// behaves as it does there; expired cells read as absent.
#include "cql/literals.hpp"
#include "nosqlc/protocol/cluster/murmur3.hpp"

#include <nosqlc/protocol/values.hpp>
#include "store/store_internal.hpp"

#include <algorithm>
#include <mutex>
#include <set>

namespace nosqlc::sandbox {
namespace {

constexpr std::int32_t kMaxTtl = 20 * 365 * 24 * 60 * 60;  // Cassandra's Attributes.MAX_TTL
constexpr std::size_t kMaxKeyLength = 65535;               // FBUtilities.MAX_UNSIGNED_SHORT
constexpr std::int64_t kMicrosPerSecond = 1'000'000;

bool cell_live(const std::optional<StoredCell>& c, std::int64_t now) {
  return c && c->value && (c->expires_at == 0 || c->expires_at > now);
}

bool row_live(const StoredRow& r, std::int64_t now) {
  if (r.marker_timestamp && (r.marker_expires_at == 0 || r.marker_expires_at > now)) return true;
  return std::any_of(r.cells.begin(), r.cells.end(),
                     [now](const auto& c) { return cell_live(c, now); });
}

std::optional<Row> live_row(const RowPosition& pos, const StoredRow& r, const TableDef& def,
                            std::int64_t now) {
  if (!row_live(r, now)) return std::nullopt;
  Row row;
  row.position = pos;
  row.cells.resize(def.columns.size());
  row.stamps.resize(def.columns.size());
  for (std::size_t i = 0; i < def.columns.size() && i < r.cells.size(); ++i) {
    if (!cell_live(r.cells[i], now)) continue;
    // A column dropped and added again: what was written up to the drop stays dropped
    // (Cassandra's dropped_columns rule, SerializationHeader / ColumnFilter skip such cells).
    bool dropped = std::any_of(def.dropped.begin(), def.dropped.end(), [&](const DroppedColumn& d) {
      return d.name == def.columns[i].name && r.cells[i]->timestamp <= d.dropped_at;
    });
    if (dropped) continue;
    row.cells[i] = r.cells[i]->value;
    row.stamps[i] = {r.cells[i]->timestamp, r.cells[i]->expires_at};
  }
  row.cells[def.partition_key] = pos.key;
  return row;
}

// Cassandra's Cells.reconcile: the higher timestamp wins; on a tie a tombstone beats a value,
// and between two values the greater one (as bytes) wins, so replicas always agree.
bool supersedes(const StoredCell& incoming, const StoredCell& existing) {
  if (incoming.timestamp != existing.timestamp) return incoming.timestamp > existing.timestamp;
  if (incoming.value.has_value() != existing.value.has_value()) return !incoming.value;
  if (!incoming.value) return true;
  return compare_bytes(*incoming.value, *existing.value) >= 0;
}

std::optional<ServerError> check_key(BytesView key) {
  if (key.empty()) return invalid("Key may not be empty");
  if (key.size() > kMaxKeyLength) {
    return invalid("Key length of " + std::to_string(key.size()) + " is longer than maximum of " +
                   std::to_string(kMaxKeyLength));
  }
  return std::nullopt;
}

// The columns of `w` as indices into the table, or the Invalid error Cassandra gives.
std::optional<ServerError> resolve(const TableDef& def, const Write& w,
                                   std::vector<std::size_t>& indices) {
  if (auto err = check_key(w.key)) return err;
  if (w.ttl < 0) {
    return invalid("A TTL must be greater or equal to 0, but was " + std::to_string(w.ttl));
  }
  if (w.ttl > kMaxTtl) {
    return invalid("ttl is too large. requested (" + std::to_string(w.ttl) + ") maximum (" +
                   std::to_string(kMaxTtl) + ")");
  }
  for (const CellWrite& cw : w.cells) {
    auto idx = def.column_index(cw.column);
    if (!idx) return invalid("Undefined column name " + cw.column);
    if (*idx == def.partition_key)
      return invalid("PRIMARY KEY part " + cw.column + " found in SET part");
    const protocol::TypeId id = def.columns[*idx].type.id;
    bool list = id == protocol::TypeId::list;
    bool collection = list || id == protocol::TypeId::set || id == protocol::TypeId::map;
    bool ok = cw.op == CellOp::set || (collection && cw.op != CellOp::prepend) ||
              (list && cw.op == CellOp::prepend);
    if (cw.op == CellOp::put && id == protocol::TypeId::set) ok = false;
    if (!ok) {
      return invalid("Invalid operation for non-collection or unsuitable column " + cw.column);
    }
    indices.push_back(*idx);
  }
  return std::nullopt;
}

std::optional<ServerError> resolve(const TableDef& def, const Erase& e,
                                   std::vector<std::size_t>& indices) {
  if (auto err = check_key(e.key)) return err;
  for (const std::string& name : e.columns) {
    auto idx = def.column_index(name);
    if (!idx) return invalid("Undefined column name " + name);
    if (*idx == def.partition_key) {
      return invalid("Invalid identifier " + name +
                     " for deletion (should not be a PRIMARY KEY part)");
    }
    indices.push_back(*idx);
  }
  return std::nullopt;
}

RowPosition position_of(BytesView key) {
  return RowPosition{protocol::murmur3_token(key), Bytes(key.begin(), key.end())};
}

bool same_bytes(BytesView a, BytesView b) {
  return compare_bytes(a, b) == 0;
}

std::optional<Bytes> non_empty(Bytes b, std::size_t count) {
  if (count == 0) return std::nullopt;
  return b;
}

// The value of a collection cell after a collection operation; `current` is its live value.
Expected<std::optional<Bytes>, ServerError> combine(const protocol::DataType& type,
                                                    const std::optional<Bytes>& current,
                                                    const CellWrite& cw) {
  using protocol::TypeId;
  Bytes out;
  const bool is_map = type.id == TypeId::map;
  std::vector<BytesView> elems, add;
  std::vector<std::pair<BytesView, BytesView>> entries, more;
  if (current) {
    if (is_map) {
      (void)protocol::decode_map(*current, entries);
    } else {
      (void)protocol::decode_collection(*current, elems);
    }
  }
  if (cw.op == CellOp::put) {
    if (is_map) {
      std::erase_if(entries, [&](const auto& e) { return same_bytes(e.first, *cw.key); });
      if (cw.value) entries.emplace_back(*cw.key, *cw.value);
      (void)protocol::encode_map(entries, out);
      return non_empty(normalize_collection(type, out), entries.size());
    }
    std::int32_t index = 0;
    if (!cw.key || !protocol::decode_int(*cw.key, index).ok()) {
      return unexpected(invalid("Invalid list index for column " + cw.column));
    }
    if (index < 0 || static_cast<std::size_t>(index) >= elems.size()) {
      return unexpected(invalid("List index " + std::to_string(index) +
                                " out of bound, list has size " + std::to_string(elems.size())));
    }
    if (cw.value) {
      elems[static_cast<std::size_t>(index)] = *cw.value;
    } else {
      elems.erase(elems.begin() + index);
    }
    (void)protocol::encode_collection(elems, out);
    return non_empty(std::move(out), elems.size());
  }
  if (!cw.value) return current;  // adding or removing null changes nothing
  if (cw.op == CellOp::remove) {
    if (is_map) {
      (void)protocol::decode_collection(*cw.value, add);
      std::erase_if(entries, [&](const auto& e) {
        return std::any_of(add.begin(), add.end(),
                           [&](BytesView k) { return same_bytes(k, e.first); });
      });
      (void)protocol::encode_map(entries, out);
      return non_empty(std::move(out), entries.size());
    }
    (void)protocol::decode_collection(*cw.value, add);
    std::erase_if(elems, [&](BytesView e) {
      return std::any_of(add.begin(), add.end(), [&](BytesView x) { return same_bytes(x, e); });
    });
    (void)protocol::encode_collection(elems, out);
    return non_empty(std::move(out), elems.size());
  }
  if (is_map) {  // append: merge, the new entries winning
    (void)protocol::decode_map(*cw.value, more);
    std::erase_if(entries, [&](const auto& e) {
      return std::any_of(more.begin(), more.end(),
                         [&](const auto& m) { return same_bytes(m.first, e.first); });
    });
    entries.insert(entries.end(), more.begin(), more.end());
    (void)protocol::encode_map(entries, out);
    return non_empty(normalize_collection(type, out), entries.size());
  }
  (void)protocol::decode_collection(*cw.value, add);
  if (cw.op == CellOp::prepend) {
    add.insert(add.end(), elems.begin(), elems.end());
    elems.swap(add);
  } else {
    elems.insert(elems.end(), add.begin(), add.end());
  }
  (void)protocol::encode_collection(elems, out);
  if (type.id == TypeId::set) out = normalize_collection(type, out);
  return non_empty(std::move(out), elems.size());
}

// Applies `w` to `row`; fails (leaving `row` partly changed) only for a bad list index.
std::optional<ServerError> apply_write(StoredRow& row, const TableDef& def, const Write& w,
                                       const std::vector<std::size_t>& indices, std::int64_t ts,
                                       std::int64_t now) {
  row.cells.resize(def.columns.size());
  if (ts <= row.deleted_at) return std::nullopt;  // shadowed by a row deletion as recent
  std::int64_t expires = w.ttl > 0 ? now + std::int64_t{w.ttl} * kMicrosPerSecond : 0;
  if (w.row_marker && (!row.marker_timestamp || ts >= *row.marker_timestamp)) {
    row.marker_timestamp = ts;
    row.marker_expires_at = expires;
  }
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const CellWrite& cw = w.cells[i];
    auto& slot = row.cells[indices[i]];
    std::optional<Bytes> value;
    if (cw.op == CellOp::set) {
      value = cw.value;
    } else {
      std::optional<Bytes> current;
      if (cell_live(slot, now)) current = slot->value;
      auto combined = combine(def.columns[indices[i]].type, current, cw);
      if (!combined) return combined.error();
      value = std::move(*combined);
    }
    StoredCell cell;
    cell.timestamp = ts;
    cell.expires_at = value ? expires : 0;
    cell.value = std::move(value);
    // A collection operation builds on the current value: it wins whenever it is as recent.
    bool wins = !slot || (cw.op == CellOp::set ? supersedes(cell, *slot) : ts >= slot->timestamp);
    if (wins) slot = std::move(cell);
  }
  return std::nullopt;
}

void apply_erase(StoredRow& row, std::size_t ncols, const std::vector<std::size_t>& indices,
                 std::int64_t ts) {
  // The row stays as a tombstone, so that a later write with an older timestamp stays deleted.
  row.cells.resize(ncols);
  if (indices.empty()) {
    row.deleted_at = std::max(row.deleted_at, ts);
    if (row.marker_timestamp && *row.marker_timestamp <= row.deleted_at) {
      row.marker_timestamp.reset();
      row.marker_expires_at = 0;
    }
    for (auto& c : row.cells) {
      if (c && c->timestamp <= row.deleted_at) c.reset();
    }
    return;
  }
  for (std::size_t idx : indices) {
    StoredCell tombstone{std::nullopt, ts, 0};
    auto& slot = row.cells[idx];
    if (!slot || supersedes(tombstone, *slot)) slot = std::move(tombstone);
  }
}

bool only_sets(const Write& w) {
  return std::all_of(w.cells.begin(), w.cells.end(),
                     [](const CellWrite& c) { return c.op == CellOp::set; });
}

}  // namespace

std::strong_ordering operator<=>(const RowPosition& a, const RowPosition& b) noexcept {
  if (a.token != b.token) return a.token <=> b.token;
  return compare_bytes(a.key, b.key);
}

bool operator==(const RowPosition& a, const RowPosition& b) noexcept {
  return a.token == b.token && compare_bytes(a.key, b.key) == 0;
}

StoreResult<void> Store::write(std::string_view keyspace, std::string_view table, const Write& w) {
  Mutation m{std::string(keyspace), std::string(table), w};
  return apply(std::span<const Mutation>(&m, 1));
}

StoreResult<void> Store::erase(std::string_view keyspace, std::string_view table, const Erase& e) {
  Mutation m{std::string(keyspace), std::string(table), e};
  return apply(std::span<const Mutation>(&m, 1));
}

StoreResult<void> Store::apply(std::span<const Mutation> mutations) {
  std::unique_lock lock(mutex_);
  return apply_locked(mutations);
}

StoreResult<void> Store::apply_locked(std::span<const Mutation> mutations) {
  struct Resolved {
    TableData* table;
    std::vector<std::size_t> indices;
    RowPosition position;
  };
  std::vector<Resolved> resolved;
  resolved.reserve(mutations.size());
  bool simple = true;
  for (const Mutation& m : mutations) {
    ServerError err;
    TableData* t = find_table(m.keyspace, m.table, err);
    if (!t) return unexpected(std::move(err));
    Resolved r{t, {}, {}};
    const Write* w = std::get_if<Write>(&m.change);
    const Erase* e = std::get_if<Erase>(&m.change);
    if (auto bad = w ? resolve(*t->def, *w, r.indices) : resolve(*t->def, *e, r.indices)) {
      return unexpected(std::move(*bad));
    }
    if (w && !only_sets(*w)) simple = false;
    r.position = position_of(w ? BytesView(w->key) : BytesView(e->key));
    resolved.push_back(std::move(r));
  }
  const std::int64_t now = clock_();
  const std::int64_t batch_ts = next_timestamp();  // one timestamp for the batch, as Cassandra
  auto timestamp_of = [&](const Mutation& m) {
    const auto* w = std::get_if<Write>(&m.change);
    auto given = w ? w->timestamp : std::get<Erase>(m.change).timestamp;
    return given.value_or(batch_ts);
  };
  if (simple) {  // nothing can fail from here on: apply in place
    for (std::size_t i = 0; i < mutations.size(); ++i) {
      Resolved& r = resolved[i];
      StoredRow& row = r.table->rows[std::move(r.position)];
      if (const auto* w = std::get_if<Write>(&mutations[i].change)) {
        (void)apply_write(row, *r.table->def, *w, r.indices, timestamp_of(mutations[i]), now);
      } else {
        apply_erase(row, r.table->def->columns.size(), r.indices, timestamp_of(mutations[i]));
      }
    }
    return {};
  }
  // A collection operation may still fail (a list index): work on copies, then commit.
  std::map<std::pair<TableData*, RowPosition>, StoredRow> staged;
  for (std::size_t i = 0; i < mutations.size(); ++i) {
    Resolved& r = resolved[i];
    auto key = std::make_pair(r.table, r.position);
    auto it = staged.find(key);
    if (it == staged.end()) {
      auto existing = r.table->rows.find(r.position);
      it = staged.emplace(key, existing == r.table->rows.end() ? StoredRow{} : existing->second)
               .first;
    }
    if (const auto* w = std::get_if<Write>(&mutations[i].change)) {
      if (auto err = apply_write(it->second, *r.table->def, *w, r.indices,
                                 timestamp_of(mutations[i]), now)) {
        return unexpected(std::move(*err));
      }
    } else {
      apply_erase(it->second, r.table->def->columns.size(), r.indices, timestamp_of(mutations[i]));
    }
  }
  for (auto& [key, row] : staged)
    key.first->rows[key.second] = std::move(row);
  return {};
}

// Whether `c` holds on `current` (the live row, if any); `def` names its columns.
static bool holds(const Condition& c, const std::optional<Row>& current, const TableDef& def) {
  if (c.kind == Condition::Kind::exists) return current.has_value();
  for (const Condition::Cell& cell : c.cells) {
    std::size_t idx = *def.column_index(cell.column);
    std::optional<Bytes> actual;
    if (current) actual = current->cells[idx];
    bool same = actual.has_value() == cell.value.has_value() &&
                (!actual || compare_bytes(*actual, *cell.value) == 0);
    if (same != cell.equal) return false;
  }
  return true;
}

StoreResult<CasResult> Store::apply_if(std::string_view keyspace, std::string_view table,
                                       BytesView key, const std::optional<Condition>& condition,
                                       std::span<const Mutation> mutations) {
  std::unique_lock lock(mutex_);
  ServerError err;
  TableData* t = find_table(keyspace, table, err);
  if (!t) return unexpected(std::move(err));
  const TableDef& def = *t->def;
  if (condition && condition->kind == Condition::Kind::columns) {
    for (const Condition::Cell& cell : condition->cells) {
      if (!def.column_index(cell.column)) {
        return unexpected(invalid("Undefined column name " + cell.column));
      }
    }
  }
  RowPosition pos = position_of(key);
  CasResult result;
  if (auto it = t->rows.find(pos); it != t->rows.end()) {
    result.current = live_row(pos, it->second, def, clock_());
  }
  result.applied = condition ? holds(*condition, result.current, def) : !result.current;
  if (condition && condition->kind == Condition::Kind::columns && lwt_contention_) {
    result.applied = false;
  }
  if (!result.applied) return result;
  if (auto applied = apply_locked(mutations); !applied) return unexpected(applied.error());
  return result;
}

StoreResult<CasResult> Store::insert_if_not_exists(std::string_view keyspace,
                                                   std::string_view table, const Write& w) {
  Write with_marker = w;
  with_marker.row_marker = true;
  return conditional(keyspace, table, nullptr, &with_marker, nullptr);
}

StoreResult<CasResult> Store::write_if(std::string_view keyspace, std::string_view table,
                                       const Condition& c, const Write& w) {
  return conditional(keyspace, table, &c, &w, nullptr);
}

StoreResult<CasResult> Store::erase_if(std::string_view keyspace, std::string_view table,
                                       const Condition& c, const Erase& e) {
  return conditional(keyspace, table, &c, nullptr, &e);
}

// Check and write under one exclusive lock: that is what makes them linearizable. A null
// condition means "no live row" (INSERT ... IF NOT EXISTS).
StoreResult<CasResult> Store::conditional(std::string_view keyspace, std::string_view table,
                                          const Condition* c, const Write* w, const Erase* e) {
  std::unique_lock lock(mutex_);
  ServerError err;
  TableData* t = find_table(keyspace, table, err);
  if (!t) return unexpected(std::move(err));
  const TableDef& def = *t->def;
  std::vector<std::size_t> indices;
  if (auto bad = w ? resolve(def, *w, indices) : resolve(def, *e, indices)) {
    return unexpected(std::move(*bad));
  }
  if (c && c->kind == Condition::Kind::columns) {
    for (const Condition::Cell& cell : c->cells) {
      if (!def.column_index(cell.column)) {
        return unexpected(invalid("Undefined column name " + cell.column));
      }
    }
  }
  std::int64_t now = clock_();
  RowPosition pos = position_of(w ? BytesView(w->key) : BytesView(e->key));
  CasResult result;
  auto existing = t->rows.find(pos);
  if (existing != t->rows.end()) result.current = live_row(pos, existing->second, def, now);
  if (!c) {
    result.applied = !result.current;
  } else if (c->kind == Condition::Kind::exists) {
    result.applied = result.current.has_value();
  } else {
    result.applied = true;
    for (const Condition::Cell& cell : c->cells) {
      std::size_t idx = *def.column_index(cell.column);
      std::optional<Bytes> actual;
      if (result.current) actual = result.current->cells[idx];
      bool same = actual.has_value() == cell.value.has_value() &&
                  (!actual || compare_bytes(*actual, *cell.value) == 0);
      if (same != cell.equal) result.applied = false;
    }
    if (lwt_contention_) result.applied = false;
  }
  if (!result.applied) return result;
  StoredRow row = existing != t->rows.end() ? existing->second : StoredRow{};
  if (w) {
    if (auto bad = apply_write(row, def, *w, indices,
                               w->timestamp ? *w->timestamp : next_timestamp(), now)) {
      return unexpected(std::move(*bad));
    }
  } else {
    apply_erase(row, def.columns.size(), indices, e->timestamp ? *e->timestamp : next_timestamp());
  }
  t->rows[std::move(pos)] = std::move(row);
  return result;
}

StoreResult<RowsResult> Store::get(std::string_view keyspace, std::string_view table,
                                   BytesView key) const {
  Bytes k(key.begin(), key.end());
  return get_many(keyspace, table, std::span<const Bytes>(&k, 1));
}

StoreResult<RowsResult> Store::get_many(std::string_view keyspace, std::string_view table,
                                        std::span<const Bytes> keys) const {
  std::shared_lock lock(mutex_);
  ServerError err;
  const TableData* t = find_table(keyspace, table, err);
  if (!t) return unexpected(std::move(err));
  // As Cassandra 4 reads the partitions of pk IN (...): sorted by the key type's comparator,
  // each once (PartitionKeySingleRestrictionSet.values builds them with MultiCBuilder into a
  // sorted set), then read one after the other in that order.
  const DataType& key_type = t->def->columns[t->def->partition_key].type;
  std::vector<BytesView> ordered(keys.begin(), keys.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](BytesView a, BytesView b) { return compare_values(key_type, a, b) < 0; });
  ordered.erase(
      std::unique(ordered.begin(), ordered.end(),
                  [&](BytesView a, BytesView b) { return compare_values(key_type, a, b) == 0; }),
      ordered.end());
  std::int64_t now = clock_();
  RowsResult out;
  out.table = t->def;
  for (BytesView k : ordered) {
    RowPosition pos = position_of(k);
    auto it = t->rows.find(pos);
    if (it == t->rows.end()) continue;
    if (auto row = live_row(pos, it->second, *t->def, now)) out.rows.push_back(std::move(*row));
  }
  return out;
}

StoreResult<ScanPage> Store::scan(std::string_view keyspace, std::string_view table,
                                  const ScanRequest& request) const {
  std::shared_lock lock(mutex_);
  ServerError err;
  const TableData* t = find_table(keyspace, table, err);
  if (!t) return unexpected(std::move(err));
  std::int64_t now = clock_();
  const auto& rows = t->rows;

  // The first candidate: the later of the range's start and the resume position. An empty
  // key sorts before every real key, so {token, {}} is the start of that token.
  auto it = rows.begin();
  if (request.lower) {
    const TokenBound& lo = *request.lower;
    if (lo.inclusive) {
      it = rows.lower_bound(RowPosition{lo.value, {}});
    } else if (lo.value == std::numeric_limits<std::int64_t>::max()) {
      it = rows.end();
    } else {
      it = rows.lower_bound(RowPosition{lo.value + 1, {}});
    }
  }
  if (request.start_after && (it == rows.end() || !(*request.start_after < it->first))) {
    it = rows.upper_bound(*request.start_after);
  }
  auto in_range = [&](const RowPosition& p) {
    if (!request.upper) return true;
    return request.upper->inclusive ? p.token <= request.upper->value
                                    : p.token < request.upper->value;
  };

  ScanPage page;
  page.table = t->def;
  for (; it != rows.end() && in_range(it->first); ++it) {
    auto row = live_row(it->first, it->second, *t->def, now);
    if (!row) continue;
    if (request.limit != 0 && page.rows.size() == request.limit) {
      page.resume_after = page.rows.back().position;  // a live row remains after the page
      break;
    }
    page.rows.push_back(std::move(*row));
  }
  return page;
}

}  // namespace nosqlc::sandbox
