// libFuzzer target: the client's sans-io engine fed what a hostile server could send. The
// input's first byte chooses how the rest is cut into reads; the rest is the server's bytes.
// The Multiplexer, with requests on streams 0 to 3 and one abandoned, must answer each waiter
// at most once, and after fail_all every one exactly once; the Handshake, given each decoded
// answer in turn, must end (done or failed) within a bounded number of steps and never send
// after it ended. Never throws; traps on a broken property.
#include <nosqlc/protocol/engine/handshake.hpp>
#include <nosqlc/protocol/engine/multiplexer.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>

using namespace nosqlc::protocol;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kWaiters = 4;
constexpr std::size_t kMaxFrame = 1 << 20;

struct Counts : MultiplexerSink {
  std::array<int, kWaiters> answered{};
  std::array<char, kWaiters> slots{};
  int index(void* w) const {
    auto* p = static_cast<const char*>(w);
    if (p < slots.data() || p >= slots.data() + kWaiters) __builtin_trap();
    return static_cast<int>(p - slots.data());
  }
  void on_reply(void* w, ReplyPtr reply) override {
    if (!reply) __builtin_trap();
    ++answered[static_cast<std::size_t>(index(w))];
  }
  void on_failure(void* w, std::error_code code, const std::string&) override {
    if (!code) __builtin_trap();
    ++answered[static_cast<std::size_t>(index(w))];
  }
  void on_event(const Event&, const ReplyPtr& reply) override {
    if (!reply) __builtin_trap();
  }
};

void run_multiplexer(std::uint8_t cut, BytesView wire) {
  MultiplexerOptions o;
  o.max_frame = kMaxFrame;
  Multiplexer m(o);
  Counts sink;
  const auto t0 = Clock::time_point() + std::chrono::hours(1000);
  Query q;
  q.query = "SELECT data FROM t WHERE pk = ?";
  for (int i = 0; i < kWaiters; ++i) {
    if (m.submit(q, &sink.slots[static_cast<std::size_t>(i)], t0 + std::chrono::seconds(1)) !=
        std::optional<std::int16_t>(static_cast<std::int16_t>(i))) {
      __builtin_trap();
    }
  }
  m.commit_output(m.begin_output().size());
  if (!m.abandon(3, &sink.slots[3])) __builtin_trap();
  const std::size_t piece = 1 + cut % 64;
  std::size_t at = 0;
  Status st;
  while (at < wire.size() && st.ok()) {
    auto space = m.input_space();
    if (space.empty()) __builtin_trap();
    const std::size_t n = std::min({piece, space.size(), wire.size() - at});
    std::memcpy(space.data(), wire.data() + at, n);
    at += n;
    st = m.commit_input(n, t0, sink);
  }
  if (m.in_flight() > static_cast<std::size_t>(kWaiters)) __builtin_trap();
  for (int a : sink.answered)
    if (a > 1) __builtin_trap();
  // Time runs out for whatever is left, then the connection goes: each waiter once in all.
  Clock::time_point next;
  if (st.ok()) (void)m.tick(t0 + std::chrono::seconds(2), sink, next);
  m.fail_all(std::make_error_code(std::errc::connection_reset), "gone", sink);
  for (int i = 0; i < 3; ++i)
    if (sink.answered[static_cast<std::size_t>(i)] != 1) __builtin_trap();
  if (sink.answered[3] != 0) __builtin_trap();  // abandoned: never answered
  if (m.in_flight() != 0 || m.has_output()) __builtin_trap();
}

void run_handshake(BytesView wire) {
  HandshakeOptions o;
  o.peer = "fuzz";
  o.has_credentials = true;
  o.username = "u";
  o.password = "p";
  o.keyspace = "ks";
  o.events = {"STATUS_CHANGE"};
  Handshake hs(o);
  auto step = hs.start();
  int steps = 0;
  Bytes scratch;
  while (!wire.empty()) {
    FrameSlice f;
    std::size_t needed = 0;
    if (!split_frame(wire, f, needed, kMaxFrame).ok() || needed > 0) return;
    wire = wire.subspan(f.size());
    FrameExtras extras;
    BytesView message;
    Response r;
    if (!open_body(f.header, f.body, scratch, extras, message, kMaxFrame).ok()) continue;
    if (!decode_response(f.header, message, r).ok()) continue;
    if (step.kind != Handshake::Step::Kind::send) return;  // ended: the driver stops here
    step = hs.on_answer(r);
    // OPTIONS, STARTUP, AUTH_RESPONSE and challenges, USE, REGISTER: a server that keeps
    // challenging is bounded by the engine, not by the peer.
    if (++steps > 64) __builtin_trap();
    if (step.kind == Handshake::Step::Kind::failed && !step.code && !step.server_error) {
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const BytesView wire(data + 1, size - 1);
  run_multiplexer(data[0], wire);
  run_handshake(wire);
  return 0;
}
