#include "nosqlc/nosql/document.hpp"

#include "nosqlc/nosql/errors.hpp"

#include <cmath>

namespace nosqlc {
namespace {

// The path below `v` of its first non-finite number ("" for `v` itself). Paths are built
// only on the way back from a find: checking a document allocates nothing.
std::optional<std::string> find_non_finite(const boost::json::value& v);

std::optional<std::string> find_in_members(const boost::json::object& o) {
  for (const auto& [k, child] : o) {
    if (auto rest = find_non_finite(child)) {
      std::string path(k);
      if (!rest->empty() && rest->front() != '[') path += '.';
      return path + *rest;
    }
  }
  return std::nullopt;
}

std::optional<std::string> find_non_finite(const boost::json::value& v) {
  if (v.is_double()) {
    if (std::isfinite(v.get_double())) return std::nullopt;
    return std::string();
  }
  if (const auto* o = v.if_object()) return find_in_members(*o);
  if (const auto* a = v.if_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (auto rest = find_non_finite((*a)[i])) return "[" + std::to_string(i) + "]" + *rest;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> non_finite_number(const boost::json::value& v) {
  return find_non_finite(v);
}

void check_document(const Document& doc) {
  if (auto path = find_in_members(doc)) {
    throw Error(errc::invalid_argument, "invalid document: \"" + *path +
                                            "\" is not a finite number (JSON has no "
                                            "Infinity or NaN)");
  }
}

}  // namespace nosqlc
