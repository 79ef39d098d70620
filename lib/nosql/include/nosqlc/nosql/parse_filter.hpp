// Filters from their pynosqlc JSON form, with errors in the nosqlc family.
#pragma once

#include <nosqlc/filter/filter.hpp>

#include <boost/json/value.hpp>

#include <string_view>

namespace nosqlc {

// The AST of a pynosqlc-shaped JSON filter. Throws Error(invalid_filter) naming the offending
// node (filter::Ast::from_json throws filter::FilterError instead).
filter::Ast parse_filter(const boost::json::value& json);
// The same from JSON text; a text that is not JSON is invalid_filter too.
filter::Ast parse_filter(std::string_view json_text);

}  // namespace nosqlc
