// Helpers shared by the values_*.cpp files; not installed.
#pragma once

#include "nosqlc/protocol/values.hpp"

#include <string>
#include <string_view>

namespace nosqlc::protocol::detail {

// "invalid value for int: <detail>", "incomplete int: <detail>", "extra bytes after int: ...".
Status value_error(errc code, std::string_view type, std::string_view detail);

// Checks that a fixed-size value has exactly `n` bytes.
Status check_size(BytesView in, std::size_t n, std::string_view type);

std::string_view as_chars(BytesView b) noexcept;
BytesView as_bytes(std::string_view s) noexcept;

// Minimal two's complement form of varint bytes (drops redundant leading 0x00 / 0xFF).
BytesView trim_varint(BytesView in) noexcept;

bool is_valid_utf8(std::string_view s) noexcept;

// The collection decoders with the CQL type named in messages ("list<int>").
Status read_collection(BytesView in, std::string_view type, std::vector<BytesView>& elements);
Status read_map(BytesView in, std::string_view type,
                std::vector<std::pair<BytesView, BytesView>>& entries);
// `count` [bytes] (fewer, down to none, when `allow_fewer`); `out` gets `count` entries.
Status read_components(BytesView in, std::string_view type, std::size_t count, bool allow_fewer,
                       std::vector<std::optional<BytesView>>& out);

}  // namespace nosqlc::protocol::detail
