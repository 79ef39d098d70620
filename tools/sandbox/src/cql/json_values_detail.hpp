// Internals shared by json_values_from.cpp and json_values_object.cpp.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nosqlc::sandbox::cql::detail {

// A JSON object as Jackson's LinkedHashMap holds it: insertion order, one entry per key.
using Entries = std::vector<std::pair<std::string, boost::json::value>>;

// Jackson's Integer: an integral JSON number within int32.
bool is_java_int(const boost::json::value& v);
std::string ascii_lower(std::string_view s);
Entries entries_of(const boost::json::object& o);
// Cassandra's Json.handleCaseSensitivity, step by step over a snapshot of the keys.
void handle_case_sensitivity(Entries& m);
// The JSON value of `text`, or nullopt with `error` set to an approximation of Jackson's
// exception text.
std::optional<boost::json::value> parse_any(std::string_view text, std::string& error);

}  // namespace nosqlc::sandbox::cql::detail
