// The sans-io heart of a client connection: stream ids, requests waiting for answers,
// orphans, the outgoing bytes (frames coalesced into one buffer), the splitting of incoming
// bytes into frames and their dispatch to waiters or the event handler, deadlines and
// heartbeats. Bytes and times go in, decisions come out: no socket, no clock, no Asio.
// Single-threaded: one driver calls it from one thread at a time.
#pragma once

#include "nosqlc/protocol/engine/reply.hpp"
#include "nosqlc/protocol/engine/stream_ids.hpp"
#include "nosqlc/protocol/messages.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <vector>

namespace nosqlc::protocol {

struct MultiplexerOptions {
  std::size_t max_streams = 32768;  // requests in flight at most, orphans included
  std::size_t max_orphans = 1024;   // abandoned requests awaiting a late answer before failing
  std::size_t max_frame = kDefaultMaxBody;
  // Whenever an idle connection has read nothing for this long, it sends OPTIONS; zero never.
  std::chrono::milliseconds heartbeat_interval{30000};
  // How long that OPTIONS may stay unanswered before the connection is declared dead.
  std::chrono::milliseconds heartbeat_timeout{12000};
};

// What the multiplexer tells its driver, from inside commit_input, tick and fail_all. A
// waiter is the driver's own pointer for one request; it is given back exactly once, by
// one of the first two calls, unless the request was abandoned first.
class MultiplexerSink {
 public:
  virtual ~MultiplexerSink() = default;
  // The answer to the request of `waiter` (an ERROR answer included: see Reply::message).
  virtual void on_reply(void* waiter, ReplyPtr reply) = 0;
  // The request of `waiter` failed: its answer could not be decoded, its deadline passed
  // (client_errc::timeout, the id then orphaned), or the connection failed.
  virtual void on_failure(void* waiter, std::error_code code, const std::string& message) = 0;
  // An EVENT (stream -1). `reply` owns what the event views.
  virtual void on_event(const Event& event, const ReplyPtr& reply) = 0;
};

class Multiplexer {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Multiplexer(MultiplexerOptions options = {});
  ~Multiplexer();
  Multiplexer(const Multiplexer&) = delete;
  Multiplexer& operator=(const Multiplexer&) = delete;

  // The connection is fresh at `now`: heartbeats count idleness from here.
  void note_activity(Clock::time_point now) noexcept { last_read_ = now; }
  // Heartbeats every `interval` of idleness from `now` on (zero: none), as
  // MultiplexerOptions::heartbeat_interval; a driver turns them on once its handshake is done.
  void set_heartbeat(std::chrono::milliseconds interval, Clock::time_point now) noexcept {
    opt_.heartbeat_interval = interval;
    last_read_ = now;
  }

  // Compress every later request with lz4 (after a STARTUP that asked for it).
  void set_compression(bool on) noexcept { compress_ = on; }
  bool compression() const noexcept { return compress_; }

  // ---- Requests ----
  // Encodes `request` on the lowest free stream id at the end of the outgoing bytes, to be
  // answered through `waiter` (not null) by `deadline`. Returns the id; nullopt when every id
  // is in use or orphaned (submit again after a completion). An encoding failure is returned
  // in `error` with nullopt, and nothing is queued. The request's views are copied: they
  // need not outlive the call.
  std::optional<std::int16_t> submit(const Request& request, void* waiter,
                                     Clock::time_point deadline, Status* error = nullptr);
  // The request of `waiter` on `stream` no longer wants its answer (cancelled): the id stays
  // orphaned until the answer comes. Nothing happens when that request is not waiting any
  // more (answered meanwhile). Returns false once orphans are over the limit: the driver
  // must then fail the connection.
  bool abandon(std::int16_t stream, void* waiter) noexcept;

  // ---- Outgoing bytes ----
  // Everything queued and not yet written, as one buffer; empty when nothing is. Stays
  // valid until commit_output, while later submissions queue behind it.
  BytesView begin_output();
  // `n` bytes of what begin_output returned were written.
  void commit_output(std::size_t n) noexcept;
  bool has_output() const noexcept { return written_ < writing_.size() || !queued_.empty(); }

  // ---- Incoming bytes ----
  // Where to read into: never empty, grown only as bytes arrive.
  std::span<std::uint8_t> input_space();
  // `n` bytes were read at `now`: every complete frame is decoded and dispatched to `sink`.
  // A failure of the stream itself (a bad header, a frame too large, an answer on a stream
  // no request used) is returned; the driver must then fail_all and close.
  [[nodiscard]] Status commit_input(std::size_t n, Clock::time_point now, MultiplexerSink& sink);

  // ---- Time ----
  // Expires requests whose deadline passed (their ids orphaned), sends a heartbeat when the
  // connection has been idle for the interval, and fails the connection when a heartbeat
  // went unanswered or orphans pile up: the returned status is then an error (fail_all and
  // close). `next_tick` receives when to call again at the latest.
  [[nodiscard]] Status tick(Clock::time_point now, MultiplexerSink& sink,
                            Clock::time_point& next_tick);

  // Fails every request waiting for an answer with `code` and `message` (the connection is
  // gone); ids are freed, orphans too. The multiplexer can serve a new stream afterwards.
  void fail_all(std::error_code code, const std::string& message, MultiplexerSink& sink);

  std::size_t in_flight() const noexcept { return ids_.used(); }
  std::size_t orphans() const noexcept { return ids_.orphans(); }
  std::size_t queued_bytes() const noexcept { return writing_.size() - written_ + queued_.size(); }

 private:
  struct Pending {
    void* waiter = nullptr;
    std::uint32_t generation = 0;  // tells a live deadline entry from one left behind
  };
  struct Deadline {
    Clock::time_point at;
    std::int16_t stream;
    std::uint32_t generation;
    bool operator>(const Deadline& o) const noexcept { return at > o.at; }
  };
  class Input;

  Status dispatch(const FrameSlice& frame, MultiplexerSink& sink);
  void complete(std::int16_t stream) noexcept;
  bool orphan(std::int16_t stream) noexcept;

  MultiplexerOptions opt_;
  StreamIds ids_;
  std::vector<Pending> pending_;     // by stream id
  std::vector<Deadline> deadlines_;  // a min-heap on `at`
  Bytes queued_;                     // frames submitted since the last begin_output
  Bytes writing_;                    // what begin_output handed out
  std::size_t written_ = 0;
  Bytes scratch_;  // lz4 output, reused
  std::unique_ptr<Input> input_;
  bool compress_ = false;
  Clock::time_point last_read_{};
  std::optional<std::int16_t> heartbeat_;  // the stream of the OPTIONS in flight
  Clock::time_point heartbeat_deadline_{};
};

}  // namespace nosqlc::protocol
