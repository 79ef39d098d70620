#include "nosqlc/nosql/parse_filter.hpp"

#include "nosqlc/nosql/errors.hpp"

#include <boost/json/parse.hpp>

namespace nosqlc {

filter::Ast parse_filter(const boost::json::value& json) {
  try {
    return filter::Ast::from_json(json);
  } catch (const filter::FilterError& e) {
    throw Error(errc::invalid_filter, e.what());
  }
}

filter::Ast parse_filter(std::string_view json_text) {
  std::error_code ec;
  auto value = boost::json::parse(json_text, ec);
  if (ec) throw Error(errc::invalid_filter, "invalid filter: not JSON: " + ec.message());
  return parse_filter(value);
}

}  // namespace nosqlc
