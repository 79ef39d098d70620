// Documents: JSON objects, and what every driver checks before storing one.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace nosqlc {

using Document = boost::json::object;

// The dot path of the first number in `v` that JSON cannot write (infinite or NaN, which
// Boost.JSON serializes as text no parser reads back), or nullopt when there is none.
std::optional<std::string> non_finite_number(const boost::json::value& v);

// Throws invalid_argument naming the first member of `doc` that cannot be stored as JSON.
void check_document(const Document& doc);

}  // namespace nosqlc
