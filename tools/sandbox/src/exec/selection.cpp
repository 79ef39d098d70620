// A SELECT list prepared against its table, as Cassandra 4.0's Selectable.*.newSelectorFactory
// prepare it (with their errors), and evaluated row by row or aggregated.
#include "exec/selection.hpp"

#include "cql/cells.hpp"
#include "cql/json_values.hpp"

#include <algorithm>

namespace nosqlc::sandbox::detail {
namespace {

const DataType kText = DataType::of(TypeId::varchar);

Bytes text_bytes(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

bool is_term(const cql::Selector& s) {
  return s.kind == cql::Selector::Kind::term;
}

class Compiler {
 public:
  Compiler(const TableRef& t, const Bindings* b, const Selection::MarkerSink& sink)
      : table_(t), def_(t.def()), bindings_(b), sink_(sink) {}

  // `expected`: the type the selector's place calls for (a function's parameter), if any.
  SelectorNode compile(const cql::Selector& s, const std::optional<DataType>& expected) {
    using K = cql::Selector::Kind;
    SelectorNode n;
    switch (s.kind) {
      case K::column:
        n.column = column_of(def_, s.name);
        n.name = def_.columns[n.column].name;
        n.type = def_.columns[n.column].type;
        break;
      case K::count_star:
        n.kind = SelectorNode::Kind::aggregate;
        n.aggregate = std::make_shared<Aggregate>(Aggregate::Kind::count_rows, DataType{});
        n.name = "count";
        n.type = DataType::of(TypeId::bigint);
        break;
      case K::writetime:
      case K::ttl:
        n = cell_stamp(s);
        break;
      case K::function:
        n = function(s);
        break;
      case K::cast:
        n = cast(s);
        break;
      case K::term:
        n = term(s, expected);
        break;
      case K::hint: {
        SelectorNode arg = compile(s.args[0], s.type);
        if (arg.type != s.type) {
          fail_invalid("Type error: cannot assign result of " + arg.name + " (type " +
                       protocol::to_cql(arg.type) + ") to (" + s.text + ")");
        }
        arg.name = "(" + s.text + ")" + arg.name;
        n = std::move(arg);
        break;
      }
      case K::parens:
        n = compile(s.args[0], expected);
        n.name = "(" + n.name + ")";
        break;
      case K::operation:
        n = operation(s);
        break;
    }
    return n;
  }

 private:
  SelectorNode cell_stamp(const cql::Selector& s) {
    const bool writetime = s.kind == cql::Selector::Kind::writetime;
    SelectorNode n;
    n.kind = writetime ? SelectorNode::Kind::writetime : SelectorNode::Kind::ttl;
    n.column = column_of(def_, s.name);
    const ColumnDef& col = def_.columns[n.column];
    const char* fn = writetime ? "writeTime" : "ttl";
    // Selectable.WritetimeOrTTL.newSelectorFactory.
    auto in = [&](const std::vector<std::size_t>& key) {
      return std::find(key.begin(), key.end(), n.column) != key.end();
    };
    const bool primary_key = table_.system
                                 ? in(table_.system->partition_key) || in(table_.system->clustering)
                                 : n.column == def_.partition_key;
    if (primary_key) {
      fail_invalid(std::string("Cannot use selection function ") + fn + " on PRIMARY KEY part " +
                   col.name);
    }
    const bool collection =
        col.type.id == TypeId::list || col.type.id == TypeId::set || col.type.id == TypeId::map;
    if (collection && !col.frozen) {
      fail_invalid(std::string("Cannot use selection function ") + fn +
                   " on non-frozen collection " + col.name);
    }
    n.name = std::string(writetime ? "writetime(" : "ttl(") + col.name + ")";
    n.type = DataType::of(writetime ? TypeId::bigint : TypeId::int_);
    return n;
  }

  // What overload resolution sees of each argument: a term as itself, anything else by the
  // type it compiles to.
  std::vector<FunctionArg> shapes(const std::vector<cql::Selector>& args,
                                  std::vector<std::optional<SelectorNode>>& compiled) {
    std::vector<FunctionArg> out;
    compiled.assign(args.size(), std::nullopt);
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (is_term(args[i])) {
        out.push_back({std::nullopt, &*args[i].term, args[i].text});
      } else {
        compiled[i] = compile(args[i], std::nullopt);
        out.push_back({compiled[i]->type, nullptr, compiled[i]->name});
      }
    }
    return out;
  }

  std::vector<SelectorNode> finish_args(const std::vector<cql::Selector>& args,
                                        std::vector<std::optional<SelectorNode>>& compiled,
                                        const std::vector<DataType>& params) {
    std::vector<SelectorNode> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
      out.push_back(compiled[i] ? std::move(*compiled[i]) : compile(args[i], params[i]));
    }
    return out;
  }

  static std::vector<std::string> names(const std::vector<SelectorNode>& nodes) {
    std::vector<std::string> out;
    for (const auto& a : nodes)
      out.push_back(a.name);
    return out;
  }

  SelectorNode function(const cql::Selector& s) {
    SelectorNode n;
    if (s.name == "token") {
      const std::string& pk = def_.columns[def_.partition_key].name;
      if (s.args.size() != 1 || s.args[0].kind != cql::Selector::Kind::column ||
          s.args[0].name != pk) {
        fail_invalid("Invalid arguments for token(): the partition key is " + pk);
      }
      n.kind = SelectorNode::Kind::token;
      n.name = "system.token(" + pk + ")";
      n.type = DataType::of(TypeId::bigint);
      return n;
    }
    if (s.name == "fromjson") {
      fail_invalid("fromJson() cannot be used in the selection clause of a SELECT statement");
    }
    if (s.name == "tojson") {
      if (s.args.size() != 1) {
        fail_invalid("toJson() only accepts one argument (got " + std::to_string(s.args.size()) +
                     ")");
      }
      n.kind = SelectorNode::Kind::to_json;
      n.args.push_back(compile(s.args[0], std::nullopt));
      n.name = "system.tojson(" + n.args[0].name + ")";
      n.type = kText;
      return n;
    }
    if (auto kind = Aggregate::kind_of(s.name)) {
      if (s.args.size() != 1) {
        fail_invalid("Invalid number of arguments in call to function system." + s.name +
                     ": 1 required but " + std::to_string(s.args.size()) + " provided");
      }
      SelectorNode arg = compile(s.args[0], std::nullopt);
      if (arg.aggregates()) {
        fail_invalid("aggregate functions cannot be used as arguments of aggregate functions");
      }
      n.kind = SelectorNode::Kind::aggregate;
      n.aggregate = std::make_shared<Aggregate>(*kind, arg.type);
      n.type = n.aggregate->returns();
      n.name = "system." + s.name + "(" + arg.name + ")";
      n.args.push_back(std::move(arg));
      return n;
    }
    std::vector<std::optional<SelectorNode>> compiled;
    std::vector<FunctionArg> args = shapes(s.args, compiled);
    const ScalarFunction& f = resolve_function(s.name, args);
    return scalar(f, finish_args(s.args, compiled, f.params));
  }

  SelectorNode cast(const cql::Selector& s) {
    SelectorNode arg = compile(s.args[0], std::nullopt);
    if (arg.type == s.type) return arg;  // Selectable.WithCast: a cast to its own type is none
    const ScalarFunction* f = find_cast(arg.type, s.type);
    if (!f) fail_invalid(arg.name + " cannot be cast to " + s.text);
    std::vector<SelectorNode> args;
    args.push_back(std::move(arg));
    return scalar(*f, std::move(args));
  }

  SelectorNode operation(const cql::Selector& s) {
    std::vector<std::optional<SelectorNode>> compiled;
    std::vector<FunctionArg> args = shapes(s.args, compiled);
    const ScalarFunction& f = resolve_operation(s.name, args);
    return scalar(f, finish_args(s.args, compiled, f.params));
  }

  // A call of `f` on prepared arguments, named as `f` names its column.
  static SelectorNode scalar(const ScalarFunction& f, std::vector<SelectorNode> args) {
    SelectorNode n;
    n.kind = SelectorNode::Kind::scalar;
    n.function = &f;
    n.type = f.returns;
    n.name = f.column_name(names(args));
    n.args = std::move(args);
    return n;
  }

  SelectorNode term(const cql::Selector& s, const std::optional<DataType>& expected) {
    if (!expected) {
      fail_invalid("Cannot infer type for term " + s.text +
                   " in selection clause (try using a cast to force a type)");
    }
    SelectorNode n;
    n.kind = SelectorNode::Kind::term;
    n.type = *expected;
    n.name = s.text;
    const cql::Term& t = *s.term;
    if (const auto* m = std::get_if<cql::BindMarker>(&t.value); m && sink_) {
      sink_(m->index, m->name ? *m->name : "[selection]", *expected);
    }
    if (!term_fits(t, *expected)) {
      fail_invalid("Type error: " + s.text + " cannot be used as a value of type " +
                   protocol::to_cql(*expected));
    }
    if (bindings_) {
      TermValue v = evaluate(t, *expected, "[selection]", *bindings_);
      if (v.is_bytes()) n.constant = std::move(v.bytes);
    }
    return n;
  }

  const TableRef& table_;
  const TableDef& def_;
  const Bindings* bindings_;
  const Selection::MarkerSink& sink_;
};

std::string json_object(const std::vector<SelectorNode>& outputs,
                        std::span<const std::optional<BytesView>> values) {
  std::string out = "{";
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (i) out += ", ";
    out += cql::json_quote(cql::json_key(outputs[i].name));
    out += ": ";
    out += values[i] ? cql::to_json_text(outputs[i].type, *values[i]) : "null";
  }
  return out + "}";
}

}  // namespace

bool SelectorNode::aggregates() const {
  if (kind == Kind::aggregate) return true;
  return std::any_of(args.begin(), args.end(), [](const auto& a) { return a.aggregates(); });
}

std::optional<Bytes> SelectorNode::value(const RowInput& row) const {
  switch (kind) {
    case Kind::column:
      return column < row.cells.size() ? row.cells[column] : std::nullopt;
    case Kind::writetime:
    case Kind::ttl: {
      if (column >= row.cells.size() || !row.cells[column] || !row.stamps) return std::nullopt;
      const CellStamp& st = (*row.stamps)[column];
      if (kind == Kind::writetime) return cells::bigint_cell(st.timestamp);
      if (st.expires_at == 0) return std::nullopt;
      // ExpiringCell: the seconds left, both times in whole seconds as Cassandra keeps them.
      Bytes out;
      protocol::encode_int(
          static_cast<std::int32_t>(st.expires_at / 1'000'000 - row.now_micros / 1'000'000), out);
      return out;
    }
    case Kind::token:
      return cells::bigint_cell(row.token);
    case Kind::term:
      return constant;
    case Kind::scalar: {
      std::vector<std::optional<Bytes>> in;
      for (const auto& a : args)
        in.push_back(a.value(row));
      return function->call(in);
    }
    case Kind::to_json: {
      std::optional<Bytes> v = args[0].value(row);
      return text_bytes(v ? cql::to_json_text(args[0].type, *v) : "null");
    }
    case Kind::aggregate:
      break;
  }
  return std::nullopt;
}

void SelectorNode::add(const RowInput& row) {
  switch (kind) {
    case Kind::aggregate:
      aggregate->add(args.empty() ? std::nullopt : args[0].value(row));
      return;
    case Kind::scalar:
    case Kind::to_json:
      for (auto& a : args)
        a.add(row);
      return;
    default:
      if (!first) first = value(row);
  }
}

std::optional<Bytes> SelectorNode::output() const {
  switch (kind) {
    case Kind::aggregate:
      return aggregate->result();
    case Kind::scalar: {
      std::vector<std::optional<Bytes>> in;
      for (const auto& a : args)
        in.push_back(a.output());
      return function->call(in);
    }
    case Kind::to_json: {
      std::optional<Bytes> v = args[0].output();
      return text_bytes(v ? cql::to_json_text(args[0].type, *v) : "null");
    }
    case Kind::term:
      return constant;
    default:
      return first ? *first : std::nullopt;
  }
}

Selection::Selection(const cql::Select& s, const TableRef& t, const Bindings* bindings,
                     const MarkerSink& on_marker)
    : json_(s.json) {
  const TableDef& def = t.def();
  if (s.star) {
    std::vector<std::size_t> order;
    if (t.system) {
      for (std::size_t i = 0; i < def.columns.size(); ++i)
        order.push_back(i);
    } else {
      order = star_order(def);
    }
    for (std::size_t i : order) {
      SelectorNode n;
      n.column = i;
      n.name = def.columns[i].name;
      n.type = def.columns[i].type;
      outputs_.push_back(std::move(n));
    }
    return;
  }
  Compiler c(t, bindings, on_marker);
  for (const cql::Selector& x : s.selectors) {
    SelectorNode n = c.compile(x, std::nullopt);
    if (x.alias) n.name = *x.alias;
    if (s.distinct && (n.kind != SelectorNode::Kind::column || n.column != def.partition_key)) {
      fail_invalid(
          "SELECT DISTINCT queries must only request partition key columns and/or "
          "static columns (not " +
          n.name + ")");
    }
    aggregate_ = aggregate_ || n.aggregates();
    only_columns_ = only_columns_ && n.kind == SelectorNode::Kind::column;
    outputs_.push_back(std::move(n));
  }
}

std::vector<std::pair<std::string, DataType>> Selection::columns() const {
  if (json_) return {{"[json]", kText}};
  std::vector<std::pair<std::string, DataType>> out;
  for (const auto& o : outputs_)
    out.emplace_back(o.name, o.type);
  return out;
}

void Selection::declare(RowsWriter& w) const {
  if (json_) {
    w.column("[json]", kText);
    return;
  }
  for (const auto& o : outputs_)
    w.column(o.name, o.type);
}

void Selection::add(const RowInput& row, RowsWriter& w) {
  if (aggregate_) {
    for (auto& o : outputs_)
      o.add(row);
    return;
  }
  // Columns are written from the row's own cells; only computed values are made here.
  std::vector<std::optional<Bytes>> computed(only_columns_ ? 0 : outputs_.size());
  std::vector<std::optional<BytesView>> cells;
  cells.reserve(outputs_.size());
  for (std::size_t i = 0; i < outputs_.size(); ++i) {
    const SelectorNode& o = outputs_[i];
    if (o.kind == SelectorNode::Kind::column) {
      const bool present = o.column < row.cells.size() && row.cells[o.column];
      cells.push_back(present ? std::optional<BytesView>(*row.cells[o.column]) : std::nullopt);
      continue;
    }
    computed[i] = o.value(row);
    cells.push_back(computed[i] ? std::optional<BytesView>(*computed[i]) : std::nullopt);
  }
  write(cells, w);
}

void Selection::finish(RowsWriter& w) {
  if (!aggregate_) return;
  std::vector<std::optional<Bytes>> values;
  std::vector<std::optional<BytesView>> cells;
  for (const auto& o : outputs_)
    values.push_back(o.output());
  for (const auto& v : values)
    cells.push_back(v ? std::optional<BytesView>(*v) : std::nullopt);
  write(cells, w);
}

void Selection::write(std::span<const std::optional<BytesView>> cells, RowsWriter& w) const {
  if (!json_) {
    w.row(cells);
    return;
  }
  Bytes text = text_bytes(json_object(outputs_, cells));
  std::optional<BytesView> cell(text);
  w.row(std::span<const std::optional<BytesView>>(&cell, 1));
}

}  // namespace nosqlc::sandbox::detail
