// Which keys a filter can match at most, read off its `_id` conditions, so that find can ask
// for `WHERE pk = ?` / `WHERE pk IN ?` instead of scanning the table.
#pragma once

#include <nosqlc/filter/filter.hpp>

#include <optional>
#include <string>
#include <vector>

namespace nosqlc::cassandra {

// The keys outside of which `filter` matches nothing, sorted and without duplicates; nullopt
// when the filter does not restrict `_id` (a scan is needed). Looks at an `_id` eq or in
// condition at the root or directly inside a root `and` (several are intersected). The caller
// still evaluates the whole filter on what it fetches.
std::optional<std::vector<std::string>> key_restriction(const filter::Ast& filter);

}  // namespace nosqlc::cassandra
