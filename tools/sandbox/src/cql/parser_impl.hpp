// Internal: the recursive-descent parser's state and its building blocks, shared by
// parser.cpp (statements) and parser_terms.cpp (names, types, terms, clauses).
#pragma once

#include "cql/ast.hpp"
#include "cql/lexer.hpp"
#include "cql/parser.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::sandbox::cql::detail {

// Thrown inside the parser only; parse() turns it into its ParseError result, so recursive
// descent needs no error plumbing at every level.
struct SyntaxFailure {
  ParseError error;
};

// Who receives a term's bind markers (see MarkerInfo).
struct MarkerContext {
  MarkerInfo::Role role = MarkerInfo::Role::other;
  std::string column;
};

// A type as written, before Cassandra prepares it (its CQL3Type.Raw): DataType has no frozen
// flag and no spelling, and preparing needs both.
struct RawType {
  protocol::DataType type;
  std::string name;  // native types as written ("varchar"), list, set, map, tuple, 'Class'
  // Written frozen<...> or frozen by an enclosing frozen<> or tuple<>; tuples always are.
  bool frozen = false;
  std::vector<RawType> params;
};

// Why Cassandra refuses `t` when it prepares a column of that type (CQL3Type.RawCollection:
// a non-frozen collection directly inside a non-frozen one), "" when it does not.
std::string nested_non_frozen_error(const RawType& t);

class Parser {
 public:
  Parser(std::string_view query, std::vector<Token> tokens);

  // ---- Token access (hidden tokens skipped) ----
  const Token& peek(std::size_t ahead = 0) const;
  const Token& advance();
  bool at_end() const { return peek().kind == TokenKind::end; }
  bool at_keyword(std::string_view kw, std::size_t ahead = 0) const {
    return peek(ahead).is_keyword(kw);
  }
  bool at_symbol(std::string_view s, std::size_t ahead = 0) const {
    return peek(ahead).is(TokenKind::symbol, s);
  }
  bool accept_keyword(std::string_view kw);
  bool accept_symbol(std::string_view s);
  // `IF NOT EXISTS`, when the next token is IF (then NOT EXISTS must follow).
  bool accept_if_not_exists();
  void expect_keyword(std::string_view kw);
  void expect_symbol(std::string_view s);

  // ---- Errors, at the current token, with Cassandra's snippet of the query ----
  [[noreturn]] void fail(const std::string& detail) const;
  [[noreturn]] void fail_no_viable() const;
  [[noreturn]] void fail_expecting(const std::string& expected) const;
  // The token as ANTLR displays it: its source text, or <EOF>.
  std::string display(const Token& t) const;

  // ---- Names and clauses (parser_terms.cpp) ----
  // An unquoted non-reserved identifier (case-folded) or a quoted one (kept as written).
  std::string identifier();
  bool at_identifier(std::size_t ahead = 0) const;
  QualifiedName qualified_name();
  protocol::DataType type(int depth = 0) { return raw_type(depth).type; }
  RawType raw_type(int depth = 0);
  Term term(const MarkerContext& ctx, int depth = 0);
  // `depth` is that of the list's elements.
  std::vector<Term> term_list(const MarkerContext& ctx, std::string_view close, int depth = 0);
  UsingClause using_clause();
  std::vector<Relation> where_clause();
  Relation relation(bool allow_token);
  Conditions if_clause(bool allow_not_exists);
  std::vector<Property> properties();

  // ---- Statements (parser.cpp) ----
  ParsedStatement statement();

 private:
  Term constant_or_marker(const MarkerContext& ctx);
  Term collection(const MarkerContext& ctx, int depth);
  int new_marker(const Token& t, const MarkerContext& ctx);
  Property property();
  std::string property_constant();
  std::size_t index_of_next(std::size_t from) const;

  CreateKeyspace create_keyspace();
  void keyspace_properties(std::map<std::string, std::string>& replication,
                           std::optional<bool>& durable_writes, std::vector<Property>& others);
  CreateTable create_table();
  AlterTable alter_table();
  Batch batch();
  Describe describe();  // parser_describe.cpp
  void column_definition(CreateTable& ct, bool& have_pk);
  void table_options(CreateTable& ct);
  Insert insert();
  Update update();
  Delete delete_();
  Select select();
  // The selectors (parser_selectors.cpp): a sum of products of unary terms.
  Selector selector();
  Selector selector_sum(int depth);
  Selector selector_product(int depth);
  Selector selector_unary(int depth);
  Selector selector_primary(int depth);
  bool at_type_hint() const;
  Assignment assignment();

  std::string_view query_;
  std::vector<Token> toks_;       // every token, hidden ones included; ends with TokenKind::end
  std::size_t cur_ = 0;           // index in toks_ of the current (non-hidden) token
  std::size_t consumed_end_ = 0;  // where the last token advance() consumed ends in query_
  std::vector<MarkerInfo> markers_;
};

// Lower-case reserved keywords: never an unquoted identifier.
bool is_reserved(std::string_view word) noexcept;

}  // namespace nosqlc::sandbox::cql::detail
