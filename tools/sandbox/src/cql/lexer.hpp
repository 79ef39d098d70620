// The CQL lexer: turns a query string into tokens, keeping whitespace and comments as hidden
// tokens so that syntax errors can quote the query around the offending token as Cassandra
// does. Pure and thread-safe.
#pragma once

#include "nosqlc/sandbox/expected.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::sandbox::cql {

enum class TokenKind {
  identifier,         // unquoted: text folded to lower case; keywords are identifiers too
  quoted_identifier,  // "Name": text is the name with "" unescaped, case kept
  string,             // 'it''s' or $$...$$: text is the unescaped content
  integer,            // -?[0-9]+: text as written
  float_,             // 1.5, -2e10, 3.: text as written
  uuid,               // 8-4-4-4-12 hex digits: text as written
  blob,               // 0x followed by hex digits: text as written (with the 0x)
  duration,           // -?(digits unit)+ such as 1h30m (units y mo w d h m s ms us µs ns)
  bind_marker,        // ?
  named_marker,       // :name: text is the name (folded unless quoted)
  symbol,             // ( ) [ ] { } , ; . * = != < <= > >= + - / % :  text is the symbol
  hidden,             // whitespace or a comment; never seen by the parser
  end,                // end of input
};

// Where a token starts: line from 1, column from 0 in code points, as ANTLR reports them.
struct SourcePos {
  int line = 1;
  int column = 0;
};

struct Token {
  TokenKind kind = TokenKind::end;
  std::string text;       // see TokenKind
  std::size_t begin = 0;  // byte offsets into the query: [begin, end)
  std::size_t end = 0;
  SourcePos pos;
  bool is(TokenKind k, std::string_view t) const noexcept { return kind == k && text == t; }
  // True for an unquoted identifier equal to `keyword` (given in lower case).
  bool is_keyword(std::string_view keyword) const noexcept {
    return kind == TokenKind::identifier && text == keyword;
  }
};

// A syntax error, positioned as Cassandra positions it. message() is "line L:C <detail>",
// the text of Cassandra's SyntaxException (detail may end with a snippet of the query).
struct ParseError {
  SourcePos pos;
  std::string detail;
  std::string message() const;
};

// Lexes `query` into tokens ending with one TokenKind::end. Fails on a character no token
// starts with, an unterminated string, quoted identifier or comment, a malformed number or
// an empty quoted identifier.
Expected<std::vector<Token>, ParseError> lex(std::string_view query);

}  // namespace nosqlc::sandbox::cql
