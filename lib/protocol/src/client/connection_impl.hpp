// The inside of a Connection, shared by the files that drive it: connection.cpp (opening,
// closing, the public members), connection_requests.cpp (submission, deadlines, completion)
// and connection_io.cpp (bytes, the handshake, failure). Not part of the public API.
#pragma once

#include "nosqlc/protocol/client/connection.hpp"
#include "nosqlc/protocol/client/stream.hpp"
#include "nosqlc/protocol/engine/multiplexer.hpp"

#include <asio/any_io_executor.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace nosqlc::protocol {

namespace detail {
using Clock = std::chrono::steady_clock;
// Resumes the waiting coroutine with the answer, or with the exception it then throws.
using Resume =
    asio::async_result<asio::use_awaitable_t<>, void(std::exception_ptr, ReplyPtr)>::handler_type;

// Whether handlers of `ex` run on this thread now, so that work may start inline: an
// io_context's executor run by this thread, or a strand running here.
bool runs_here(const asio::any_io_executor& ex);

class ConnectionRegistry;
}  // namespace detail

// One request's wait. It lives in the awaiting coroutine's frame (in the initiation that
// async_initiate keeps there), which cannot go away while `resume` holds it (the handler owns
// the frame): the connection can always complete it, or destroy the handler, and so the frame,
// when it is destroyed itself. Completing or dropping `resume` may free the Waiter.
struct Connection::Waiter {
  // What a cancellation handler may still reach once the waiter is gone: the connection
  // clears it when the wait ends, on its own executor, where cancellations are carried out.
  struct CancelState {
    Waiter* waiter = nullptr;
  };
  const Request* request = nullptr;
  detail::Clock::time_point deadline;
  std::chrono::milliseconds timeout{0};
  bool errors_throw = true;  // an ERROR answer resumes with CqlError, else with the reply
  std::optional<detail::Resume> resume;
  std::int16_t stream = -1;  // once submitted
  bool done = false;
  std::shared_ptr<CancelState> cancel_state;  // only when the caller can cancel
  ReplyPtr reply;
  std::error_code code;
  std::string message;
};

struct Connection::Impl : std::enable_shared_from_this<Connection::Impl>, MultiplexerSink {
  using Clock = detail::Clock;

  Impl(asio::any_io_executor executor, Endpoint ep, ConnectionOptions o, EventHandler handler);
  ~Impl() override;

  asio::any_io_executor ex;
  Endpoint endpoint;
  ConnectionOptions opt;
  EventHandler on_event_handler;
  asio::ip::tcp::resolver resolver;
  Stream stream;
#if NOSQLC_WITH_TLS
  std::unique_ptr<asio::ssl::context> tls_context;
#endif
  Multiplexer mux;
  asio::steady_timer tick_timer;
  Clock::time_point tick_at = Clock::time_point::max();
  std::deque<Waiter*> id_waiters;  // submitted when a stream id frees up
  std::vector<Waiter*> completed;  // answered during one commit_input, resumed after it
  bool writing = false;
  bool handshake_done = false;
  std::atomic<bool> open{false};
  std::atomic<std::size_t> in_flight_count{0};
  std::string close_reason;
  bool closed_by_owner = false;
  asio::steady_timer closed_signal;
  // Requests from other threads, taken in on the connection's executor once per turn.
  std::mutex inbox_mutex;
  std::vector<Waiter*> inbox;
  std::vector<Waiter*> taken;  // the batch take_inbox works through, on the executor
  bool inbox_posted = false;
  // The connections of this executor's execution context, which ends their waits when the
  // context is destroyed with requests in flight.
  detail::ConnectionRegistry* registry = nullptr;
  // When the bytes being read arrived: the answer time of the requests they complete.
  Clock::time_point input_at;

  std::string where() const {
    return to_string(endpoint);
  }

  // ---- MultiplexerSink (connection_requests.cpp) ----
  void on_reply(void* waiter, ReplyPtr reply) override;
  void on_failure(void* waiter, std::error_code code, const std::string& message) override;
  void on_event(const Event& e, const ReplyPtr&) override;

  // ---- Submission and completion (connection_requests.cpp); on the executor ----
  // Sends `request` and waits for its answer (an ERROR answer is returned as it is when
  // `errors_throw` is false). Runs on any executor; no coroutine frame of its own.
  asio::awaitable<ReplyPtr> wait_for(const Request& request, Clock::time_point deadline,
                                     std::chrono::milliseconds timeout, bool errors_throw);
  void start(Waiter* w);
  bool submit(Waiter* w);  // false when no stream id is free
  void submit_waiting();
  void enqueue_from_elsewhere(Waiter* w);  // from any thread
  void take_inbox();
  void cancel(Waiter* w);
  void resume_completed();  // never from inside the multiplexer
  void finish(Waiter* w);
  void count(const Waiter& w);  // into opt.counters
  // Hands the outcome to the waiting coroutine (dispatched, or posted when `post`).
  static void deliver(Waiter& w, bool post);
  void post_resume();

  // ---- Time (connection_requests.cpp) ----
  void arm(Clock::time_point at);
  void on_tick();

  // ---- Bytes, handshake, failure (connection_io.cpp) ----
  void start_writing();
  static asio::awaitable<void> write_loop(std::shared_ptr<Impl> self);
  static asio::awaitable<void> read_loop(std::shared_ptr<Impl> self);
  asio::awaitable<void> read_frames();
  asio::awaitable<void> connect_transport();
  asio::awaitable<void> handshake(const std::string& keyspace, Clock::time_point deadline);
  // Closes the transport and completes everything waiting on this connection with `code`.
  void fail(std::error_code code, const std::string& reason);
};

}  // namespace nosqlc::protocol
