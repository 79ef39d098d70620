// Bound values, the receivers of bind markers, term evaluation (native function calls
// included), and table resolution: what every statement runner needs.
#include "cql/literals.hpp"
#include "exec/executor_internal.hpp"
#include "exec/functions.hpp"
#include "exec/selection.hpp"

namespace nosqlc::sandbox::detail {
namespace {

using cql::Term;

// Marker receivers, found by walking the statement with each term's receiving type.
class SpecWalker {
 public:
  SpecWalker(const TableRef* table, std::size_t markers) : table_(table), specs_(markers) {}

  MarkerSpecs walk(const cql::Statement& s) {
    add(s);
    return finish();
  }
  // One statement of several (a batch's), on `table`.
  template <class S>
  void add(const S& s, const TableRef* table) {
    table_ = table;
    visit(s);
  }
  void add(const cql::Statement& s) {
    std::visit([&](const auto& st) { visit(st); }, s);
  }
  MarkerSpecs finish() {
    for (std::size_t i = 0; i < specs_.size(); ++i) {
      if (specs_[i].name.empty()) specs_[i] = spec("arg", DataType::of(TypeId::blob));
    }
    return std::move(specs_);
  }

 private:
  protocol::ColumnSpec spec(std::string name, DataType type) const {
    return {table_ ? table_->keyspace : "", table_ ? table_->name : "", std::move(name),
            std::move(type)};
  }
  const DataType* column_type(std::string_view name) const {
    if (!table_) return nullptr;
    auto idx = table_->def().column_index(name);
    return idx ? &table_->def().columns[*idx].type : nullptr;
  }
  void term(const Term& t, const DataType& type, const std::string& name) {
    if (const auto* m = std::get_if<cql::BindMarker>(&t.value)) {
      auto i = static_cast<std::size_t>(m->index);
      if (i < specs_.size()) specs_[i] = spec(m->name ? *m->name : name, type);
    } else if (const auto* c = std::get_if<cql::CollectionLiteral>(&t.value)) {
      if (type.id == TypeId::map && type.params.size() == 2) {
        for (const auto& [k, v] : c->entries) {
          term(k, type.params[0], "key(" + name + ")");
          term(v, type.params[1], "value(" + name + ")");
        }
      } else if (!type.params.empty()) {
        for (const auto& e : c->elements)
          term(e, type.params[0], "value(" + name + ")");
      }
    } else if (const auto* tu = std::get_if<cql::TupleLiteral>(&t.value)) {
      for (std::size_t i = 0; i < tu->elements.size(); ++i) {
        DataType et = i < type.params.size() ? type.params[i] : DataType::of(TypeId::blob);
        term(tu->elements[i], et, name);
      }
    } else if (const auto* f = std::get_if<cql::FunctionCall>(&t.value)) {
      if (f->name == "fromjson") {
        for (const auto& a : f->args)
          term(a, DataType::of(TypeId::varchar), "arg0(system.fromjson)");
        return;
      }
      try {
        std::vector<FunctionArg> shapes = argument_shapes(*f);
        const ScalarFunction& fn = resolve_function(f->name, shapes);
        for (std::size_t i = 0; i < f->args.size(); ++i)
          term(f->args[i], fn.params[i], function_arg_name(fn, i));
      } catch (const Failure&) {
        // An unknown or mistyped call: the statement's checks report it.
      }
    }
  }
  void column_term(const Term& t, const std::string& column) {
    if (const DataType* type = column_type(column)) term(t, *type, column);
  }
  void using_(const cql::UsingClause& u) {
    if (u.ttl) term(*u.ttl, DataType::of(TypeId::int_), "[ttl]");
    if (u.timestamp) term(*u.timestamp, DataType::of(TypeId::bigint), "[timestamp]");
  }
  void relations(const std::vector<cql::Relation>& rs) {
    for (const auto& r : rs) {
      if (r.token) {
        if (r.value) term(*r.value, DataType::of(TypeId::bigint), "partition key token");
        continue;
      }
      const DataType* type = column_type(r.columns.front());
      if (!type) continue;
      if (r.op == cql::Operator::in && r.value) {
        term(*r.value, DataType::list_of(*type), "in(" + r.columns.front() + ")");
      } else if (r.value) {
        term(*r.value, *type, r.columns.front());
      }
      for (const auto& v : r.in_values)
        term(v, *type, r.columns.front());
    }
  }
  void visit(const cql::Insert& s) {
    if (s.json) term(*s.json, DataType::of(TypeId::varchar), "[json]");
    for (std::size_t i = 0; i < s.values.size() && i < s.columns.size(); ++i)
      column_term(s.values[i], s.columns[i]);
    using_(s.using_);
  }
  void visit(const cql::Update& s) {
    using_(s.using_);
    for (const auto& a : s.assignments) {
      const DataType* type = column_type(a.column);
      if (!type) continue;
      if (a.kind == cql::Assignment::Kind::set_element && a.key) {
        bool map = type->id == TypeId::map && type->params.size() == 2;
        term(*a.key, map ? type->params[0] : DataType::of(TypeId::int_), "key(" + a.column + ")");
        if (!type->params.empty()) {
          term(a.value, map ? type->params[1] : type->params[0], "value(" + a.column + ")");
        }
      } else if (a.kind == cql::Assignment::Kind::subtract && type->id == TypeId::map &&
                 !type->params.empty()) {
        term(a.value, DataType::set_of(type->params[0]), a.column);
      } else {
        term(a.value, *type, a.column);
      }
    }
    relations(s.where);
    relations(s.conditions.columns);
  }
  void visit(const cql::Delete& s) {
    using_(s.using_);
    relations(s.where);
    relations(s.conditions.columns);
  }
  void visit(const cql::UsingClause& u) { using_(u); }
  void visit(const cql::Select& s) {
    if (table_ && !s.star) {
      try {
        Selection(s, *table_, nullptr, [&](int i, const std::string& name, const DataType& type) {
          auto idx = static_cast<std::size_t>(i);
          if (idx < specs_.size()) specs_[idx] = spec(name, type);
        });
      } catch (const Failure&) {
        // An invalid selection: check_select reports it.
      }
    }
    relations(s.where);
    if (s.limit) term(*s.limit, DataType::of(TypeId::int_), "[limit]");
  }
  template <class T>
  void visit(const T&) {}

  const TableRef* table_;
  MarkerSpecs specs_;
};

Bytes encode_elements(const std::vector<Bytes>& elems) {
  std::vector<BytesView> views(elems.begin(), elems.end());
  Bytes out;
  (void)protocol::encode_collection(views, out);
  return out;
}

}  // namespace

Bindings::Bindings(const std::vector<cql::MarkerInfo>& markers,
                   const protocol::QueryParameters& params) {
  if (params.values.size() != markers.size()) {
    fail_invalid("There were " + std::to_string(markers.size()) + " markers(?) in CQL but " +
                 std::to_string(params.values.size()) + " bound variables");
  }
  if (params.names.empty()) {
    values_ = params.values;
    return;
  }
  values_.assign(markers.size(), protocol::Value::not_set());
  std::vector<bool> taken(markers.size(), false);
  for (std::size_t v = 0; v < params.names.size(); ++v) {
    bool found = false;
    for (std::size_t m = 0; m < markers.size() && !found; ++m) {
      const std::string& name = markers[m].name ? *markers[m].name : markers[m].column;
      if (!taken[m] && name == params.names[v]) {
        values_[m] = params.values[v];
        taken[m] = true;
        found = true;
      }
    }
    if (!found) fail_invalid("Unknown identifier " + std::string(params.names[v]));
  }
}

namespace {

// A valid value of `t`: zeros of its size, empty text and blobs, empty collections, a time
// UUID for timeuuid, a tuple or UDT of nulls.
Bytes placeholder_value(const DataType& t) {
  switch (t.id) {
    case TypeId::boolean:
    case TypeId::tinyint:
    case TypeId::varint:
      return Bytes(1, 0);
    case TypeId::smallint:
      return Bytes(2, 0);
    case TypeId::int_:
    case TypeId::date:
    case TypeId::float_:
    case TypeId::inet:
    case TypeId::list:
    case TypeId::set:
    case TypeId::map:
      return Bytes(4, 0);
    case TypeId::decimal:
      return Bytes(5, 0);  // scale 0, unscaled 0
    case TypeId::duration:
      return Bytes(3, 0);  // three zero vints
    case TypeId::bigint:
    case TypeId::counter:
    case TypeId::timestamp:
    case TypeId::time:
    case TypeId::double_:
      return Bytes(8, 0);
    case TypeId::uuid:
      return Bytes(16, 0);
    case TypeId::timeuuid: {
      Bytes u(16, 0);
      u[6] = 0x10;  // version 1
      u[8] = 0x80;  // RFC 4122 variant
      return u;
    }
    case TypeId::tuple:
    case TypeId::udt: {
      Bytes out;
      for (std::size_t i = 0; i < t.params.size(); ++i)
        out.insert(out.end(), {0xFF, 0xFF, 0xFF, 0xFF});  // null
      return out;
    }
    default:
      return {};
  }
}

}  // namespace

Bindings Bindings::placeholders(const std::vector<protocol::ColumnSpec>& specs) {
  Bindings b;
  b.placeholder_ = true;
  b.owned_.reserve(specs.size());
  for (const protocol::ColumnSpec& s : specs)
    b.owned_.push_back(placeholder_value(s.type));
  for (const Bytes& v : b.owned_)
    b.values_.push_back(protocol::Value::of(v));
  return b;
}

TableRef resolve_table(const Store& store, const cql::QualifiedName& name,
                       const std::string& keyspace) {
  TableRef ref;
  ref.keyspace = keyspace_of(name, keyspace);
  ref.name = name.name;
  if (ref.keyspace.empty()) {
    fail_invalid(
        "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
  }
  if (const SystemTable* sys = find_system_table(ref.keyspace, ref.name)) {
    ref.system = sys;
    return ref;
  }
  if (is_system_keyspace(ref.keyspace)) fail_invalid("unconfigured table " + ref.name);
  ref.table = take(store.table(ref.keyspace, ref.name));
  return ref;
}

std::size_t column_of(const TableDef& def, std::string_view name) {
  auto idx = def.column_index(name);
  if (!idx) fail_invalid("Undefined column name " + std::string(name));
  return *idx;
}

MarkerSpecs marker_specs(const cql::ParsedStatement& parsed, const TableRef* table) {
  return SpecWalker(table, parsed.markers.size()).walk(parsed.statement);
}

MarkerSpecs batch_marker_specs(const Store& store, const cql::ParsedStatement& parsed,
                               const std::string& keyspace) {
  SpecWalker walker(nullptr, parsed.markers.size());
  for (const auto& s : std::get<cql::Batch>(parsed.statement).statements) {
    std::visit(
        [&](const auto& st) {
          TableRef table = resolve_table(store, st.table, keyspace);
          walker.add(st, &table);
        },
        s);
  }
  // BatchStatement.Parsed prepares the batch's USING as Attributes.prepare("[batch]", "[batch]").
  TableRef batch;
  batch.keyspace = batch.name = "[batch]";
  walker.add(std::get<cql::Batch>(parsed.statement).using_, &batch);
  return walker.finish();
}

TermValue evaluate(const Term& term, const DataType& type, std::string_view receiver,
                   const Bindings& bindings) {
  TermValue out;
  if (const auto* c = std::get_if<cql::Constant>(&term.value)) {
    auto v = take(literal_value(*c, type, receiver));
    if (v) {
      out.kind = TermValue::Kind::bytes;
      out.bytes = std::move(*v);
      if (type.id == TypeId::set || type.id == TypeId::map) {
        out.bytes = normalize_collection(type, out.bytes);
      }
    }
    return out;
  }
  if (const auto* m = std::get_if<cql::BindMarker>(&term.value)) {
    const protocol::Value& v = bindings.at(m->index);
    if (v.kind == protocol::Value::Kind::null) return out;
    if (v.kind == protocol::Value::Kind::not_set) {
      out.kind = TermValue::Kind::unset;
      return out;
    }
    if (auto err = validate_value(type, v.bytes, receiver)) fail(std::move(*err));
    out.kind = TermValue::Kind::bytes;
    out.bytes.assign(v.bytes.begin(), v.bytes.end());
    if (type.id == TypeId::set || type.id == TypeId::map) {
      out.bytes = normalize_collection(type, out.bytes);
    }
    return out;
  }
  out.kind = TermValue::Kind::bytes;
  const std::string recv(receiver);
  auto element = [&](const Term& t, const DataType& et, const std::string& what) {
    TermValue v = evaluate(t, et, what, bindings);
    if (v.kind == TermValue::Kind::null) fail_invalid("null is not supported inside collections");
    if (v.kind == TermValue::Kind::unset) {
      fail_invalid("Invalid unset value for " + what + " inside a collection");
    }
    return std::move(v.bytes);
  };
  if (const auto* c = std::get_if<cql::CollectionLiteral>(&term.value)) {
    const bool empty_braces = c->kind == cql::CollectionLiteral::Kind::map && c->entries.empty();
    if (type.id == TypeId::map && (c->kind == cql::CollectionLiteral::Kind::map)) {
      std::vector<std::pair<Bytes, Bytes>> entries;
      for (const auto& [k, v] : c->entries) {
        entries.emplace_back(element(k, type.params[0], "key(" + recv + ")"),
                             element(v, type.params[1], "value(" + recv + ")"));
      }
      std::vector<std::pair<BytesView, BytesView>> views(entries.begin(), entries.end());
      (void)protocol::encode_map(views, out.bytes);
      out.bytes = normalize_collection(type, out.bytes);
      return out;
    }
    bool list_ok = type.id == TypeId::list && c->kind == cql::CollectionLiteral::Kind::list;
    bool set_ok =
        type.id == TypeId::set && (c->kind == cql::CollectionLiteral::Kind::set || empty_braces);
    if (!list_ok && !set_ok) {
      fail_invalid("Invalid collection literal for " + recv + " of type " + protocol::to_cql(type));
    }
    std::vector<Bytes> elems;
    for (const auto& e : c->elements)
      elems.push_back(element(e, type.params[0], "value(" + recv + ")"));
    out.bytes = encode_elements(elems);
    if (set_ok) out.bytes = normalize_collection(type, out.bytes);
    return out;
  }
  if (const auto* t = std::get_if<cql::TupleLiteral>(&term.value)) {
    if (type.id != TypeId::tuple || type.params.size() < t->elements.size()) {
      fail_invalid("Invalid tuple literal for " + recv + " of type " + protocol::to_cql(type));
    }
    std::vector<std::optional<Bytes>> parts;
    for (std::size_t i = 0; i < t->elements.size(); ++i) {
      TermValue v = evaluate(t->elements[i], type.params[i], recv, bindings);
      parts.push_back(v.optional());
    }
    parts.resize(type.params.size());
    std::vector<std::optional<BytesView>> views;
    for (const auto& p : parts)
      views.push_back(p ? std::optional<BytesView>(*p) : std::nullopt);
    (void)protocol::encode_tuple(views, out.bytes);
    return out;
  }
  const auto& f = std::get<cql::FunctionCall>(term.value);
  TermCall r = call_in_term(f, type, bindings);
  if (r.type.id != type.id) {
    fail_invalid("Type error: cannot assign result of function system." + f.name + " (type " +
                 protocol::to_cql(r.type) + ") to " + recv + " (type " + protocol::to_cql(type) +
                 ")");
  }
  if (!r.value) {
    out.kind = TermValue::Kind::null;
    return out;
  }
  out.bytes = std::move(*r.value);
  return out;
}

Bytes evaluate_bytes(const Term& term, const DataType& type, std::string_view receiver,
                     const Bindings& bindings, std::string_view what) {
  TermValue v = evaluate(term, type, receiver, bindings);
  if (v.kind == TermValue::Kind::null) fail_invalid("Invalid null value for " + std::string(what));
  if (v.kind == TermValue::Kind::unset) {
    fail_invalid("Invalid unset value for " + std::string(what));
  }
  return std::move(v.bytes);
}

void RowsWriter::row(std::span<const std::optional<BytesView>> cells) {
  for (const auto& c : cells) {
    if (!c) {
      for (std::uint8_t b : {0xFF, 0xFF, 0xFF, 0xFF})
        reply_.rows.push_back(b);
      continue;
    }
    auto n = static_cast<std::uint32_t>(c->size());
    for (int shift = 24; shift >= 0; shift -= 8)
      reply_.rows.push_back(static_cast<std::uint8_t>(n >> shift));
    reply_.rows.insert(reply_.rows.end(), c->begin(), c->end());
  }
  ++rows_;
}

void RowsWriter::finish(std::optional<Bytes> paging_state) {
  protocol::RowsResult r;
  r.metadata = protocol::ResultMetadata::of(std::move(columns_));
  if (paging_state) {
    reply_.paging_state = std::move(*paging_state);
    r.metadata.paging_state = BytesView(reply_.paging_state);
  }
  r.row_count = rows_;
  r.content = reply_.rows;
  reply_.message = protocol::Result{std::move(r)};
}

}  // namespace nosqlc::sandbox::detail
