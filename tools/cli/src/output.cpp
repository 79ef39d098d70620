#include "nosqlc/cli/output.hpp"

#include <nosqlc/nosql/document.hpp>

#include <cerrno>
#include <cstring>
#include <ostream>
#include <string>

namespace nosqlc::cli {
namespace {

void indent(std::string& out, std::size_t depth) {
  out += '\n';
  out.append(depth * 2, ' ');
}

// Bounded like append_json: values come from documents, at most kMaxDocumentDepth deep.
void append_pretty(std::string& out, const boost::json::value& v, std::size_t depth) {
  if (const auto* obj = v.if_object(); obj && !obj->empty() && depth < kMaxDocumentDepth) {
    out += '{';
    bool first = true;
    for (const auto& [key, member] : *obj) {
      if (!first) out += ',';
      first = false;
      indent(out, depth + 1);
      append_json(out, boost::json::value(boost::json::string_view(key)));
      out += ": ";
      append_pretty(out, member, depth + 1);
    }
    indent(out, depth);
    out += '}';
  } else if (const auto* arr = v.if_array(); arr && !arr->empty() && depth < kMaxDocumentDepth) {
    out += '[';
    bool first = true;
    for (const auto& element : *arr) {
      if (!first) out += ',';
      first = false;
      indent(out, depth + 1);
      append_pretty(out, element, depth + 1);
    }
    indent(out, depth);
    out += ']';
  } else {
    append_json(out, v);
  }
}

}  // namespace

void write_json(std::ostream& out, const boost::json::value& v, bool pretty) {
  std::string text;
  if (pretty) {
    append_pretty(text, v, 0);
  } else {
    append_json(text, v);
  }
  text += '\n';
  errno = 0;
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  check_output(out);
}

void check_output(std::ostream& out) {
  if (out) return;
  int e = errno;
  std::string why = "cannot write the output";
  if (e != 0) why += std::string(": ") + std::strerror(e);
  throw OutputError(why);
}

void flush_output(std::ostream& out) {
  errno = 0;
  out.flush();
  check_output(out);
}

}  // namespace nosqlc::cli
