// The parser's building blocks: token access, errors, names, types, terms and clauses.
#include "cql/parser_impl.hpp"

#include <nosqlc/protocol/keywords.hpp>

#include <cctype>

namespace nosqlc::sandbox::cql::detail {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Constant make_constant(Constant::Kind k, std::string text) {
  Constant c;
  c.kind = k;
  c.text = std::move(text);
  return c;
}

}  // namespace

bool is_reserved(std::string_view word) noexcept {
  return protocol::is_reserved_keyword(word);
}

Parser::Parser(std::string_view query, std::vector<Token> tokens)
    : query_(query), toks_(std::move(tokens)) {
  cur_ = index_of_next(0);
}

std::size_t Parser::index_of_next(std::size_t from) const {
  while (from + 1 < toks_.size() && toks_[from].kind == TokenKind::hidden)
    ++from;
  return from;
}

const Token& Parser::peek(std::size_t ahead) const {
  std::size_t i = cur_;
  for (; ahead > 0 && toks_[i].kind != TokenKind::end; --ahead)
    i = index_of_next(i + 1);
  return toks_[i];
}

const Token& Parser::advance() {
  const Token& t = toks_[cur_];
  if (t.kind != TokenKind::end) {
    consumed_end_ = t.end;
    cur_ = index_of_next(cur_ + 1);
  }
  return t;
}

bool Parser::accept_keyword(std::string_view kw) {
  if (!at_keyword(kw)) return false;
  advance();
  return true;
}

bool Parser::accept_if_not_exists() {
  if (!accept_keyword("if")) return false;
  expect_keyword("not");
  expect_keyword("exists");
  return true;
}

bool Parser::accept_symbol(std::string_view s) {
  if (!at_symbol(s)) return false;
  advance();
  return true;
}

void Parser::expect_keyword(std::string_view kw) {
  if (!accept_keyword(kw)) fail_expecting("K_" + upper(kw));
}

void Parser::expect_symbol(std::string_view s) {
  if (!accept_symbol(s)) fail_expecting("'" + std::string(s) + "'");
}

std::string Parser::display(const Token& t) const {
  if (t.kind == TokenKind::end) return "<EOF>";
  return std::string(query_.substr(t.begin, t.end - t.begin));
}

// As Cassandra's ErrorCollector: the query from 10 tokens before the offending one (hidden
// tokens count) to 2 after it, the offending token in brackets, "..." where text was cut,
// lines joined without their line breaks.
void Parser::fail(const std::string& detail) const {
  const Token& bad = toks_[cur_];
  const Token& from = toks_[cur_ >= 10 ? cur_ - 10 : 0];
  const Token& to = toks_[std::min(toks_.size() - 1, cur_ + 2)];
  std::string snippet = from.begin == 0 ? "" : "...";
  snippet += query_.substr(from.begin, bad.begin - from.begin);
  snippet += "[" + std::string(query_.substr(bad.begin, bad.end - bad.begin)) + "]";
  if (to.end > bad.end) snippet += query_.substr(bad.end, to.end - bad.end);
  if (std::max(to.end, bad.end) < query_.size()) snippet += "...";
  std::erase(snippet, '\n');
  std::erase(snippet, '\r');
  throw SyntaxFailure{ParseError{bad.pos, detail + " (" + snippet + ")"}};
}

void Parser::fail_no_viable() const {
  fail("no viable alternative at input '" + display(peek()) + "'");
}

void Parser::fail_expecting(const std::string& expected) const {
  fail("mismatched input '" + display(peek()) + "' expecting " + expected);
}

// ---- Names ----

bool Parser::at_identifier(std::size_t ahead) const {
  const Token& t = peek(ahead);
  if (t.kind == TokenKind::quoted_identifier) return true;
  return t.kind == TokenKind::identifier && !is_reserved(t.text) && t.text != "true" &&
         t.text != "false";
}

std::string Parser::identifier() {
  if (!at_identifier()) fail_no_viable();
  return advance().text;
}

QualifiedName Parser::qualified_name() {
  QualifiedName q;
  q.name = identifier();
  if (accept_symbol(".")) {
    q.keyspace = std::move(q.name);
    q.name = identifier();
  }
  return q;
}

// ---- Types ----

namespace {

bool is_collection(const RawType& t) {
  using protocol::TypeId;
  return t.type.id == TypeId::list || t.type.id == TypeId::set || t.type.id == TypeId::map;
}

// CQL3Type.Raw.supportsFreezing: collections, tuples (and user-defined types).
bool supports_freezing(const RawType& t) {
  return is_collection(t) || t.type.id == protocol::TypeId::tuple;
}

// CQL3Type.Raw.freeze: a collection and, inside it, every collection and tuple. Tuples are
// frozen already; frozen<> of anything else is refused by the executor (top level) or ignored.
void freeze(RawType& t) {
  if (!is_collection(t)) return;
  t.frozen = true;
  for (RawType& p : t.params)
    freeze(p);
}

// CQL3Type.Raw.toString, as Cassandra quotes a type in its messages.
std::string raw_text(const RawType& t) {
  if (t.params.empty()) return t.name;
  std::string s = t.name + "<";
  for (std::size_t i = 0; i < t.params.size(); ++i) {
    if (i > 0) s += ", ";
    s += raw_text(t.params[i]);
  }
  s += ">";
  return is_collection(t) && t.frozen ? "frozen<" + s + ">" : s;
}

}  // namespace

std::string nested_non_frozen_error(const RawType& t) {
  if (!is_collection(t)) {  // a tuple: its components in order
    for (const RawType& p : t.params) {
      if (auto e = nested_non_frozen_error(p); !e.empty()) return e;
    }
    return "";
  }
  // CQL3Type.RawCollection.prepare: the values, then a map's keys, then inside each.
  const RawType& values = t.params.back();
  const RawType* keys = t.params.size() == 2 ? &t.params.front() : nullptr;
  auto unfrozen = [](const RawType& p) { return supports_freezing(p) && !p.frozen; };
  if (!t.frozen && (unfrozen(values) || (keys && unfrozen(*keys)))) {
    return "Non-frozen collections are not allowed inside collections: " + raw_text(t);
  }
  if (auto e = nested_non_frozen_error(values); !e.empty()) return e;
  return keys ? nested_non_frozen_error(*keys) : "";
}

RawType Parser::raw_type(int depth) {
  using protocol::DataType;
  using protocol::TypeId;
  if (depth > kMaxNestingDepth) fail("type nested too deeply");
  const Token& t = peek();
  RawType out;
  if (t.kind == TokenKind::string) {  // a custom type: its Java class name
    out.type = DataType::of(TypeId::custom);
    out.type.custom_class = advance().text;
    out.name = "'" + out.type.custom_class + "'";
    return out;
  }
  if (t.kind != TokenKind::identifier) fail_no_viable();
  std::string name = t.text;
  auto params = [&](std::size_t n) {
    advance();
    expect_symbol("<");
    out.params.push_back(raw_type(depth + 1));
    while ((n == 0 || out.params.size() < n) && accept_symbol(",")) {
      out.params.push_back(raw_type(depth + 1));
    }
    if (n != 0 && out.params.size() < n) expect_symbol(",");
    expect_symbol(">");
  };
  if (name == "frozen") {  // frozen-ness does not change the wire type
    advance();
    expect_symbol("<");
    out = raw_type(depth + 1);
    expect_symbol(">");
    freeze(out);
    return out;
  }
  out.name = name;
  if (name == "list" || name == "set") {
    params(1);
    const DataType& e = out.params[0].type;
    out.type = name == "list" ? DataType::list_of(e) : DataType::set_of(e);
    return out;
  }
  if (name == "map") {
    params(2);
    out.type = DataType::map_of(out.params[0].type, out.params[1].type);
    return out;
  }
  if (name == "tuple") {
    params(0);
    std::vector<DataType> parts;
    for (RawType& p : out.params) {
      freeze(p);  // CQL3Type.RawTuple freezes what it holds
      parts.push_back(p.type);
    }
    out.type = DataType::tuple_of(std::move(parts));
    out.frozen = true;
    return out;
  }
  if (auto id = protocol::native_type_from_cql(name)) {
    advance();
    out.type = DataType::of(*id);
    return out;
  }
  fail("unknown type '" + display(t) + "'");  // user-defined types are outside the subset
}

// ---- Terms ----

int Parser::new_marker(const Token& t, const MarkerContext& ctx) {
  MarkerInfo m;
  m.index = static_cast<int>(markers_.size());
  if (t.kind == TokenKind::named_marker) m.name = t.text;
  m.role = ctx.role;
  m.column = ctx.column;
  markers_.push_back(std::move(m));
  return markers_.back().index;
}

Term Parser::constant_or_marker(const MarkerContext& ctx) {
  const Token& t = peek();
  using K = Constant::Kind;
  switch (t.kind) {
    case TokenKind::string:
      return Term{make_constant(K::string, advance().text)};
    case TokenKind::integer:
      return Term{make_constant(K::integer, advance().text)};
    case TokenKind::float_:
      return Term{make_constant(K::float_, advance().text)};
    case TokenKind::uuid:
      return Term{make_constant(K::uuid, advance().text)};
    case TokenKind::blob:
      return Term{make_constant(K::blob, advance().text)};
    case TokenKind::duration:
      return Term{make_constant(K::duration, advance().text)};
    case TokenKind::bind_marker:
    case TokenKind::named_marker: {
      BindMarker m;
      m.index = new_marker(t, ctx);
      if (t.kind == TokenKind::named_marker) m.name = t.text;
      advance();
      return Term{m};
    }
    case TokenKind::identifier:
      if (t.text == "true" || t.text == "false") {
        return Term{make_constant(K::boolean, advance().text)};
      }
      if (t.text == "null") {
        advance();
        return Term{make_constant(K::null, "")};
      }
      if (t.text == "nan") {
        advance();
        return Term{make_constant(K::nan, "NaN")};
      }
      if (t.text == "infinity") {
        advance();
        return Term{make_constant(K::infinity, "Infinity")};
      }
      break;
    case TokenKind::symbol:
      if (t.text == "-" && (at_keyword("infinity", 1) || at_keyword("nan", 1))) {
        advance();
        bool inf = advance().text == "infinity";
        return Term{inf ? make_constant(K::infinity, "-Infinity") : make_constant(K::nan, "NaN")};
      }
      break;
    default:
      break;
  }
  fail_no_viable();
}

Term Parser::term(const MarkerContext& ctx, int depth) {
  if (depth > kMaxNestingDepth) fail("term nested too deeply");
  if (at_symbol("[") || at_symbol("{")) return collection(ctx, depth);
  if (accept_symbol("(")) {
    TupleLiteral tuple;
    MarkerContext inner{MarkerInfo::Role::other, {}};
    tuple.elements.push_back(term(inner, depth + 1));
    while (accept_symbol(","))
      tuple.elements.push_back(term(inner, depth + 1));
    expect_symbol(")");
    return Term{std::move(tuple)};
  }
  // name( starts a function call; reserved words (token aside) cannot name functions.
  const Token& t = peek();
  if (t.kind == TokenKind::identifier && at_symbol("(", 1) &&
      (!is_reserved(t.text) || t.text == "token")) {
    FunctionCall call;
    call.name = advance().text;
    advance();  // (
    MarkerContext inner{MarkerInfo::Role::other, {}};
    call.args = term_list(inner, ")", depth + 1);
    return Term{std::move(call)};
  }
  return constant_or_marker(ctx);
}

// [a, b], {a, b}, {k: v}; markers inside bind to the collection's column.
Term Parser::collection(const MarkerContext& ctx, int depth) {
  bool top = ctx.role == MarkerInfo::Role::column;
  MarkerContext elem{top ? MarkerInfo::Role::element : MarkerInfo::Role::other,
                     top ? ctx.column : std::string()};
  MarkerContext key{top ? MarkerInfo::Role::map_key : MarkerInfo::Role::other,
                    top ? ctx.column : std::string()};
  CollectionLiteral lit;
  if (accept_symbol("[")) {
    lit.kind = CollectionLiteral::Kind::list;
    lit.elements = term_list(elem, "]", depth + 1);
    return Term{std::move(lit)};
  }
  expect_symbol("{");
  lit.kind = CollectionLiteral::Kind::map;
  if (accept_symbol("}")) return Term{std::move(lit)};
  // Whether it is a set or a map shows after the first element; its markers' role depends
  // on that, so fix the role up afterwards.
  std::size_t first_marker = markers_.size();
  Term first = term(key, depth + 1);
  if (accept_symbol(":")) {
    Term v = term(elem, depth + 1);
    lit.entries.emplace_back(std::move(first), std::move(v));
    while (accept_symbol(",")) {
      Term k = term(key, depth + 1);
      expect_symbol(":");
      Term val = term(elem, depth + 1);
      lit.entries.emplace_back(std::move(k), std::move(val));
    }
    expect_symbol("}");
    return Term{std::move(lit)};
  }
  for (std::size_t i = first_marker; i < markers_.size(); ++i) {
    if (markers_[i].role == MarkerInfo::Role::map_key) markers_[i].role = elem.role;
  }
  lit.kind = CollectionLiteral::Kind::set;
  lit.elements.push_back(std::move(first));
  while (accept_symbol(","))
    lit.elements.push_back(term(elem, depth + 1));
  expect_symbol("}");
  return Term{std::move(lit)};
}

std::vector<Term> Parser::term_list(const MarkerContext& ctx, std::string_view close, int depth) {
  std::vector<Term> out;
  if (accept_symbol(close)) return out;
  out.push_back(term(ctx, depth));
  while (accept_symbol(","))
    out.push_back(term(ctx, depth));
  expect_symbol(close);
  return out;
}

// ---- Clauses ----

// USING TTL t | TIMESTAMP ts [AND ...]; the USING keyword already consumed.
UsingClause Parser::using_clause() {
  UsingClause u;
  do {
    auto int_value = [&](MarkerInfo::Role role) {
      const Token& t = peek();
      if (t.kind != TokenKind::integer && t.kind != TokenKind::bind_marker &&
          t.kind != TokenKind::named_marker) {
        fail_no_viable();
      }
      return constant_or_marker(MarkerContext{role, {}});
    };
    if (accept_keyword("ttl")) {
      u.ttl = int_value(MarkerInfo::Role::ttl);
    } else if (accept_keyword("timestamp")) {
      u.timestamp = int_value(MarkerInfo::Role::timestamp);
    } else {
      fail_no_viable();
    }
  } while (accept_keyword("and"));
  return u;
}

// WHERE relation [AND relation ...]; the WHERE keyword already consumed.
std::vector<Relation> Parser::where_clause() {
  std::vector<Relation> out{relation(true)};
  while (accept_keyword("and"))
    out.push_back(relation(true));
  return out;
}

Relation Parser::relation(bool allow_token) {
  Relation r;
  if (allow_token && at_keyword("token") && at_symbol("(", 1)) {
    advance();
    advance();
    r.token = true;
    r.columns.push_back(identifier());
    while (accept_symbol(","))
      r.columns.push_back(identifier());
    expect_symbol(")");
  } else {
    r.columns.push_back(identifier());
  }
  MarkerContext ctx{r.token ? MarkerInfo::Role::token : MarkerInfo::Role::column,
                    r.token ? std::string() : r.columns.front()};
  const Token& op = peek();
  if (op.kind == TokenKind::symbol) {
    static constexpr std::pair<std::string_view, Operator> kOps[] = {
        {"=", Operator::eq},   {"!=", Operator::ne}, {"<", Operator::lt},
        {"<=", Operator::lte}, {">", Operator::gt},  {">=", Operator::gte},
    };
    for (const auto& [sym, o] : kOps) {
      if (op.text == sym) {
        advance();
        r.op = o;
        r.value = term(ctx);
        return r;
      }
    }
  }
  if (!r.token && accept_keyword("in")) {
    r.op = Operator::in;
    if (accept_symbol("(")) {
      r.in_values = term_list(ctx, ")");
    } else if (peek().kind == TokenKind::bind_marker || peek().kind == TokenKind::named_marker) {
      r.value = constant_or_marker(MarkerContext{MarkerInfo::Role::in_values, r.columns[0]});
    } else {
      fail_no_viable();
    }
    return r;
  }
  if (!r.token && accept_keyword("contains")) {
    r.op = accept_keyword("key") ? Operator::contains_key : Operator::contains;
    r.value = term(MarkerContext{MarkerInfo::Role::other, {}});
    return r;
  }
  fail_no_viable();
}

// IF EXISTS | IF NOT EXISTS | IF cond [AND cond ...]; the IF keyword already consumed.
Conditions Parser::if_clause(bool allow_not_exists) {
  Conditions c;
  if (accept_keyword("exists")) {
    c.kind = Conditions::Kind::exists;
    return c;
  }
  if (allow_not_exists && at_keyword("not")) {
    advance();
    expect_keyword("exists");
    c.kind = Conditions::Kind::not_exists;
    return c;
  }
  c.kind = Conditions::Kind::columns;
  c.columns.push_back(relation(false));
  while (accept_keyword("and"))
    c.columns.push_back(relation(false));
  return c;
}

// A property value or map entry: a constant, as text.
std::string Parser::property_constant() {
  const Token& t = peek();
  switch (t.kind) {
    case TokenKind::string:
    case TokenKind::integer:
    case TokenKind::float_:
    case TokenKind::uuid:
    case TokenKind::blob:
      return advance().text;
    case TokenKind::identifier:  // true, false and unreserved words such as ALL or NONE
      if (!is_reserved(t.text)) return advance().text;
      break;
    default:
      break;
  }
  fail_no_viable();
}

Property Parser::property() {
  Property p;
  p.name = identifier();
  expect_symbol("=");
  if (accept_symbol("{")) {
    std::map<std::string, std::string> m;
    if (!accept_symbol("}")) {
      do {
        std::string k = property_constant();
        expect_symbol(":");
        m[std::move(k)] = property_constant();
      } while (accept_symbol(","));
      expect_symbol("}");
    }
    p.value = std::move(m);
  } else {
    p.value = property_constant();
  }
  return p;
}

// property [AND property ...]; the WITH keyword already consumed.
std::vector<Property> Parser::properties() {
  std::vector<Property> out;
  do {
    const Token& at = peek();
    Property p = property();
    for (const Property& q : out) {
      if (q.name == p.name) {
        throw SyntaxFailure{
            ParseError{at.pos, "Multiple definition for property '" + p.name + "'"}};
      }
    }
    out.push_back(std::move(p));
  } while (accept_keyword("and"));
  return out;
}

}  // namespace nosqlc::sandbox::cql::detail
