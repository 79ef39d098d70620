// lz4 frame body compression, native_protocol_v4.spec section 5: a 4-byte big-endian
// uncompressed length followed by one lz4 block. Available when built with NOSQLC_WITH_LZ4;
// otherwise every function fails with compression_error "built without lz4".
#pragma once

#include "nosqlc/protocol/frame.hpp"
#include "nosqlc/protocol/notations.hpp"

#include <cstddef>

namespace nosqlc::protocol {

// True when this build has lz4.
bool lz4_available() noexcept;

// Appends the compressed form of `in` to `out`. Fails (compression_error) only for inputs
// lz4 cannot take (over ~2 GB) or without lz4.
[[nodiscard]] Status lz4_compress(BytesView in, Bytes& out);

// Replaces the content of `out` with the decompression of `in`. frame_too_large when the
// announced length exceeds `max_size`; compression_error when it is negative, cannot come from
// a block this short, or the block does not decompress to exactly that many bytes. Never
// allocates more than min(announced, max_size) bytes.
[[nodiscard]] Status lz4_decompress(BytesView in, Bytes& out,
                                    std::size_t max_size = kDefaultMaxBody);

}  // namespace nosqlc::protocol
