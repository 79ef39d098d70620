#include "nosqlc/nosql/cassandra/key_filter.hpp"

#include <algorithm>
#include <iterator>

namespace nosqlc::cassandra {
namespace {

using Keys = std::vector<std::string>;

// Keys are strings, so non-string operands can never match a key.
std::optional<Keys> from_condition(const filter::Condition& c) {
  if (c.field != "_id") return std::nullopt;
  Keys keys;
  if (c.op == filter::Op::eq) {
    if (c.value.is_string()) keys.emplace_back(c.value.get_string());
  } else if (c.op == filter::Op::in) {
    for (const auto& v : c.value.get_array()) {
      if (v.is_string()) keys.emplace_back(v.get_string());
    }
  } else {
    return std::nullopt;
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace

std::optional<std::vector<std::string>> key_restriction(const filter::Ast& filter) {
  const auto& root = filter.root().variant();
  if (const auto* c = std::get_if<filter::Condition>(&root)) return from_condition(*c);
  const auto* all = std::get_if<filter::And>(&root);
  if (!all) return std::nullopt;
  std::optional<Keys> result;
  for (const auto& child : all->conditions) {
    const auto* c = std::get_if<filter::Condition>(&child.variant());
    if (!c) continue;
    auto keys = from_condition(*c);
    if (!keys) continue;
    if (!result) {
      result = std::move(keys);
      continue;
    }
    Keys both;
    std::set_intersection(result->begin(), result->end(), keys->begin(), keys->end(),
                          std::back_inserter(both));
    result = std::move(both);
  }
  return result;
}

}  // namespace nosqlc::cassandra
