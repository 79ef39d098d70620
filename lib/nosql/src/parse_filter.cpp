#include "nosqlc/nosql/parse_filter.hpp"

#include "nosqlc/nosql/document.hpp"
#include "nosqlc/nosql/errors.hpp"

namespace nosqlc {

filter::Ast parse_filter(const boost::json::value& json) {
  try {
    return filter::Ast::from_json(json);
  } catch (const filter::FilterError& e) {
    throw Error(errc::invalid_filter, e.what());
  }
}

filter::Ast parse_filter(std::string_view json_text) {
  JsonError error;
  auto value = parse_json_text(json_text, &error);
  if (!value) {
    throw Error(errc::invalid_filter,
                "not JSON at offset " + std::to_string(error.offset) + ": " + error.reason);
  }
  return parse_filter(*value);
}

}  // namespace nosqlc
