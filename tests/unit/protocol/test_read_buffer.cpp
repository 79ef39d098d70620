// The read buffer's growth rule: as bytes arrive, never to the length a header announces.
#include <nosqlc/protocol/engine/read_buffer.hpp>
#include <nosqlc/protocol/frame.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstring>

using namespace nosqlc::protocol;

namespace {

// Copies up to `n` bytes of `from` (starting at `at`) into the buffer as a read would.
std::size_t feed(ReadBuffer& buf, const Bytes& from, std::size_t& at, std::size_t wanted,
                 std::size_t n) {
  auto space = buf.prepare(wanted);
  std::size_t k = std::min({n, space.size(), from.size() - at});
  std::memcpy(space.data(), from.data() + at, k);
  buf.commit(k);
  at += k;
  return k;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(read_buffer)

BOOST_AUTO_TEST_CASE(an_announced_length_allocates_nothing_by_itself) {
  // A RESULT header announcing 255 MiB, and a few body bytes: that is all the peer sends.
  constexpr std::size_t kAnnounced = std::size_t{255} * 1024 * 1024;
  Bytes wire(kHeaderSize + 100, 0);
  FrameHeader h;
  h.response = true;
  h.stream = 1;
  h.opcode = Opcode::result;
  h.length = static_cast<std::uint32_t>(kAnnounced);
  encode_header(h, std::span<std::uint8_t, kHeaderSize>(wire.data(), kHeaderSize));
  ReadBuffer buf;
  std::size_t at = 0;
  feed(buf, wire, at, 0, wire.size());
  FrameSlice frame;
  std::size_t needed = 0;
  BOOST_REQUIRE(split_frame(buf.data(), frame, needed).ok());
  BOOST_TEST(needed == kAnnounced - 100);
  (void)buf.prepare(needed);
  BOOST_TEST(buf.capacity() <= 2 * ReadBuffer::kDefaultChunk);
}

BOOST_AUTO_TEST_CASE(growth_follows_the_bytes_received) {
  // A real 3 MiB frame arriving in 10 KiB reads: capacity stays within twice what is held
  // (plus a chunk) at every step, and the frame comes out whole.
  constexpr std::size_t kBody = 3 * 1024 * 1024;
  Bytes wire(kHeaderSize + kBody);
  FrameHeader h;
  h.response = true;
  h.stream = 7;
  h.opcode = Opcode::result;
  h.length = static_cast<std::uint32_t>(kBody);
  encode_header(h, std::span<std::uint8_t, kHeaderSize>(wire.data(), kHeaderSize));
  for (std::size_t i = kHeaderSize; i < wire.size(); ++i)
    wire[i] = static_cast<std::uint8_t>(i * 31);
  ReadBuffer buf;
  std::size_t at = 0, needed = 0;
  FrameSlice frame;
  for (;;) {
    BOOST_REQUIRE(split_frame(buf.data(), frame, needed).ok());
    if (needed == 0) break;
    feed(buf, wire, at, needed, 10 * 1024);
    BOOST_TEST_REQUIRE(buf.capacity() <= 2 * buf.data().size() + 2 * ReadBuffer::kDefaultChunk);
  }
  BOOST_TEST(frame.header.stream == 7);
  BOOST_TEST(frame.body.size() == kBody);
  BOOST_TEST(std::equal(frame.body.begin(), frame.body.end(), wire.begin() + kHeaderSize));
  // Consumed, the big buffer is given back.
  buf.consume(frame.size());
  BOOST_TEST(buf.data().empty());
  (void)buf.prepare(0);
  BOOST_TEST(buf.capacity() == ReadBuffer::kDefaultChunk);
}

BOOST_AUTO_TEST_CASE(bytes_after_a_frame_are_kept_in_order) {
  ReadBuffer buf(16);
  Bytes a{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  std::size_t at = 0;
  feed(buf, a, at, 0, a.size());
  buf.consume(4);
  BOOST_TEST(buf.data().size() == 6u);
  BOOST_TEST(buf.data()[0] == 5);
  Bytes b{11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22};
  at = 0;
  feed(buf, b, at, 0, b.size());
  auto d = buf.data();
  BOOST_TEST_REQUIRE(d.size() >= 16u);
  for (std::size_t i = 0; i < d.size(); ++i)
    BOOST_TEST(d[i] == 5 + i);
  BOOST_TEST(!buf.prepare(0).empty());
  buf.consume(1000);  // more than held: empties it
  BOOST_TEST(buf.data().empty());
}

BOOST_AUTO_TEST_SUITE_END()
