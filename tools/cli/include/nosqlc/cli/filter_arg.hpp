// The FILTER operand of find, count and export: a pynosqlc JSON AST, or the short form
// `status=pending,qty>3,tags~js` (grammar in usage.cpp and parse_short_filter below).
#pragma once

#include <nosqlc/filter/filter.hpp>

#include <boost/json/value.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace nosqlc::cli {

// A FILTER or JSON operand that does not parse. what() says where: "at column N" (1-based)
// and, for a short filter, the condition at fault.
class SyntaxError : public std::runtime_error {
 public:
  SyntaxError(std::size_t column, std::string reason, const std::string& message);
  // 1-based column of the offending character in the operand.
  std::size_t column() const noexcept { return column_; }
  // What is wrong, without the position.
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::size_t column_;
  std::string reason_;
};

// Parses `text` as one JSON value; throws SyntaxError naming the column of the first error.
boost::json::value parse_json(std::string_view text);

// The short form. Conditions are separated by commas and ANDed:
//   condition := field op value | field "?" | "!" field "?"
//   op        := "=" | "!=" | ">" | ">=" | "<" | "<=" | "~"  (eq ne gt gte lt lte contains)
//              | ":" NAME "="                               (any pynosqlc op: in, nin, ...)
//   field     := a dot path of characters other than  = ! < > ~ : ? , " [ ] { } | space,
//                or a JSON string
//   value     := a JSON string, array or object; or raw text up to the next comma, taken as
//                JSON when it is a number, true, false or null, else as a string
// For in/nin a raw value is a list split at "|" (each element typed as above, a JSON string
// element may contain "|" or ","); a JSON array is taken as is. `field?` is exists true,
// `!field?` exists false. Spaces around conditions, operators and raw values are ignored.
// The empty string is `and []` (matches everything). Throws SyntaxError with the column and
// condition at fault, or filter::FilterError from the AST's own checks.
filter::Ast parse_short_filter(std::string_view text);

// A FILTER operand: JSON AST when it starts with "{" (after spaces), else the short form.
filter::Ast parse_filter(std::string_view text);

}  // namespace nosqlc::cli
