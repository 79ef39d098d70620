#include "nosqlc/nosql/document.hpp"

#include "nosqlc/nosql/errors.hpp"

#include <nosqlc/filter/filter.hpp>

#include <cmath>

namespace nosqlc {
namespace {

namespace json = boost::json;

// A filter operand can be as deep as a document, and no deeper.
static_assert(kMaxDocumentDepth == filter::kMaxValueDepth);

enum class Fault { none, non_finite, too_deep };

// The walk below `v`, which sits `depth` levels deep (the top-level object is 1). Recursion
// stops at kMaxDocumentDepth, so the stack holds at most that many small frames whatever
// the input. The path to the fault is built on the way back, only when there is one.
Fault find_fault(const json::value& v, std::size_t depth, std::string& path);

void prepend(std::string& path, std::string segment) {
  if (!path.empty() && path.front() != '[') segment += '.';
  path.insert(0, segment);
}

Fault find_in_members(const json::object& o, std::size_t depth, std::string& path) {
  for (const auto& [k, child] : o) {
    if (Fault f = find_fault(child, depth + 1, path); f != Fault::none) {
      prepend(path, std::string(k));
      return f;
    }
  }
  return Fault::none;
}

Fault find_fault(const json::value& v, std::size_t depth, std::string& path) {
  if (v.is_double()) return std::isfinite(v.get_double()) ? Fault::none : Fault::non_finite;
  const auto* o = v.if_object();
  const auto* a = v.if_array();
  if (o == nullptr && a == nullptr) return Fault::none;
  if (depth > kMaxDocumentDepth) return Fault::too_deep;
  if (o != nullptr) return find_in_members(*o, depth, path);
  for (std::size_t i = 0; i < a->size(); ++i) {
    if (Fault f = find_fault((*a)[i], depth + 1, path); f != Fault::none) {
      path.insert(0, "[" + std::to_string(i) + "]");
      return f;
    }
  }
  return Fault::none;
}

}  // namespace

std::optional<std::string> non_finite_number(const boost::json::value& v) {
  std::string path;
  if (find_fault(v, 1, path) == Fault::non_finite) return path;
  return std::nullopt;
}

void check_document(const Document& doc) {
  std::string path;
  switch (find_in_members(doc, 1, path)) {
    case Fault::none:
      return;
    case Fault::non_finite:
      throw Error(errc::invalid_argument, "invalid document: \"" + path +
                                              "\" is not a finite number (JSON has no "
                                              "Infinity or NaN)");
    case Fault::too_deep:
      if (path.size() > 200) path = path.substr(0, 200) + "...";
      throw Error(errc::invalid_argument, "invalid document: nested deeper than " +
                                              std::to_string(kMaxDocumentDepth) + " levels at \"" +
                                              path + "\"");
  }
}

}  // namespace nosqlc
