// The CQL parser: a recursive-descent parser over the lexer's tokens that builds the AST of
// ast.hpp for the sandbox's subset of CQL 3 (see DESIGN of tools/sandbox in the report):
// CREATE/DROP KEYSPACE, USE, CREATE/DROP TABLE, TRUNCATE, INSERT, UPDATE, DELETE, SELECT.
// Pure and thread-safe.
#pragma once

#include "cql/ast.hpp"
#include "cql/lexer.hpp"
#include "nosqlc/sandbox/expected.hpp"

#include <string_view>

namespace nosqlc::sandbox::cql {

// Terms, types and selectors nested deeper than this are a syntax error (hostile input).
// Cassandra 4.0's parser (Parser.g, and CQLTypeParser for system_schema) sets no bound of its
// own: only its JVM stack ends the recursion, and the DataStax drivers' tests nest tuple types
// and literals 128 deep against it. 256 accepts all of that and keeps our recursion (parser,
// literal and value checks, which follow the type's depth) far from the stack's end.
inline constexpr int kMaxNestingDepth = 256;

// Parses one statement, optionally followed by ';'. Anything outside the subset, and any
// syntax error, is a ParseError whose message() has Cassandra's shape, e.g.
// "line 1:9 mismatched input 'FORM' expecting FROM (SELECT * [FORM] t)". Never throws
// anything but std::bad_alloc.
Expected<ParsedStatement, ParseError> parse(std::string_view query);

// The native type, collection, frozen<> or tuple<> spelled `text` ("map<text, int>").
Expected<protocol::DataType, ParseError> parse_type(std::string_view text);

}  // namespace nosqlc::sandbox::cql
