// CQL constants as typed values: the conversion Cassandra applies to a literal of a statement
// for the column that receives it, and the check it applies to a bound value. Pure functions.
#pragma once

#include "cql/ast.hpp"
#include "nosqlc/protocol/server_error.hpp"
#include "nosqlc/protocol/types.hpp"
#include "nosqlc/sandbox/expected.hpp"

#include <compare>
#include <optional>
#include <string_view>

namespace nosqlc::sandbox {

using protocol::Bytes;
using protocol::BytesView;
using protocol::DataType;
using protocol::ServerError;

// The serialized value of `c` as `type`, for the column (or marker name) `receiver`;
// nullopt for the null constant. Invalid, with Cassandra's wording ("Invalid STRING constant
// (abc) for "v" of type int"), when the constant's kind does not suit the type or its text
// is out of the type's domain.
Expected<std::optional<Bytes>, ServerError> literal_value(const cql::Constant& c,
                                                          const DataType& type,
                                                          std::string_view receiver);

// Checks a bound (or stored) value against its type. Invalid naming `receiver` and what is
// wrong, e.g. "Invalid value for column v of type int: expected 4 bytes, got 3".
std::optional<ServerError> validate_value(const DataType& type, BytesView value,
                                          std::string_view receiver);

// Unsigned lexicographic order, as Java's ByteBuffer.compareTo on Cassandra's keys.
std::strong_ordering compare_bytes(BytesView a, BytesView b) noexcept;

// Cassandra's order of two valid values of `type` (its AbstractType.compare): numbers by
// value, text and blobs as unsigned bytes, timeuuids by time, collections element-wise.
std::strong_ordering compare_values(const DataType& type, BytesView a, BytesView b);

// A set or map value as Cassandra stores it: elements (keys) sorted by compare_values and
// without duplicates (the last value of a repeated map key wins). Lists, tuples and other
// types come back unchanged. The value must be valid for `type`.
Bytes normalize_collection(const DataType& type, BytesView value);

// Milliseconds since the epoch of a timestamp literal in one of the forms Cassandra accepts:
// "2011-02-03", "2011-02-03 04:05", "2011-02-03 04:05:06.789", with "T" instead of the space,
// and an optional zone "Z", "+0100", "-01:30" (UTC when absent). nullopt if malformed.
std::optional<std::int64_t> parse_timestamp_literal(std::string_view text);

}  // namespace nosqlc::sandbox
