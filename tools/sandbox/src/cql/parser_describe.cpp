// DESCRIBE statements, as Cassandra 4.0's Parser.g describeStatement reads them.
#include "cql/parser_impl.hpp"

namespace nosqlc::sandbox::cql::detail {

// DESCRIBE | DESC, then CLUSTER, [FULL] SCHEMA, KEYSPACES, [ONLY] KEYSPACE [ks], TABLES,
// TABLE | COLUMNFAMILY [ks.]t, INDEX [ks.]i, MATERIALIZED VIEW [ks.]v, TYPES, TYPE [ks.]t,
// FUNCTIONS, FUNCTION [ks.]f, AGGREGATES, AGGREGATE [ks.]a, or [ks.]name; then maybe WITH
// INTERNALS. The plural forms and CLUSTER win over a name (the grammar's syntactic
// predicates); the other keywords are a name when what follows cannot complete their form.
Describe Parser::describe() {
  using Kind = Describe::Kind;
  advance();  // DESCRIBE or DESC
  Describe d;
  auto name_of = [&](QualifiedName q) {
    d.keyspace = std::move(q.keyspace);
    d.name = std::move(q.name);
  };
  // functionName: TOKEN and COUNT may name a function although they are reserved.
  auto function_part = [&]() -> std::string {
    if (at_keyword("token") || at_keyword("count")) return advance().text;
    return identifier();
  };
  auto function_name = [&] {
    QualifiedName q;
    q.name = function_part();
    if (accept_symbol(".")) {
      q.keyspace = std::move(q.name);
      q.name = function_part();
    }
    return q;
  };
  // A keyword that starts an element form when a name follows it.
  auto element = [&](std::string_view keyword) {
    return at_keyword(keyword) &&
           (at_identifier(1) || (keyword == "function" || keyword == "aggregate"
                                     ? at_keyword("token", 1) || at_keyword("count", 1)
                                     : false));
  };
  struct Plural {
    std::string_view keyword;
    Kind kind;
  };
  static constexpr Plural kPlurals[] = {
      {"cluster", Kind::cluster}, {"keyspaces", Kind::keyspaces}, {"tables", Kind::tables},
      {"types", Kind::types},     {"functions", Kind::functions}, {"aggregates", Kind::aggregates}};
  bool done = false;
  for (const Plural& p : kPlurals) {
    if (!done && at_keyword(p.keyword)) {
      advance();
      d.kind = p.kind;
      done = true;
    }
  }
  if (done) {
  } else if (at_keyword("full") && at_keyword("schema", 1)) {
    advance();
    advance();
    d.kind = Kind::schema;
    d.full = true;
  } else if (at_keyword("schema") && !at_symbol(".", 1)) {
    advance();
    d.kind = Kind::schema;
  } else if ((at_keyword("only") && at_keyword("keyspace", 1)) ||
             (at_keyword("keyspace") && !at_symbol(".", 1))) {
    d.only = accept_keyword("only");
    advance();  // KEYSPACE
    d.kind = Kind::keyspace;
    if (at_identifier()) d.keyspace = identifier();
  } else if (element("table") || element("columnfamily")) {
    advance();
    d.kind = Kind::table;
    name_of(qualified_name());
  } else if (element("index")) {
    advance();
    d.kind = Kind::index;
    name_of(qualified_name());
  } else if (at_keyword("materialized") && at_keyword("view", 1)) {
    advance();
    advance();
    d.kind = Kind::view;
    name_of(qualified_name());
  } else if (element("type")) {
    advance();
    d.kind = Kind::type;
    name_of(qualified_name());
  } else if (element("function")) {
    advance();
    d.kind = Kind::function;
    name_of(function_name());
  } else if (element("aggregate")) {
    advance();
    d.kind = Kind::aggregate;
    name_of(function_name());
  } else {
    d.kind = Kind::generic;
    name_of(qualified_name());
  }
  if (accept_keyword("with")) {
    expect_keyword("internals");
    d.with_internals = true;
  }
  return d;
}

}  // namespace nosqlc::sandbox::cql::detail
