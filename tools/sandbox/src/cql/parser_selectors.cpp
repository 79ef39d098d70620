// SELECT and its selection clause, as Cassandra 4.0's Parser.g reads them (selectClause,
// unaliasedSelector: selectionAddition, selectionMultiplication, selectionGroup,
// selectionFunction, selectionLiteral, selectionTypeHint).
#include "cql/parser_impl.hpp"

#include <array>
#include <string_view>

namespace nosqlc::sandbox::cql::detail {
namespace {

constexpr std::array<std::string_view, 21> kNativeTypes = {
    "ascii",  "bigint",    "blob",     "boolean", "counter", "date",     "decimal",
    "double", "duration",  "float",    "inet",    "int",     "smallint", "text",
    "time",   "timestamp", "timeuuid", "tinyint", "uuid",    "varchar",  "varint"};

bool is_native_type(std::string_view name) {
  for (std::string_view t : kNativeTypes) {
    if (t == name) return true;
  }
  return false;
}

}  // namespace

// `(type)` before a selector: a native type, or a collection or tuple type, then `)`.
bool Parser::at_type_hint() const {
  if (!at_symbol("(")) return false;
  const Token& t = peek(1);
  if (t.kind != TokenKind::identifier) return false;
  if (is_native_type(t.text)) return at_symbol(")", 2);
  return (t.text == "list" || t.text == "set" || t.text == "map" || t.text == "tuple" ||
          t.text == "frozen") &&
         at_symbol("<", 2);
}

Selector Parser::selector() {
  Selector s = selector_sum(0);
  if (accept_keyword("as")) s.alias = identifier();
  return s;
}

// A chain of operations is a left-deep tree: each operator counts as a level of nesting, so
// that `v + v + ...` cannot build a tree too deep to walk.
Selector Parser::selector_sum(int depth) {
  Selector left = selector_product(depth);
  while (at_symbol("+") || at_symbol("-")) {
    if (++depth > kMaxNestingDepth) fail("selector nested too deeply");
    Selector op;
    op.kind = Selector::Kind::operation;
    op.name = advance().text;
    op.args.push_back(std::move(left));
    op.args.push_back(selector_product(depth + 1));
    left = std::move(op);
  }
  return left;
}

Selector Parser::selector_product(int depth) {
  Selector left = selector_unary(depth);
  while (at_symbol("*") || at_symbol("/") || at_symbol("%")) {
    if (++depth > kMaxNestingDepth) fail("selector nested too deeply");
    Selector op;
    op.kind = Selector::Kind::operation;
    op.name = advance().text;
    op.args.push_back(std::move(left));
    op.args.push_back(selector_unary(depth + 1));
    left = std::move(op);
  }
  return left;
}

Selector Parser::selector_unary(int depth) {
  if (depth > kMaxNestingDepth) fail("selector nested too deeply");
  if (accept_symbol("-")) {
    Selector neg;
    neg.kind = Selector::Kind::operation;
    neg.name = "-";
    neg.args.push_back(selector_unary(depth + 1));
    return neg;
  }
  return selector_primary(depth);
}

Selector Parser::selector_primary(int depth) {
  Selector s;
  const std::size_t begin = peek().begin;
  if (at_type_hint()) {
    advance();  // (
    std::size_t type_begin = peek().begin;
    s.type = type(depth + 1);
    s.text = std::string(query_.substr(type_begin, consumed_end_ - type_begin));
    expect_symbol(")");
    s.kind = Selector::Kind::hint;
    s.args.push_back(selector_unary(depth + 1));
    return s;
  }
  if (accept_symbol("(")) {
    s.kind = Selector::Kind::parens;
    s.args.push_back(selector_sum(depth + 1));
    expect_symbol(")");
    return s;
  }
  const Token& t = peek();
  const bool call = t.kind == TokenKind::identifier && at_symbol("(", 1);
  if (call && t.text == "count" && (at_symbol("*", 2) || peek(2).is(TokenKind::integer, "1")) &&
      at_symbol(")", 3)) {
    // Cassandra reads COUNT(1), like any constant, as COUNT(*) (Selectable.WithFunction.Raw).
    advance();
    advance();
    advance();
    advance();
    s.kind = Selector::Kind::count_star;
    return s;
  }
  if (call && (t.text == "writetime" || t.text == "ttl")) {
    s.kind = t.text == "ttl" ? Selector::Kind::ttl : Selector::Kind::writetime;
    advance();
    advance();
    s.name = identifier();
    expect_symbol(")");
    return s;
  }
  if (call && t.text == "cast") {
    advance();
    advance();
    s.kind = Selector::Kind::cast;
    s.args.push_back(selector_sum(depth + 1));
    expect_keyword("as");
    const Token& type_token = peek();
    if (type_token.kind != TokenKind::identifier || !is_native_type(type_token.text)) {
      fail_no_viable();
    }
    s.text = type_token.text;
    s.type = type(depth + 1);
    expect_symbol(")");
    return s;
  }
  // [keyspace.]name( starts a function call; reserved words (token aside) name none.
  const bool qualified = t.kind == TokenKind::identifier && at_symbol(".", 1) &&
                         peek(2).kind == TokenKind::identifier && at_symbol("(", 3);
  if ((call || qualified) && (!is_reserved(t.text) || t.text == "token")) {
    s.kind = Selector::Kind::function;
    s.name = advance().text;
    if (qualified) {
      advance();  // .
      std::string name = advance().text;
      // Native functions live in the system keyspace; any other keyspace has none here.
      s.name = s.name == "system" ? name : s.name + "." + name;
    }
    advance();  // (
    if (!at_symbol(")")) {
      s.args.push_back(selector_sum(depth + 1));
      while (accept_symbol(","))
        s.args.push_back(selector_sum(depth + 1));
    }
    expect_symbol(")");
    return s;
  }
  if (at_identifier() || t.kind == TokenKind::quoted_identifier) {
    s.name = identifier();
    return s;
  }
  // A literal, a collection literal or a marker.
  s.kind = Selector::Kind::term;
  MarkerContext ctx{MarkerInfo::Role::selection, {}};
  s.term = (at_symbol("[") || at_symbol("{")) ? term(ctx, depth + 1) : constant_or_marker(ctx);
  s.text = std::string(query_.substr(begin, consumed_end_ - begin));
  return s;
}

Select Parser::select() {
  advance();  // SELECT
  Select sel;
  // JSON and DISTINCT are unreserved: `SELECT json FROM t` selects a column named json.
  auto at_modifier = [&](std::string_view kw) {
    return at_keyword(kw) && !at_keyword("from", 1) && !at_symbol(",", 1) && !at_keyword("as", 1);
  };
  if (at_modifier("json")) {
    advance();
    sel.json = true;
  }
  if (at_modifier("distinct")) {
    advance();
    sel.distinct = true;
  }
  if (accept_symbol("*")) {
    sel.star = true;
  } else {
    sel.selectors.push_back(selector());
    while (accept_symbol(","))
      sel.selectors.push_back(selector());
  }
  expect_keyword("from");
  sel.table = qualified_name();
  if (accept_keyword("where")) sel.where = where_clause();
  if (accept_keyword("limit")) {
    const Token& t = peek();
    if (t.kind != TokenKind::integer && t.kind != TokenKind::bind_marker &&
        t.kind != TokenKind::named_marker) {
      fail_no_viable();
    }
    sel.limit = term(MarkerContext{MarkerInfo::Role::limit, {}});
  }
  if (accept_keyword("allow")) {
    expect_keyword("filtering");
    sel.allow_filtering = true;
  }
  return sel;
}

}  // namespace nosqlc::sandbox::cql::detail
