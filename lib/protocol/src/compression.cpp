#include "nosqlc/protocol/compression.hpp"

#include <cstdint>
#include <string>

#ifdef NOSQLC_WITH_LZ4
#include <lz4.h>
#endif

namespace nosqlc::protocol {
namespace {

Status failure(errc code, std::string message) {
  return Status{make_error_code(code), std::move(message)};
}

}  // namespace

#ifdef NOSQLC_WITH_LZ4

namespace {

// LZ4_compress_default zeroes a fresh 16 KiB state for every frame, a third of a request's
// instructions: each thread keeps one, initialized once and reset cheaply per frame, which
// makes every frame an independent block as before.
LZ4_stream_t* fresh_stream() {
  thread_local LZ4_stream_t state;
  thread_local const bool initialized = LZ4_initStream(&state, sizeof state) != nullptr;
  (void)initialized;
  LZ4_resetStream_fast(&state);
  return &state;
}

}  // namespace

bool lz4_available() noexcept {
  return true;
}

Status lz4_compress(BytesView in, Bytes& out) {
  if (in.size() > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE)) {
    return failure(errc::compression_error, "lz4: input of " + std::to_string(in.size()) +
                                                " bytes is too large to compress");
  }
  const int n = static_cast<int>(in.size());
  const int bound = LZ4_compressBound(n);
  const std::size_t start = out.size();
  out.resize(start + 4 + static_cast<std::size_t>(bound));
  for (int i = 0; i < 4; ++i)
    out[start + i] = static_cast<std::uint8_t>(static_cast<std::uint32_t>(n) >> (24 - 8 * i));
  const int written =
      LZ4_compress_fast_continue(fresh_stream(), reinterpret_cast<const char*>(in.data()),
                                 reinterpret_cast<char*>(out.data() + start + 4), n, bound, 1);
  if (written <= 0) {
    out.resize(start);
    return failure(errc::compression_error, "lz4: compression failed");
  }
  out.resize(start + 4 + static_cast<std::size_t>(written));
  return {};
}

Status lz4_decompress(BytesView in, Bytes& out, std::size_t max_size) {
  out.clear();
  if (in.size() < 4) return failure(errc::compression_error, "lz4: body shorter than its length");
  const std::uint32_t announced = (std::uint32_t{in[0]} << 24) | (std::uint32_t{in[1]} << 16) |
                                  (std::uint32_t{in[2]} << 8) | std::uint32_t{in[3]};
  if (announced > static_cast<std::uint32_t>(INT32_MAX)) {
    return failure(errc::compression_error, "lz4: negative uncompressed length");
  }
  if (announced > max_size) {
    return failure(errc::frame_too_large, "lz4: uncompressed length " + std::to_string(announced) +
                                              " exceeds the maximum of " +
                                              std::to_string(max_size));
  }
  BytesView block = in.subspan(4);
  // An lz4 block expands at most 255 times (one length byte adds at most 255 output bytes):
  // a larger announcement is a lie, refused before allocating for it.
  if (announced > block.size() * 256 + 256) {
    return failure(errc::compression_error, "lz4: uncompressed length " +
                                                std::to_string(announced) + " impossible for a " +
                                                std::to_string(block.size()) + "-byte block");
  }
  if (block.size() > static_cast<std::size_t>(INT32_MAX)) {
    return failure(errc::compression_error, "lz4: block too large");
  }
  // One spare byte keeps data() valid for an empty result and detects overlong blocks.
  const std::uint32_t capacity = announced < INT32_MAX ? announced + 1 : announced;
  out.resize(capacity);
  const int produced = LZ4_decompress_safe(
      reinterpret_cast<const char*>(block.data()), reinterpret_cast<char*>(out.data()),
      static_cast<int>(block.size()), static_cast<int>(capacity));
  if (produced < 0 || static_cast<std::uint32_t>(produced) != announced) {
    out.clear();
    return failure(errc::compression_error,
                   produced < 0 ? std::string("lz4: malformed block")
                                : "lz4: block decompresses to " + std::to_string(produced) +
                                      " bytes, " + std::to_string(announced) + " announced");
  }
  out.resize(announced);
  return {};
}

#else

bool lz4_available() noexcept {
  return false;
}

Status lz4_compress(BytesView, Bytes&) {
  return failure(errc::compression_error, "built without lz4");
}

Status lz4_decompress(BytesView, Bytes& out, std::size_t) {
  out.clear();
  return failure(errc::compression_error, "built without lz4");
}

#endif

}  // namespace nosqlc::protocol
