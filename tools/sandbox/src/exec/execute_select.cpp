// SELECT on user tables (by key, by keys, by token range or a full scan, with paging) and on
// the system tables.
#include "cql/literals.hpp"
#include "exec/executor_internal.hpp"
#include "exec/selection.hpp"
#include "nosqlc/protocol/cluster/murmur3.hpp"

#include <algorithm>
#include <limits>

namespace nosqlc::sandbox::detail {
namespace {

// What WHERE restricts on a user table.
struct Restrictions {
  std::optional<std::vector<Bytes>> keys;
  std::optional<TokenBound> lower, upper;
  std::vector<std::pair<std::size_t, Bytes>> filters;  // column = value
};

std::int64_t token_value(const cql::Relation& r, const Bindings& b) {
  Bytes v =
      evaluate_bytes(*r.value, DataType::of(TypeId::bigint), "partition key token", b, "token");
  std::int64_t t = 0;
  (void)protocol::decode_bigint(v, t);
  return t;
}

Restrictions restrictions_of(const cql::Select& s, const TableDef& def, const Bindings& b) {
  Restrictions out;
  const ColumnDef& pk = def.columns[def.partition_key];
  for (const cql::Relation& r : s.where) {
    if (r.token) {
      if (r.columns.size() != 1 || r.columns[0] != pk.name) {
        fail_invalid("The token function arguments must be in the partition key order: " + pk.name);
      }
      std::int64_t v = token_value(r, b);
      switch (r.op) {
        case cql::Operator::gt:
        case cql::Operator::gte:
          if (out.lower) fail_invalid("More than one restriction was found for the start bound");
          out.lower = TokenBound{v, r.op == cql::Operator::gte};
          break;
        case cql::Operator::lt:
        case cql::Operator::lte:
          if (out.upper) fail_invalid("More than one restriction was found for the end bound");
          out.upper = TokenBound{v, r.op == cql::Operator::lte};
          break;
        case cql::Operator::eq:
          out.lower = TokenBound{v, true};
          out.upper = TokenBound{v, true};
          break;
        default:
          fail_invalid("Unsupported operator on token()");
      }
      continue;
    }
    std::size_t idx = column_of(def, r.columns.front());
    if (idx == def.partition_key) {
      if (out.keys) {
        fail_invalid(pk.name +
                     " cannot be restricted by more than one relation if it includes "
                     "an Equal");
      }
      std::vector<Bytes> keys;
      const std::string what = "partition key part " + pk.name;
      if (r.op == cql::Operator::eq) {
        keys.push_back(evaluate_bytes(*r.value, pk.type, pk.name, b, what));
      } else if (r.op == cql::Operator::in) {
        if (r.value) {
          Bytes list =
              evaluate_bytes(*r.value, DataType::list_of(pk.type), "in(" + pk.name + ")", b, what);
          std::vector<BytesView> elems;
          (void)protocol::decode_collection(list, elems);
          for (BytesView e : elems)
            keys.emplace_back(e.begin(), e.end());
        } else {
          for (const auto& t : r.in_values)
            keys.push_back(evaluate_bytes(t, pk.type, pk.name, b, what));
        }
      } else {
        fail_invalid(
            "Only EQ and IN relation are supported on the partition key (unless you use "
            "the token() function)");
      }
      out.keys = std::move(keys);
      continue;
    }
    if (!s.allow_filtering) {
      fail_invalid(
          "Cannot execute this query as it might involve data filtering and thus may "
          "have unpredictable performance. If you want to execute this query despite "
          "the performance unpredictability, use ALLOW FILTERING");
    }
    if (r.op != cql::Operator::eq) {
      fail_invalid("The nosqlc sandbox supports only = on regular columns with ALLOW FILTERING");
    }
    const ColumnDef& col = def.columns[idx];
    for (const auto& f : out.filters) {
      if (f.first == idx) {
        fail_invalid(col.name +
                     " cannot be restricted by more than one relation if it includes "
                     "an Equal");
      }
    }
    out.filters.emplace_back(idx, evaluate_bytes(*r.value, col.type, col.name, b, col.name));
  }
  if (out.keys && (out.lower || out.upper)) {
    fail_invalid("Columns \"" + pk.name +
                 "\" cannot be restricted by both a normal relation and a token relation");
  }
  return out;
}

std::optional<std::int32_t> limit_of(const cql::Select& s, const Bindings& b) {
  if (!s.limit) return std::nullopt;
  TermValue v = evaluate(*s.limit, DataType::of(TypeId::int_), "[limit]", b);
  // SelectStatement.getLimit checks the value when the statement runs, not when prepared.
  if (b.placeholders()) return std::nullopt;
  if (v.kind == TermValue::Kind::null) fail_invalid("Invalid null value of limit");
  if (!v.is_bytes()) return std::nullopt;
  std::int32_t n = 0;
  (void)protocol::decode_int(v.bytes, n);
  if (n <= 0) fail_invalid("LIMIT must be strictly positive");
  return n;
}

// The paging state: where the last page ended and how much of the LIMIT is left.
constexpr std::uint8_t kPagingMagic = 0x4E;
constexpr std::uint8_t kPagingVersion = 1;

Bytes encode_paging(const RowPosition& after, std::int64_t remaining) {
  Bytes out;
  protocol::Writer w(out);
  w.u8(kPagingMagic);
  w.u8(kPagingVersion);
  w.i64(after.token);
  w.short_bytes(after.key);
  w.i64(remaining);
  return out;
}

struct Resume {
  RowPosition after;
  std::int64_t remaining = -1;  // of the LIMIT; -1 for none
};

Resume decode_paging(BytesView state) {
  protocol::Reader r(state);
  Resume out;
  bool ok = r.u8("magic") == kPagingMagic && r.u8("version") == kPagingVersion;
  out.after.token = r.i64("token");
  BytesView key = r.short_bytes("key");
  out.after.key.assign(key.begin(), key.end());
  out.remaining = r.i64("remaining");
  r.expect_end("paging state");
  if (!ok || !r.ok() || out.remaining < -1) {
    fail(error(ServerErrorCode::protocol_error, "Invalid value for the paging state"));
  }
  return out;
}

bool passes(const Row& row, const Restrictions& rs) {
  for (const auto& [idx, value] : rs.filters) {
    const auto& cell = row.cells[idx];
    if (!cell || *cell != value) return false;
  }
  return true;
}

// Writes the selection's columns into `w`, then rows or their aggregate through it.
class Emitter {
 public:
  Emitter(Selection& sel, RowsWriter& w, std::int64_t now_micros)
      : sel_(sel), w_(w), now_(now_micros) {
    sel.declare(w);
  }
  void add(const std::vector<std::optional<Bytes>>& cells, const std::vector<CellStamp>* stamps,
           std::int64_t token) {
    sel_.add(RowInput{cells, stamps, token, now_}, w_);
  }
  void finish(std::optional<Bytes> paging) {
    if (sel_.aggregate()) {
      sel_.finish(w_);
      paging.reset();
    }
    w_.finish(std::move(paging));
  }

 private:
  Selection& sel_;
  RowsWriter& w_;
  std::int64_t now_;
};

// System tables' rows are made afresh for each read, so their pages resume at a row count.
constexpr std::uint8_t kSystemPagingVersion = 2;

Bytes encode_system_paging(std::int64_t offset) {
  Bytes out;
  protocol::Writer w(out);
  w.u8(kPagingMagic);
  w.u8(kSystemPagingVersion);
  w.i64(offset);
  return out;
}

std::int64_t decode_system_paging(BytesView state) {
  protocol::Reader r(state);
  bool ok = r.u8("magic") == kPagingMagic && r.u8("version") == kSystemPagingVersion;
  std::int64_t offset = r.i64("offset");
  r.expect_end("paging state");
  if (!ok || !r.ok() || offset < 0) {
    fail(error(ServerErrorCode::protocol_error, "Invalid value for the paging state"));
  }
  return offset;
}

Reply select_system(const Store& store, const ClusterInfo& cluster, std::size_t node,
                    const cql::Select& s, const TableRef& t, const Bindings& b,
                    const protocol::QueryParameters& params) {
  const TableDef& def = t.def();
  Selection sel(s, t, &b);
  // Every relation is an equality or IN on some column.
  std::vector<std::pair<std::size_t, std::vector<Bytes>>> filters;
  for (const cql::Relation& r : s.where) {
    if (r.token) fail_invalid("token() restrictions are not supported on system tables");
    std::size_t idx = column_of(def, r.columns.front());
    const ColumnDef& col = def.columns[idx];
    std::vector<Bytes> allowed;
    if (r.op == cql::Operator::eq) {
      allowed.push_back(evaluate_bytes(*r.value, col.type, col.name, b, col.name));
    } else if (r.op == cql::Operator::in && r.value) {
      Bytes list = evaluate_bytes(*r.value, DataType::list_of(col.type), "in(" + col.name + ")", b,
                                  col.name);
      std::vector<BytesView> elems;
      (void)protocol::decode_collection(list, elems);
      for (BytesView e : elems)
        allowed.emplace_back(e.begin(), e.end());
    } else if (r.op == cql::Operator::in) {
      for (const auto& v : r.in_values)
        allowed.push_back(evaluate_bytes(v, col.type, col.name, b, col.name));
    } else {
      fail_invalid("Only = and IN restrictions are supported on system tables");
    }
    filters.emplace_back(idx, std::move(allowed));
  }
  std::optional<std::int32_t> limit = limit_of(s, b);
  const bool paging = !sel.aggregate() && params.page_size && *params.page_size > 0;
  std::int64_t skip = 0;  // rows the earlier pages returned
  if (params.paging_state && !params.paging_state->empty()) {
    skip = decode_system_paging(*params.paging_state);
  }
  Reply reply;
  RowsWriter w(reply, t.keyspace, t.name);
  Emitter emit(sel, w, store.now_micros());
  std::int64_t matched = 0, taken = 0;
  for (const auto& row : t.system->rows(store, cluster, node)) {
    if (paging && taken == *params.page_size) break;
    bool ok = std::all_of(filters.begin(), filters.end(), [&](const auto& f) {
      const auto& cell = row[f.first];
      return cell && std::find(f.second.begin(), f.second.end(), *cell) != f.second.end();
    });
    if (!ok) continue;
    if (limit && matched == *limit) break;
    if (++matched <= skip) continue;
    emit.add(row, nullptr, 0);
    ++taken;
  }
  // As for user tables (select_user): a full page has a next one, possibly empty, unless the
  // LIMIT is spent or the page was one partition of a table without clustering columns.
  const bool one_row_partition =
      t.system->clustering.empty() && t.system->partition_key.size() == 1 &&
      std::any_of(filters.begin(), filters.end(), [&](const auto& f) {
        return f.first == t.system->partition_key[0] && f.second.size() == 1;
      });
  const bool more =
      paging && taken == *params.page_size && !(limit && matched >= *limit) && !one_row_partition;
  std::optional<Bytes> state;
  if (more) state = encode_system_paging(skip + taken);
  emit.finish(std::move(state));
  return reply;
}

Reply select_user(const Store& store, const cql::Select& s, const TableRef& t, const Bindings& b,
                  const protocol::QueryParameters& params, ReplicaCheck& check) {
  const TableDef& def = t.def();
  Selection sel(s, t, &b);
  Restrictions rs = restrictions_of(s, def, b);
  std::optional<std::int32_t> limit = limit_of(s, b);

  std::optional<Resume> resume;
  if (params.paging_state && !params.paging_state->empty()) {
    resume = decode_paging(*params.paging_state);
  }
  // Rows still allowed by the LIMIT, -1 for no limit; the page holds at most `page` rows.
  std::int64_t remaining = resume ? resume->remaining : (limit ? *limit : -1);
  const bool paging = !sel.aggregate() && params.page_size && *params.page_size > 0;
  std::int64_t page = paging ? *params.page_size : -1;
  auto room = [&](std::int64_t taken) {
    if (remaining >= 0 && taken >= remaining) return false;
    return page < 0 || taken < page;
  };

  if (rs.keys) {
    check.keys(t.keyspace, *rs.keys, params.consistency);
  } else {
    // What this page still reads: from the paging state's token on, when it is the later.
    std::optional<TokenBound> from = rs.lower;
    if (resume && (!from || from->value < resume->after.token ||
                   (from->value == resume->after.token && !from->inclusive))) {
      from = TokenBound{resume->after.token, true};
    }
    check.range(t.keyspace, from, rs.upper, params.consistency);
  }

  Reply reply;
  if (rs.keys) {
    reply.keyed = true;
    reply.routed_keyspace = t.keyspace;
    reply.routed_keys = *rs.keys;
  }
  RowsWriter w(reply, t.keyspace, t.name);
  Emitter emit(sel, w, store.now_micros());
  std::int64_t taken = 0;
  std::optional<RowPosition> last;
  // Adds `row` to the page if it passes the filters; false once the page is full.
  auto take_row = [&](const Row& row) {
    if (!passes(row, rs)) return true;
    if (!room(taken)) return false;
    emit.add(row.cells, &row.stamps, row.position.token);
    last = row.position;
    ++taken;
    return true;
  };
  if (rs.keys) {
    auto rows = take(store.get_many(t.keyspace, t.name, *rs.keys));
    // Cassandra's MultiPartitionPager resumes at the IN value equal to the paging state's key
    // (then past its one row), and with nothing when no value is.
    const DataType& key_type = def.columns[def.partition_key].type;
    bool resumable = !resume || std::any_of(rs.keys->begin(), rs.keys->end(),
                                            [&](const Bytes& k) { return k == resume->after.key; });
    for (const Row& row : rows.rows) {
      if (!resumable) break;
      if (resume && compare_values(key_type, row.position.key, resume->after.key) <= 0) continue;
      if (!take_row(row)) break;
    }
  } else {
    ScanRequest req;
    req.lower = rs.lower;
    req.upper = rs.upper;
    if (resume) req.start_after = resume->after;
    while (room(taken)) {
      std::int64_t want = -1;
      if (page >= 0) want = page - taken;
      if (remaining >= 0) want = want < 0 ? remaining - taken : std::min(want, remaining - taken);
      req.limit = want < 0 ? 0 : static_cast<std::size_t>(want);
      auto chunk = take(store.scan(t.keyspace, t.name, req));
      for (const Row& row : chunk.rows) {
        if (!take_row(row)) break;
      }
      if (!chunk.resume_after) break;
      req.start_after = chunk.resume_after;
    }
  }
  // Cassandra 4.0's pagers (service/pager): a page is the last one when it counted fewer rows
  // than asked for (AbstractQueryPager.Pager.onClose: DataLimits.isExhausted), so a page that
  // fills exactly still carries a paging state and the next one comes back empty. A single key
  // has one row (SinglePartitionPager: no row left in the partition), and an IN stops after the
  // pager of its last value (MultiPartitionPager.isExhausted), so the values after the last row
  // read are what keeps it going.
  bool more = false;
  if (rs.keys) {
    const DataType& key_type = def.columns[def.partition_key].type;
    more = !room(taken) && last &&
           std::any_of(rs.keys->begin(), rs.keys->end(),
                       [&](const Bytes& k) { return compare_values(key_type, k, last->key) > 0; });
  } else {
    more = !room(taken);
  }
  if (remaining >= 0 && taken >= remaining) more = false;  // the LIMIT is spent
  std::optional<Bytes> state;
  if (paging && more && last) {
    state = encode_paging(*last, remaining < 0 ? -1 : remaining - taken);
  }
  emit.finish(std::move(state));
  return reply;
}

}  // namespace

Reply run_select(const Store& store, const ClusterInfo& cluster, std::size_t node,
                 const cql::ParsedStatement& parsed, const std::string& keyspace,
                 const protocol::QueryParameters& params, ReplicaCheck& check) {
  const auto& s = std::get<cql::Select>(parsed.statement);
  TableRef t = resolve_table(store, s.table, keyspace);
  check_read_consistency(params.consistency);
  Bindings b(parsed.markers, params);
  if (t.system) return select_system(store, cluster, node, s, t, b, params);
  return select_user(store, s, t, b, params, check);
}

void check_select(const cql::ParsedStatement& parsed, const TableRef& table,
                  const Bindings& placeholders) {
  const auto& s = std::get<cql::Select>(parsed.statement);
  (void)Selection(s, table, &placeholders);
  if (table.system) return;  // select_system's few checks wait for EXECUTE
  (void)restrictions_of(s, table.def(), placeholders);
  (void)limit_of(s, placeholders);
}

protocol::ResultMetadata select_metadata(const cql::ParsedStatement& parsed, const TableRef& t) {
  const auto* s = std::get_if<cql::Select>(&parsed.statement);
  if (!s) return {};
  std::vector<protocol::ColumnSpec> cols;
  for (auto& [name, type] : Selection(*s, t, nullptr).columns())
    cols.push_back({t.keyspace, t.name, std::move(name), std::move(type)});
  return protocol::ResultMetadata::of(std::move(cols));
}

}  // namespace nosqlc::sandbox::detail
