// CQL's reserved keywords: words that cannot name a keyspace, table or column unquoted.
#pragma once

#include <string_view>

namespace nosqlc::protocol {

// Whether `lower_case_word` (already folded to lower case) is one of Cassandra 4's reserved
// keywords (doc/cql3/CQL.textile, "Appendix A").
bool is_reserved_keyword(std::string_view lower_case_word) noexcept;

}  // namespace nosqlc::protocol
