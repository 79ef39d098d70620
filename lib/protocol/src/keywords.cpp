#include "nosqlc/protocol/keywords.hpp"

#include <algorithm>
#include <array>

namespace nosqlc::protocol {
namespace {

constexpr std::array<std::string_view, 62> kReserved = {
    "add",    "allow",       "alter",  "and",          "apply",    "asc",      "authorize",
    "batch",  "begin",       "by",     "columnfamily", "create",   "default",  "delete",
    "desc",   "describe",    "drop",   "entries",      "execute",  "from",     "full",
    "grant",  "if",          "in",     "index",        "infinity", "insert",   "into",
    "is",     "keyspace",    "limit",  "materialized", "mbean",    "mbeans",   "modify",
    "nan",    "norecursive", "not",    "null",         "of",       "on",       "or",
    "order",  "primary",     "rename", "replace",      "revoke",   "schema",   "select",
    "set",    "table",       "to",     "token",        "truncate", "unlogged", "unset",
    "update", "use",         "using",  "view",         "where",    "with",
};

}  // namespace

bool is_reserved_keyword(std::string_view lower_case_word) noexcept {
  return std::find(kReserved.begin(), kReserved.end(), lower_case_word) != kReserved.end();
}

}  // namespace nosqlc::protocol
