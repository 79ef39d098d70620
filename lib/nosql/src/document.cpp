#include "nosqlc/nosql/document.hpp"

#include "nosqlc/nosql/errors.hpp"

#include <cmath>

namespace nosqlc {
namespace {

std::optional<std::string> find_non_finite(const boost::json::value& v, const std::string& path) {
  if (v.is_double()) {
    if (std::isfinite(v.get_double())) return std::nullopt;
    return path;
  }
  if (const auto* o = v.if_object()) {
    for (const auto& [k, child] : *o) {
      auto found =
          find_non_finite(child, path.empty() ? std::string(k) : path + "." + std::string(k));
      if (found) return found;
    }
  } else if (const auto* a = v.if_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      auto found = find_non_finite((*a)[i], path + "[" + std::to_string(i) + "]");
      if (found) return found;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> non_finite_number(const boost::json::value& v) {
  return find_non_finite(v, "");
}

void check_document(const Document& doc) {
  for (const auto& [k, v] : doc) {
    if (auto path = find_non_finite(v, std::string(k))) {
      throw Error(errc::invalid_argument, "invalid document: \"" + *path +
                                              "\" is not a finite number (JSON has no "
                                              "Infinity or NaN)");
    }
  }
}

}  // namespace nosqlc
