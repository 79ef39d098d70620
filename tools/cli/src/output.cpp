#include "nosqlc/cli/output.hpp"

#include <boost/json/serialize.hpp>

#include <ostream>
#include <string>

namespace nosqlc::cli {
namespace {

void indent(std::ostream& out, int depth) {
  out << '\n' << std::string(static_cast<std::size_t>(depth) * 2, ' ');
}

void write_pretty(std::ostream& out, const boost::json::value& v, int depth) {
  if (const auto* obj = v.if_object(); obj && !obj->empty()) {
    out << '{';
    bool first = true;
    for (const auto& [key, member] : *obj) {
      if (!first) out << ',';
      first = false;
      indent(out, depth + 1);
      out << boost::json::serialize(boost::json::string_view(key)) << ": ";
      write_pretty(out, member, depth + 1);
    }
    indent(out, depth);
    out << '}';
  } else if (const auto* arr = v.if_array(); arr && !arr->empty()) {
    out << '[';
    bool first = true;
    for (const auto& element : *arr) {
      if (!first) out << ',';
      first = false;
      indent(out, depth + 1);
      write_pretty(out, element, depth + 1);
    }
    indent(out, depth);
    out << ']';
  } else {
    out << boost::json::serialize(v);
  }
}

}  // namespace

void write_json(std::ostream& out, const boost::json::value& v, bool pretty) {
  if (pretty) {
    write_pretty(out, v, 0);
  } else {
    out << boost::json::serialize(v);
  }
  out << '\n';
}

}  // namespace nosqlc::cli
