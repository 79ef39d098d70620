// The sans-io Multiplexer without a socket or a clock: requests coalesced into one outgoing
// buffer and short writes, answers split at every offset and in any order, orphans, deadlines,
// heartbeats, events, failures, and bodies that are never copied.
#include "hex.hpp"

#include <nosqlc/protocol/client_errors.hpp>
#include <nosqlc/protocol/compression.hpp>
#include <nosqlc/protocol/engine/multiplexer.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstring>
#include <map>

using namespace nosqlc::protocol;
using namespace nosqlc::protocol::test;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

const Clock::time_point t0 = Clock::time_point() + 1000h;

// Records what the multiplexer reports, by waiter.
struct Recorder : MultiplexerSink {
  std::map<void*, ReplyPtr> replies;
  std::map<void*, std::error_code> failures;
  std::vector<void*> order;  // waiters in the order they were answered or failed
  std::vector<Event> events;
  void on_reply(void* w, ReplyPtr r) override {
    BOOST_TEST(!replies.count(w));
    replies[w] = std::move(r);
    order.push_back(w);
  }
  void on_failure(void* w, std::error_code c, const std::string&) override {
    BOOST_TEST(!failures.count(w));
    failures[w] = c;
    order.push_back(w);
  }
  void on_event(const Event& e, const ReplyPtr&) override { events.push_back(e); }
};

// Distinct waiter addresses.
void* waiter(int i) {
  static char slots[64];
  return &slots[i];
}

Query query(std::string_view text) {
  Query q;
  q.query = text;
  return q;
}

// The frames of `bytes`, split as the server would read them.
std::vector<Request> requests_in(BytesView bytes, std::vector<std::int16_t>* streams = nullptr) {
  std::vector<Request> out;
  static std::vector<Bytes> keep;  // the messages view these
  keep.emplace_back(bytes.begin(), bytes.end());
  BytesView rest(keep.back());
  while (!rest.empty()) {
    FrameSlice f;
    std::size_t needed = 0;
    BOOST_REQUIRE(split_frame(rest, f, needed).ok());
    BOOST_REQUIRE(needed == 0u);
    Bytes scratch;
    FrameExtras extras;
    BytesView message;
    keep.emplace_back();
    BOOST_REQUIRE(open_body(f.header, f.body, keep.back(), extras, message).ok());
    Request r;
    BOOST_REQUIRE(decode_request(f.header, message, r).ok());
    out.push_back(std::move(r));
    if (streams) streams->push_back(f.header.stream);
    rest = rest.subspan(f.size());
  }
  return out;
}

// A RESULT frame answering `stream`: a Rows result of one text cell.
Bytes rows_answer(std::int16_t stream, std::string_view cell, bool compress = false) {
  RowsBuilder b(1);
  const std::optional<BytesView> row[] = {view(cell)};
  BOOST_REQUIRE(b.add_row(row).ok());
  FrameOptions fo;
  fo.stream = stream;
  fo.compress = compress;
  Bytes frame;
  BOOST_REQUIRE(encode_response(Result{b.result(ResultMetadata::of(
                                    {ColumnSpec{"ks", "t", "v", DataType::of(TypeId::varchar)}}))},
                                frame, fo)
                    .ok());
  return frame;
}

Bytes void_answer(std::int16_t stream) {
  FrameOptions fo;
  fo.stream = stream;
  Bytes frame;
  BOOST_REQUIRE(encode_response(Result{VoidResult{}}, frame, fo).ok());
  return frame;
}

// Feeds `bytes` to the multiplexer in pieces of at most `piece` bytes.
Status feed(Multiplexer& m, BytesView bytes, Recorder& sink, std::size_t piece = SIZE_MAX,
            Clock::time_point now = t0) {
  while (!bytes.empty()) {
    auto space = m.input_space();
    std::size_t n = std::min({space.size(), bytes.size(), piece});
    std::memcpy(space.data(), bytes.data(), n);
    bytes = bytes.subspan(n);
    if (Status st = m.commit_input(n, now, sink); !st) return st;
  }
  return {};
}

std::string cell_of(const ReplyPtr& r) {
  const auto& rows = std::get<RowsResult>(std::get<Result>(r->message));
  auto cell = (*rows.rows().begin())[0];
  return std::string(reinterpret_cast<const char*>(cell->data()), cell->size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(multiplexer)

BOOST_AUTO_TEST_CASE(requests_are_coalesced_and_survive_short_writes) {
  Multiplexer m;
  BOOST_TEST(!m.has_output());
  BOOST_TEST(*m.submit(query("a"), waiter(0), t0 + 1s) == 0);
  BOOST_TEST(*m.submit(query("bb"), waiter(1), t0 + 1s) == 1);
  BytesView out = m.begin_output();
  std::vector<std::int16_t> streams;
  auto reqs = requests_in(out, &streams);
  BOOST_TEST_REQUIRE(reqs.size() == 2u);  // both frames in one buffer: one write
  BOOST_TEST(std::get<Query>(reqs[1]).query == "bb");
  BOOST_TEST((streams == std::vector<std::int16_t>{0, 1}));
  // A short write: the rest comes back first, and a request queued meanwhile after it.
  Bytes all(out.begin(), out.end());
  m.commit_output(5);
  BOOST_TEST(*m.submit(query("c"), waiter(2), t0 + 1s) == 2);
  BytesView rest = m.begin_output();
  BOOST_TEST(rest.size() == all.size() - 5);
  BOOST_TEST(std::equal(rest.begin(), rest.end(), all.begin() + 5));
  m.commit_output(rest.size());
  BytesView third = m.begin_output();
  BOOST_TEST(std::get<Query>(requests_in(third).at(0)).query == "c");
  m.commit_output(third.size());
  BOOST_TEST(!m.has_output());
  BOOST_TEST(m.begin_output().empty());
  BOOST_TEST(m.in_flight() == 3u);
}

BOOST_AUTO_TEST_CASE(answers_in_any_order_split_at_every_offset_reach_their_waiters) {
  Bytes wire;
  for (std::int16_t s : {2, 0, 1}) {
    Bytes f = rows_answer(s, "answer " + std::to_string(s));
    wire.insert(wire.end(), f.begin(), f.end());
  }
  for (std::size_t split = 1; split <= wire.size(); ++split) {
    BOOST_TEST_CONTEXT("pieces of " << split) {
      Multiplexer m;
      for (int i = 0; i < 3; ++i)
        BOOST_REQUIRE(m.submit(query("q"), waiter(i), t0 + 1s));
      Recorder r;
      BOOST_REQUIRE(feed(m, wire, r, split).ok());
      BOOST_REQUIRE(r.replies.size() == 3u);
      for (int i = 0; i < 3; ++i)
        BOOST_TEST(cell_of(r.replies[waiter(i)]) == "answer " + std::to_string(i));
      BOOST_TEST((r.order == std::vector<void*>{waiter(2), waiter(0), waiter(1)}));
      BOOST_TEST(m.in_flight() == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(bodies_are_viewed_in_the_buffer_they_were_read_into) {
  Multiplexer m;
  BOOST_REQUIRE(m.submit(query("q"), waiter(0), t0 + 1s));
  BOOST_REQUIRE(m.submit(query("q"), waiter(1), t0 + 1s));
  Recorder r;
  Bytes wire = rows_answer(0, "first");
  Bytes second = rows_answer(1, "second");
  wire.insert(wire.end(), second.begin(), second.end());
  BOOST_REQUIRE(feed(m, wire, r).ok());
  for (int i = 0; i < 2; ++i) {
    const ReplyPtr& reply = r.replies[waiter(i)];
    BOOST_REQUIRE(reply->chunk);
    const auto& rows = std::get<RowsResult>(std::get<Result>(reply->message));
    const auto* cell = (*rows.rows().begin())[0]->data();
    BOOST_TEST(
        (cell >= reply->chunk->data() && cell < reply->chunk->data() + reply->chunk->size()));
  }
  // Both frames of one read share one chunk; a reply kept alive keeps its bytes unchanged
  // while later reads go on (300 more answers, several chunks' worth).
  BOOST_TEST(r.replies[waiter(0)]->chunk == r.replies[waiter(1)]->chunk);
  ReplyPtr kept = r.replies[waiter(0)];
  for (int i = 0; i < 300; ++i) {
    r.replies.clear();
    BOOST_REQUIRE(*m.submit(query("q"), waiter(2), t0 + 1s) == 0);
    BOOST_REQUIRE(feed(m, rows_answer(0, std::string(900, 'x')), r).ok());
    BOOST_REQUIRE(r.replies.count(waiter(2)) == 1u);
  }
  BOOST_TEST(cell_of(kept) == "first");
}

BOOST_AUTO_TEST_CASE(a_late_answer_to_an_abandoned_request_is_dropped) {
  MultiplexerOptions o;
  o.max_orphans = 2;
  Multiplexer m(o);
  for (int i = 0; i < 4; ++i)
    BOOST_REQUIRE(m.submit(query("q"), waiter(i), t0 + 1s));
  BOOST_TEST(m.abandon(0, waiter(0)));
  BOOST_TEST(m.abandon(1, waiter(1)));
  BOOST_TEST(m.orphans() == 2u);
  // The ids stay taken until the answers come: a new request gets another one.
  BOOST_TEST(*m.submit(query("q"), waiter(9), t0 + 1s) == 4);
  Recorder r;
  BOOST_REQUIRE(feed(m, rows_answer(0, "late"), r).ok());
  BOOST_TEST(r.replies.empty());
  BOOST_TEST(m.orphans() == 1u);
  BOOST_TEST(*m.submit(query("q"), waiter(10), t0 + 1s) == 0);  // freed by its answer
  BOOST_TEST(m.abandon(0, waiter(0)));  // not waiter 0's request any more: nothing happens
  BOOST_TEST(m.orphans() == 1u);
  BOOST_TEST(m.abandon(2, waiter(2)));
  BOOST_TEST(!m.abandon(3, waiter(3)));  // a third orphan: past the limit, the connection must go
}

BOOST_AUTO_TEST_CASE(an_answer_on_a_stream_nobody_used_fails_the_stream) {
  Multiplexer m;
  BOOST_REQUIRE(m.submit(query("q"), waiter(0), t0 + 1s));
  Recorder r;
  Status st = feed(m, rows_answer(7, "who?"), r);
  BOOST_TEST(!st.ok());
  BOOST_TEST((st.code == client_errc::unsupported_server));
  BOOST_TEST(st.message.find("unknown stream 7") != std::string::npos, st.message);
  m.fail_all(make_error_code(client_errc::connection_error), "closed", r);
  BOOST_TEST((r.failures.at(waiter(0)) == client_errc::connection_error));
}

// Without heartbeats, which would take streams and ticks of their own.
MultiplexerOptions quiet() {
  MultiplexerOptions o;
  o.heartbeat_interval = std::chrono::milliseconds(0);
  return o;
}

BOOST_AUTO_TEST_CASE(deadlines_expire_into_orphans) {
  Multiplexer m(quiet());
  BOOST_REQUIRE(m.submit(query("q"), waiter(0), t0 + 100ms));
  BOOST_REQUIRE(m.submit(query("q"), waiter(1), t0 + 300ms));
  Recorder r;
  Clock::time_point next;
  BOOST_REQUIRE(m.tick(t0 + 50ms, r, next).ok());
  BOOST_TEST(r.failures.empty());
  BOOST_TEST((next == t0 + 100ms));
  BOOST_REQUIRE(m.tick(t0 + 100ms, r, next).ok());
  BOOST_TEST((r.failures.at(waiter(0)) == client_errc::timeout));
  BOOST_TEST(!r.failures.count(waiter(1)));
  BOOST_TEST((next == t0 + 300ms));
  BOOST_TEST(m.orphans() == 1u);
  // Answered before its deadline, the second is not timed out later.
  BOOST_REQUIRE(feed(m, rows_answer(1, "in time"), r).ok());
  BOOST_REQUIRE(m.tick(t0 + 400ms, r, next).ok());
  BOOST_TEST(r.failures.size() == 1u);
  BOOST_TEST(r.replies.count(waiter(1)) == 1u);
  // And the first's late answer is dropped.
  BOOST_REQUIRE(feed(m, rows_answer(0, "late"), r).ok());
  BOOST_TEST(r.replies.size() == 1u);
  BOOST_TEST(m.in_flight() == 0u);
}

BOOST_AUTO_TEST_CASE(answered_requests_do_not_pile_up_deadlines) {
  Multiplexer m(quiet());
  Recorder r;
  for (int i = 0; i < 100000; ++i) {
    BOOST_REQUIRE(m.submit(query("q"), waiter(0), t0 + 12s));
    BOOST_REQUIRE(feed(m, void_answer(0), r).ok());
    r.replies.clear();
    r.order.clear();
  }
  Clock::time_point next;
  BOOST_REQUIRE(m.tick(t0 + 13s, r, next).ok());
  BOOST_TEST(r.failures.empty());
  BOOST_TEST((next == Clock::time_point::max()));
}

BOOST_AUTO_TEST_CASE(an_idle_connection_sends_a_heartbeat_and_dies_without_its_answer) {
  MultiplexerOptions o;
  o.heartbeat_interval = 30s;
  o.heartbeat_timeout = 5s;
  Multiplexer m(o);
  m.note_activity(t0);
  Recorder r;
  Clock::time_point next;
  BOOST_REQUIRE(m.tick(t0 + 10s, r, next).ok());
  BOOST_TEST(!m.has_output());
  BOOST_TEST((next == t0 + 30s));
  // Bytes read keep it from being idle.
  BOOST_REQUIRE(m.submit(query("q"), waiter(0), t0 + 60s));
  m.commit_output(m.begin_output().size());
  BOOST_REQUIRE(feed(m, void_answer(0), r, SIZE_MAX, t0 + 20s).ok());
  BOOST_REQUIRE(m.tick(t0 + 40s, r, next).ok());
  BOOST_TEST(!m.has_output());
  BOOST_TEST((next == t0 + 50s));
  BOOST_REQUIRE(m.tick(t0 + 50s, r, next).ok());
  auto beat = requests_in(m.begin_output());
  BOOST_TEST_REQUIRE(beat.size() == 1u);
  BOOST_TEST(std::holds_alternative<Options>(beat[0]));
  m.commit_output(m.begin_output().size());
  // Answered (a SUPPORTED): nothing reaches the sink, and the next one is due later.
  FrameOptions fo;
  fo.stream = 0;
  Bytes supported;
  BOOST_REQUIRE(encode_response(Supported{}, supported, fo).ok());
  BOOST_REQUIRE(feed(m, supported, r, SIZE_MAX, t0 + 51s).ok());
  BOOST_TEST(r.order.size() == 1u);
  BOOST_REQUIRE(m.tick(t0 + 52s, r, next).ok());
  BOOST_TEST((next == t0 + 81s));
  // Unanswered past its timeout: the connection is declared dead.
  BOOST_REQUIRE(m.tick(t0 + 81s, r, next).ok());
  BOOST_TEST(m.has_output());
  Status dead = m.tick(t0 + 86s, r, next);
  BOOST_TEST(!dead.ok());
  BOOST_TEST(dead.message.find("heartbeat") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(events_on_stream_minus_one_reach_the_sink) {
  Multiplexer m;
  Recorder r;
  FrameOptions fo;
  fo.stream = -1;
  Bytes frame;
  StatusChange sc;
  sc.change = StatusChangeType::down;
  sc.node.address = {127, 0, 0, 2};
  sc.node.port = 9042;
  BOOST_REQUIRE(encode_response(Event{sc}, frame, fo).ok());
  BOOST_REQUIRE(feed(m, frame, r).ok());
  BOOST_TEST_REQUIRE(r.events.size() == 1u);
  BOOST_TEST(std::get<StatusChange>(r.events[0]).node.port == 9042);
}

BOOST_AUTO_TEST_CASE(exhausted_ids_refuse_until_one_is_answered) {
  MultiplexerOptions o;
  o.max_streams = 2;
  Multiplexer m(o);
  BOOST_REQUIRE(m.submit(query("q"), waiter(0), t0 + 1s));
  BOOST_REQUIRE(m.submit(query("q"), waiter(1), t0 + 1s));
  BOOST_TEST(!m.submit(query("q"), waiter(2), t0 + 1s).has_value());
  Recorder r;
  BOOST_REQUIRE(feed(m, void_answer(1), r).ok());
  BOOST_TEST(*m.submit(query("q"), waiter(2), t0 + 1s) == 1);
}

BOOST_AUTO_TEST_CASE(an_unencodable_request_queues_nothing) {
  MultiplexerOptions o;
  o.max_frame = 64;
  Multiplexer m(o);
  Status error;
  std::string big(100, 'x');
  BOOST_TEST(!m.submit(query(big), waiter(0), t0 + 1s, &error).has_value());
  BOOST_TEST((error.code == errc::frame_too_large));
  BOOST_TEST(!m.has_output());
  BOOST_TEST(m.in_flight() == 0u);
  BOOST_TEST(*m.submit(query("ok"), waiter(0), t0 + 1s) == 0);
}

BOOST_AUTO_TEST_CASE(fail_all_fails_each_waiter_once_and_the_stream_can_start_over) {
  Multiplexer m;
  for (int i = 0; i < 5; ++i)
    BOOST_REQUIRE(m.submit(query("q"), waiter(i), t0 + 1s));
  BOOST_TEST(m.abandon(4, waiter(4)));
  Recorder r;
  m.fail_all(make_error_code(client_errc::closed), "closed by the client", r);
  BOOST_TEST(r.failures.size() == 4u);  // the abandoned one has no waiter any more
  BOOST_TEST(m.in_flight() == 0u);
  BOOST_TEST(!m.has_output());
  BOOST_TEST(*m.submit(query("q"), waiter(0), t0 + 1s) == 0);
}

BOOST_AUTO_TEST_CASE(an_announced_length_costs_only_what_arrives) {
  Multiplexer m;
  BOOST_REQUIRE(m.submit(query("q"), waiter(0), t0 + 1s));
  Bytes header(kHeaderSize);
  FrameHeader h;
  h.response = true;
  h.opcode = Opcode::result;
  h.length = 255u * 1024 * 1024;
  encode_header(h, std::span<std::uint8_t, kHeaderSize>(header.data(), kHeaderSize));
  Recorder r;
  BOOST_REQUIRE(feed(m, header, r).ok());
  BOOST_TEST(m.input_space().size() <= 2u * 64 * 1024);
}

BOOST_AUTO_TEST_CASE(compressed_requests_and_answers) {
  if (!lz4_available()) return;
  Multiplexer m;
  m.set_compression(true);
  BOOST_REQUIRE(m.submit(query(std::string(500, 'a')), waiter(0), t0 + 1s));
  BytesView out = m.begin_output();
  FrameHeader h;
  BOOST_REQUIRE(decode_header(out, h).ok());
  BOOST_TEST((h.flags & kFlagCompression) != 0);
  BOOST_TEST(std::get<Query>(requests_in(out).at(0)).query == std::string(500, 'a'));
  Recorder r;
  BOOST_REQUIRE(feed(m, rows_answer(0, std::string(3000, 'z'), true), r).ok());
  BOOST_TEST(cell_of(r.replies.at(waiter(0))) == std::string(3000, 'z'));
}

BOOST_AUTO_TEST_SUITE_END()
