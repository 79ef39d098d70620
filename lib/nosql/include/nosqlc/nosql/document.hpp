// Documents: JSON objects, the limits every driver holds them to, and their JSON text.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nosqlc {

using Document = boost::json::object;

// The deepest nesting of objects and arrays a document may have, counted as Boost.JSON's
// parser counts it (`{}` is 1, `{"a":[]}` is 2). Every driver refuses deeper documents when
// they are written and reads this deep, so whatever is stored can be read back.
inline constexpr std::size_t kMaxDocumentDepth = 512;

// The dot path of the first number in `v` that JSON cannot write (infinite or NaN, which
// Boost.JSON serializes as text no parser reads back), or nullopt when there is none. Looks
// at most kMaxDocumentDepth levels deep.
std::optional<std::string> non_finite_number(const boost::json::value& v);

// Throws invalid_argument naming the first member of `doc` that cannot be stored: a number
// JSON cannot write, or nesting deeper than kMaxDocumentDepth. Never walks deeper than the
// limit, whatever the document's depth; allocates nothing unless it throws.
void check_document(const Document& doc);

// Appends the JSON text of `v` to `out`: compact, strings escaped as Boost.JSON does, numbers
// as people write them. A double is written in the shortest form that reads back to the
// same double, in plain notation unless its decimal exponent is below -6 or above 20
// (11.95, 0.1, 1e+21, 1.5e-7), and keeps a fraction or an exponent so that it reads back as
// a double (5.0). Throws invalid_argument for a non-finite number or nesting deeper than
// kMaxDocumentDepth (what check_document refuses).
void append_json(std::string& out, const boost::json::value& v);
void append_json(std::string& out, const Document& doc);
std::string json_text(const boost::json::value& v);
std::string json_text(const Document& doc);

// Where and why JSON text did not parse.
struct JsonError {
  std::size_t offset = 0;  // of the first byte that could not be taken
  std::string reason;
};

// Parses one JSON value, kMaxDocumentDepth deep at most, reading every number exactly (the
// double nearest its text, as append_json's output needs to read back: Boost.JSON 1.81's
// own parser can be one unit in the last place off). nullopt, with `error` filled when
// given, for text that is not one JSON value or nests deeper.
std::optional<boost::json::value> parse_json_text(std::string_view text,
                                                  JsonError* error = nullptr);
// The same for a document: nullopt also when the value is not an object.
std::optional<Document> parse_document_text(std::string_view text);

}  // namespace nosqlc
