// The Asio driver of one connection: it moves bytes between a Stream and the sans-io
// Multiplexer, times between a timer and Multiplexer::tick, and answers to the coroutines
// waiting for them. The handshake is the sans-io Handshake, run through the same path.
#include "nosqlc/protocol/client/connection.hpp"

#include "internal.hpp"
#include "nosqlc/protocol/client/stream.hpp"
#include "nosqlc/protocol/engine/handshake.hpp"
#include "nosqlc/protocol/engine/multiplexer.hpp"
#include "tls_client.hpp"

#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/detached.hpp>
#include <asio/dispatch.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#if NOSQLC_WITH_TLS
#include <asio/ssl.hpp>
#endif

#include <atomic>
#include <deque>
#include <mutex>
#include <typeinfo>

namespace nosqlc::protocol {
namespace {

using asio::use_awaitable;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Resume = asio::async_result<asio::use_awaitable_t<>, void()>::handler_type;

[[noreturn]] void throw_client(client_errc code, const std::string& message) {
  throw ClientError(make_error_code(code), message);
}

// Whether handlers of `ex` run on this thread now, so that a request may start inline: an
// io_context's executor (run by one thread: SessionOptions::io_threads) or a strand. The type
// is compared first: Asio 1.22's any_io_executor::target<io_context::executor_type>() also
// answers for a strand, whose object it then is not.
template <class T>
const T* exactly(const asio::any_io_executor& ex) {
  return ex.target_type() == typeid(T) ? ex.target<T>() : nullptr;
}
bool runs_here(const asio::any_io_executor& ex) {
  if (const auto* io = exactly<asio::io_context::executor_type>(ex)) {
    return io->running_in_this_thread();
  }
  if (const auto* s = exactly<asio::strand<asio::any_io_executor>>(ex)) {
    return s->running_in_this_thread();
  }
  return false;  // unknown: hand the request over, which is always right
}

}  // namespace

// One request's wait. It lives in the frame of the coroutine that waits, which cannot go
// away while `resume` holds it (the handler owns the frame): the connection can always
// complete it, or destroy the handler, and so the frame, when it is destroyed itself.
struct Connection::Waiter {
  // What a cancellation handler may still reach once the waiter is gone: the connection
  // clears it when the wait ends, on its own executor, where cancellations are carried out.
  struct CancelState {
    Waiter* waiter = nullptr;
  };
  const Request* request = nullptr;
  Clock::time_point deadline;
  std::chrono::milliseconds timeout{0};
  std::optional<Resume> resume;
  std::int16_t stream = -1;  // once submitted
  bool done = false;
  std::shared_ptr<CancelState> cancel_state;  // only when the caller can cancel
  ReplyPtr reply;
  std::error_code code;
  std::string message;
};

struct Connection::Impl : std::enable_shared_from_this<Connection::Impl>, MultiplexerSink {
  Impl(asio::any_io_executor executor, Endpoint ep, ConnectionOptions o, EventHandler handler)
      : ex(std::move(executor)),
        endpoint(std::move(ep)),
        opt(std::move(o)),
        on_event_handler(std::move(handler)),
        resolver(ex),
        stream(tcp::socket(ex)),
        mux(mux_options(opt)),
        tick_timer(ex),
        closed_signal(ex, Clock::time_point::max()) {}

  static MultiplexerOptions mux_options(const ConnectionOptions& o) {
    MultiplexerOptions m;
    m.max_streams = o.max_streams;
    m.max_orphans = o.max_orphans;
    m.max_frame = o.max_frame;
    m.heartbeat_interval = std::chrono::milliseconds(0);  // on once the handshake is done
    m.heartbeat_timeout = o.request_timeout;
    return m;
  }

  asio::any_io_executor ex;
  Endpoint endpoint;
  ConnectionOptions opt;
  EventHandler on_event_handler;
  tcp::resolver resolver;
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

  std::string where() const {
    return to_string(endpoint);
  }

  // ---- MultiplexerSink ----
  void on_reply(void* waiter, ReplyPtr reply) override {
    auto* w = static_cast<Waiter*>(waiter);
    w->reply = std::move(reply);
    completed.push_back(w);
  }
  void on_failure(void* waiter, std::error_code code, const std::string& message) override {
    auto* w = static_cast<Waiter*>(waiter);
    w->code = code;
    if (code == client_errc::timeout) {
      w->message =
          "no answer from " + where() + " within " + std::to_string(w->timeout.count()) + " ms";
    } else {
      w->message = message;
    }
    completed.push_back(w);
  }
  void on_event(const Event& e, const ReplyPtr&) override {
    if (!on_event_handler) return;
    try {
      on_event_handler(e);
    } catch (...) {  // the handler's failure is its own, not the connection's
    }
  }

  // Resumes the coroutines answered since the last call. Never from inside the
  // multiplexer, which the resumed coroutines may call into.
  void resume_completed() {
    std::vector<Waiter*> ready;
    ready.swap(completed);
    for (Waiter* w : ready)
      finish(w);
    if (completed.empty()) completed.swap(ready);  // keep the capacity
    completed.clear();
  }

  void finish(Waiter* w) {
    if (w->done) return;
    w->done = true;
    if (w->cancel_state) w->cancel_state->waiter = nullptr;
    if (w->stream >= 0) in_flight_count.store(mux.in_flight(), std::memory_order_relaxed);
    Resume resume = std::move(*w->resume);
    w->resume.reset();
    // On this executor it runs here; a caller on another executor is resumed there.
    asio::dispatch(std::move(resume));
  }

  // ---- Submission ----
  void start(Waiter* w) {
    if (!open) {
      w->code =
          make_error_code(closed_by_owner ? client_errc::closed : client_errc::connection_error);
      w->message = "connection to " + where() + " is closed: " + close_reason;
      // Not inline: the initiating coroutine has not suspended yet.
      w->done = true;
      if (w->cancel_state) w->cancel_state->waiter = nullptr;
      Resume resume = std::move(*w->resume);
      w->resume.reset();
      asio::post(std::move(resume));
      return;
    }
    if (!id_waiters.empty() || !submit(w)) {
      if (!w->done) id_waiters.push_back(w);
      arm(w->deadline);
    }
  }

  // True when submitted (or failed at once); false when no stream id is free.
  bool submit(Waiter* w) {
    Status error;
    auto id = mux.submit(*w->request, w, w->deadline, &error);
    if (!id) {
      if (error.ok()) return false;
      w->code = error.code;
      w->message = "cannot encode request: " + error.message;
      completed.push_back(w);
      post_resume();
      return true;
    }
    w->stream = *id;
    in_flight_count.store(mux.in_flight(), std::memory_order_relaxed);
    arm(w->deadline);
    start_writing();
    return true;
  }

  // Completions found outside commit_input (an encoding failure) are resumed from a
  // handler of their own.
  void post_resume() {
    asio::post(ex, [self = shared_from_this()] { self->resume_completed(); });
  }

  void submit_waiting() {
    while (!id_waiters.empty() && open) {
      Waiter* w = id_waiters.front();
      if (w->done) {
        id_waiters.pop_front();
        continue;
      }
      if (!submit(w)) break;
      id_waiters.pop_front();
    }
  }

  void take_inbox() {
    {
      std::lock_guard lock(inbox_mutex);
      taken.swap(inbox);  // both keep their capacity: no allocation per batch
      inbox_posted = false;
    }
    for (Waiter* w : taken)
      start(w);
    taken.clear();
  }

  // From any thread. One posted handler takes every request that arrived meanwhile.
  void enqueue_from_elsewhere(Waiter* w) {
    bool post_now = false;
    {
      std::lock_guard lock(inbox_mutex);
      inbox.push_back(w);
      post_now = !std::exchange(inbox_posted, true);
    }
    if (post_now) asio::post(ex, [self = shared_from_this()] { self->take_inbox(); });
  }

  void cancel(Waiter* w) {
    if (w->done) return;
    w->code = make_error_code(asio::error::operation_aborted);
    w->message = "request to " + where() + " was cancelled";
    if (w->stream >= 0) {
      // The late answer must not be taken for a newer request's: the id stays orphaned.
      if (!mux.abandon(w->stream, w)) {
        fail(make_error_code(client_errc::connection_error),
             "too many requests without answer on " + where());
        finish(w);
        return;
      }
    }
    finish(w);
  }

  // ---- Time ----
  void arm(Clock::time_point at) {
    if (at >= tick_at) return;
    tick_at = at;
    tick_timer.expires_at(at);
    tick_timer.async_wait([weak = weak_from_this(), at](std::error_code ec) {
      auto self = weak.lock();
      if (!self || ec || self->tick_at != at) return;
      self->tick_at = Clock::time_point::max();
      self->on_tick();
    });
  }

  void on_tick() {
    if (!open) return;
    const auto now = Clock::now();
    Clock::time_point next = Clock::time_point::max();
    Status st = mux.tick(now, *this, next);
    // Requests still waiting for a stream id have deadlines of their own.
    std::erase_if(id_waiters, [&](Waiter* w) {
      if (w->done) return true;
      if (w->deadline > now) {
        next = std::min(next, w->deadline);
        return false;
      }
      w->code = make_error_code(client_errc::timeout);
      w->message = "no stream id free on " + where() + " within " +
                   std::to_string(w->timeout.count()) + " ms";
      completed.push_back(w);
      return true;
    });
    if (!st) {
      // Closed first: the coroutines resumed then see the connection as it is.
      fail(st.code, st.message + " on " + where());
      return;
    }
    resume_completed();
    start_writing();  // a heartbeat may have been queued
    if (next != Clock::time_point::max()) arm(next);
  }

  // ---- Bytes ----
  void start_writing() {
    if (writing || !mux.has_output() || !open) return;
    writing = true;
    asio::co_spawn(ex, write_loop(shared_from_this()), asio::detached);
  }

  static asio::awaitable<void> write_loop(std::shared_ptr<Impl> self) {
    try {
      while (self->open) {
        BytesView out = self->mux.begin_output();
        if (out.empty()) break;
        std::error_code ec;
        co_await self->stream.write(asio::buffer(out.data(), out.size()), ec);
        if (ec) {
          self->fail(make_error_code(client_errc::connection_error),
                     "write to " + self->where() + " failed: " + ec.message());
          break;
        }
        self->mux.commit_output(out.size());
      }
    } catch (const std::exception& e) {
      self->fail(make_error_code(client_errc::connection_error),
                 "write to " + self->where() + " failed: " + e.what());
    }
    self->writing = false;
  }

  static asio::awaitable<void> read_loop(std::shared_ptr<Impl> self) {
    // Detached: whatever goes wrong must close the connection, not leave it open and deaf.
    try {
      co_await self->read_frames();
    } catch (const std::exception& e) {
      self->fail(make_error_code(client_errc::connection_error),
                 "reading from " + self->where() + " failed: " + e.what());
    }
  }

  asio::awaitable<void> read_frames() {
    while (open) {
      auto space = mux.input_space();
      std::error_code ec;
      std::size_t n = co_await stream.read_some(asio::buffer(space.data(), space.size()), ec);
      if (!open) co_return;
      if (ec) {
        std::string why = ec == asio::error::eof
                              ? "connection closed by " + where() + eof_hint()
                              : "read from " + where() + " failed: " + ec.message();
        fail(make_error_code(client_errc::connection_error), why);
        co_return;
      }
      Status st = mux.commit_input(n, Clock::now(), *this);
      resume_completed();
      if (!st) {
        fail(st.code, "bad frame from " + where() + ": " + st.message + tls_hint(space, n));
        co_return;
      }
      submit_waiting();
      in_flight_count.store(mux.in_flight(), std::memory_order_relaxed);
    }
  }

  // A plaintext client talking to a TLS port gets a TLS record back (or just the close):
  // say what the likely cause is while the handshake has not completed.
  std::string tls_hint(std::span<std::uint8_t> read, std::size_t n) const {
    if (opt.tls.enabled || handshake_done || n < 2) return "";
    if ((read[0] == 0x15 || read[0] == 0x16) && read[1] == 0x03) {
      return " (that is TLS: the server wants tls=true)";
    }
    return "";
  }
  std::string eof_hint() const {
    if (opt.tls.enabled || handshake_done) return "";
    return " during the handshake (a server that speaks only TLS does this to a plaintext "
           "client: try tls=true)";
  }

  // Closes the transport and completes everything waiting on this connection with `code`.
  void fail(std::error_code code, const std::string& reason) {
    if (close_reason.empty()) {
      close_reason = reason;
      closed_by_owner = code == client_errc::closed;
    }
    open = false;
    std::error_code ignored;
    resolver.cancel();
    stream.close();
    tick_timer.cancel();
    tick_at = Clock::time_point::max();
    mux.fail_all(code, reason, *this);
    for (Waiter* w : id_waiters) {
      if (w->done) continue;
      w->code = code;
      w->message = reason;
      completed.push_back(w);
    }
    id_waiters.clear();
    in_flight_count = 0;
    resume_completed();
    closed_signal.cancel();
  }

  // A connection destroyed with requests still waiting (its executor is going away) drops
  // their coroutines: the handlers own the frames, and go first (moved out of the frame).
  static void drop(Waiter* w) {
    if (!w->resume) return;
    Resume dropped = std::move(*w->resume);
    w->resume.reset();
  }
  struct Dropper final : MultiplexerSink {
    void on_reply(void* w, ReplyPtr) override { drop(static_cast<Waiter*>(w)); }
    void on_failure(void* w, std::error_code, const std::string&) override {
      drop(static_cast<Waiter*>(w));
    }
    void on_event(const Event&, const ReplyPtr&) override {}
  };
  ~Impl() override {
    Dropper dropper;
    mux.fail_all(make_error_code(client_errc::closed), "destroyed", dropper);
    for (Waiter* w : id_waiters)
      drop(w);
    for (Waiter* w : completed)
      drop(w);
    for (Waiter* w : inbox)
      drop(w);
  }

  // ---- Connecting ----
  asio::awaitable<void> connect_transport() {
    std::error_code ec;
    // An address needs no resolver (whose first use starts a thread per io_context).
    auto address = asio::ip::make_address(endpoint.host, ec);
    if (!ec) {
      co_await stream.socket().async_connect(tcp::endpoint(address, endpoint.port),
                                             asio::redirect_error(use_awaitable, ec));
    } else {
      ec.clear();
      auto results = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port),
                                                     asio::redirect_error(use_awaitable, ec));
      if (ec) {
        throw_client(client_errc::connection_error,
                     "cannot resolve " + where() + ": " + ec.message());
      }
      co_await asio::async_connect(stream.socket(), results,
                                   asio::redirect_error(use_awaitable, ec));
    }
    if (ec) {
      throw_client(client_errc::connection_error,
                   "cannot connect to " + where() + ": " + ec.message());
    }
    stream.socket().set_option(tcp::no_delay(true), ec);
    if (!opt.tls.enabled) co_return;
#if NOSQLC_WITH_TLS
    co_await tls_client_handshake(stream, endpoint, opt.tls, tls_context);
#else
    throw_client(client_errc::connection_error, "TLS requested but nosqlc was built without TLS");
#endif
  }

  asio::awaitable<void> handshake(const std::string& keyspace, Clock::time_point deadline) {
    HandshakeOptions ho;
    ho.peer = where();
    ho.compression = opt.compression;
    if (opt.credentials) {
      ho.has_credentials = true;
      ho.username = opt.credentials->username;
      ho.password = opt.credentials->password;
    }
    ho.keyspace = keyspace;
    Handshake hs(std::move(ho));
    auto step = hs.start();
    while (step.kind == Handshake::Step::Kind::send) {
      auto reply = co_await wait_for(step.request, deadline, opt.connect_timeout, false);
      step = hs.on_answer(reply->message);
      // Every frame after STARTUP is compressed when lz4 was agreed (section 5).
      mux.set_compression(hs.compression());
      if (step.kind == Handshake::Step::Kind::failed) {
        if (step.server_error) throw CqlError(*step.server_error);
        throw ClientError(step.code, step.message);
      }
    }
  }

  // Sends `request` and waits for its answer (an ERROR answer is returned as it is when
  // `errors_throw` is false). Runs on any executor.
  asio::awaitable<ReplyPtr> wait_for(const Request& request, Clock::time_point deadline,
                                     std::chrono::milliseconds timeout, bool errors_throw) {
    Waiter w;
    w.request = &request;
    w.deadline = deadline;
    w.timeout = timeout;
    co_await asio::async_initiate<const asio::use_awaitable_t<>, void()>(
        [this, &w](Resume resume) {
          auto slot = asio::get_associated_cancellation_slot(resume);
          w.resume.emplace(std::move(resume));
          if (slot.is_connected()) {
            // Emitted on the caller's executor; the wait is the connection's to end.
            w.cancel_state = std::make_shared<Waiter::CancelState>();
            w.cancel_state->waiter = &w;
            slot.assign([self = weak_from_this(), state = w.cancel_state](asio::cancellation_type) {
              if (auto s = self.lock()) {
                asio::dispatch(s->ex, [s, state] {
                  if (state->waiter) s->cancel(state->waiter);
                });
              }
            });
          }
          if (runs_here(ex)) {
            start(&w);
          } else {
            enqueue_from_elsewhere(&w);
          }
        },
        use_awaitable);
    if (w.cancel_state) {
      auto slot = co_await asio::this_coro::cancellation_state;
      slot.slot().clear();
    }
    if (w.code) throw ClientError(w.code, w.message);
    if (errors_throw) {
      if (const auto* err = std::get_if<ServerError>(&w.reply->message)) throw CqlError(*err);
    }
    co_return std::move(w.reply);
  }
};

// What Connection copies share. The last copy to go closes the connection: its read loop
// holds only the Impl and would otherwise keep an abandoned socket open.
struct Connection::Handle {
  std::shared_ptr<Impl> impl;
  ~Handle() {
    if (!impl) return;
    try {
      auto ex = impl->ex;  // before the move below: argument order is unspecified
      asio::dispatch(ex, [impl = std::move(impl)] {
        impl->fail(make_error_code(client_errc::closed), "every handle to it was dropped");
      });
    } catch (...) {  // out of memory: the connection stays open until its peer closes it
    }
  }
};

Connection::Connection(std::shared_ptr<Impl> impl) {
  auto handle = std::make_shared<Handle>();
  handle->impl = impl;
  // Aliasing: members reach the Impl, the reference count is the Handle's.
  impl_ = std::shared_ptr<Impl>(std::move(handle), impl.get());
}

void detail::check_options(const ConnectionOptions& o) {
  auto bad = [](const std::string& what) {
    throw ClientError(make_error_code(errc::invalid_value), "invalid connection option: " + what);
  };
  if (o.max_streams == 0 || o.max_streams > StreamIds::kMaxCapacity) {
    bad("max_streams must be 1 to 32768, not " + std::to_string(o.max_streams));
  }
  if (o.max_frame == 0) bad("max_frame must be positive");
  if (o.connect_timeout.count() <= 0) bad("connect_timeout must be positive");
  if (o.request_timeout.count() <= 0) bad("request_timeout must be positive");
  if (o.heartbeat_interval.count() < 0) bad("heartbeat_interval must not be negative");
}

asio::awaitable<Connection> Connection::open(asio::any_io_executor ex, Endpoint endpoint,
                                             ConnectionOptions options, std::string keyspace,
                                             EventHandler on_event) {
  detail::check_options(options);
  auto op = open_here(ex, std::move(endpoint), std::move(options), std::move(keyspace),
                      std::move(on_event));
  // The handshake touches the connection's state: it runs where the connection lives.
  std::optional<Connection> c;
  if (runs_here(ex)) {
    c = co_await std::move(op);
  } else {
    c = co_await asio::co_spawn(ex, std::move(op), use_awaitable);
  }
  co_return std::move(*c);
}

asio::awaitable<std::optional<Connection>> Connection::open_here(asio::any_io_executor ex,
                                                                 Endpoint endpoint,
                                                                 ConnectionOptions options,
                                                                 std::string keyspace,
                                                                 EventHandler on_event) {
  auto impl =
      std::make_shared<Impl>(ex, std::move(endpoint), std::move(options), std::move(on_event));
  const auto deadline = detail::deadline_after(impl->opt.connect_timeout);
  // The watchdog bounds resolving, connecting, TLS and the handshake together.
  auto timed_out = std::make_shared<bool>(false);
  auto watchdog = std::make_shared<asio::steady_timer>(ex);
  watchdog->expires_at(deadline);
  watchdog->async_wait([impl, timed_out](std::error_code ec) {
    if (ec) return;
    *timed_out = true;
    impl->fail(make_error_code(client_errc::timeout),
               "connect to " + impl->where() + " timed out after " +
                   std::to_string(impl->opt.connect_timeout.count()) + " ms");
  });
  std::exception_ptr failure;
  try {
    co_await impl->connect_transport();
    if (*timed_out) throw_client(client_errc::timeout, impl->close_reason);
    impl->open = true;
    impl->mux.note_activity(Clock::now());
    asio::co_spawn(ex, Impl::read_loop(impl), asio::detached);
    co_await impl->handshake(keyspace, deadline);
  } catch (...) {
    failure = std::current_exception();
  }
  watchdog->cancel();
  if (failure) {
    impl->fail(make_error_code(client_errc::closed), "handshake failed");
    if (*timed_out) throw_client(client_errc::timeout, impl->close_reason);
    std::rethrow_exception(failure);
  }
  impl->handshake_done = true;
  impl->mux.set_heartbeat(impl->opt.heartbeat_interval, Clock::now());
  impl->on_tick();  // arms the heartbeat
  co_return Connection(impl);
}

asio::awaitable<ReplyPtr> Connection::request(const Request& request,
                                              std::optional<std::chrono::milliseconds> timeout) {
  Impl* impl = impl_.get();  // the caller's copy may go while the request waits
  const auto t = timeout.value_or(impl->opt.request_timeout);
  return impl->wait_for(request, detail::deadline_after(t), t, true);
}

void Connection::close() {
  auto impl = impl_;
  asio::dispatch(impl->ex, [impl] {
    impl->fail(make_error_code(client_errc::closed), "closed by the client");
  });
}

asio::awaitable<void> Connection::wait_closed() {
  auto impl = impl_;
  auto wait = [](std::shared_ptr<Impl> i) -> asio::awaitable<void> {
    while (i->open) {
      std::error_code ec;
      co_await i->closed_signal.async_wait(asio::redirect_error(use_awaitable, ec));
    }
  };
  if (runs_here(impl->ex)) {
    co_await wait(impl);
  } else {
    co_await asio::co_spawn(impl->ex, wait(impl), use_awaitable);
  }
}

bool Connection::is_open() const noexcept {
  return impl_->open.load(std::memory_order_relaxed);
}
std::size_t Connection::in_flight() const noexcept {
  return impl_->in_flight_count.load(std::memory_order_relaxed);
}
bool Connection::compressed() const noexcept {
  return impl_->mux.compression();
}
const Endpoint& Connection::endpoint() const noexcept {
  return impl_->endpoint;
}
std::string Connection::close_reason() const {
  return impl_->close_reason;
}
asio::any_io_executor Connection::get_executor() const noexcept {
  return impl_->ex;
}

std::string to_string(const Endpoint& e) {
  bool v6 = e.host.find(':') != std::string::npos;
  return (v6 ? "[" + e.host + "]" : e.host) + ":" + std::to_string(e.port);
}

}  // namespace nosqlc::protocol
