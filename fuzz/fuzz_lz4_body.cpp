// libFuzzer target: an lz4 frame body (section 5). Decompression must fail cleanly or produce
// exactly the announced size; what decompresses must compress and decompress back to itself.
#include <nosqlc/protocol/compression.hpp>

#include <cstddef>
#include <cstdint>

using namespace nosqlc::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kMax = std::size_t{16} << 20;
  const BytesView in(data, size);
  Bytes plain;
  if (!lz4_decompress(in, plain, kMax).ok()) return 0;
  if (size < 4) __builtin_trap();
  const std::uint32_t announced = (std::uint32_t{data[0]} << 24) | (std::uint32_t{data[1]} << 16) |
                                  (std::uint32_t{data[2]} << 8) | std::uint32_t{data[3]};
  if (plain.size() != announced) __builtin_trap();
  Bytes packed, again;
  if (!lz4_compress(plain, packed).ok()) __builtin_trap();
  if (!lz4_decompress(packed, again, kMax).ok() || again != plain) __builtin_trap();
  return 0;
}
