// How nosqlc prints JSON: one value per line, or indented for people.
#pragma once

#include <boost/json/value.hpp>

#include <iosfwd>

namespace nosqlc::cli {

// Writes `v` and a newline: compact (a JSON line) or, when `pretty`, indented by two spaces
// with one member or element per line.
void write_json(std::ostream& out, const boost::json::value& v, bool pretty);

}  // namespace nosqlc::cli
