// A connection's life: created and registered with its execution context, opened (the
// transport, then the handshake within the connect timeout), closed when its last copy goes
// or its context is destroyed. The public members live here; requests and bytes are in
// connection_requests.cpp and connection_io.cpp.
#include "connection_impl.hpp"
#include "internal.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/dispatch.hpp>
#include <asio/redirect_error.hpp>
#include <asio/strand.hpp>

#include <typeinfo>
#include <unordered_set>

namespace nosqlc::protocol {
namespace detail {
namespace {

// The type is compared first: Asio 1.22's any_io_executor::target<io_context::executor_type>()
// also answers for a strand, whose object it then is not.
template <class T>
const T* exactly(const asio::any_io_executor& ex) {
  return ex.target_type() == typeid(T) ? ex.target<T>() : nullptr;
}

}  // namespace

bool runs_here(const asio::any_io_executor& ex) {
  if (const auto* io = exactly<asio::io_context::executor_type>(ex)) {
    return io->running_in_this_thread();
  }
  if (const auto* s = exactly<asio::strand<asio::any_io_executor>>(ex)) {
    return s->running_in_this_thread();
  }
  return false;  // unknown: hand the work over, which is always right
}

// The connections living on one execution context. A context destroyed while requests wait
// on them (nothing closed them and nothing runs the context again) would otherwise keep them
// for ever: a waiting coroutine's handler lives in its own frame, which holds a copy of the
// connection, which holds the waiter. Shutdown fails them instead: a caller on another
// context is resumed with the error, one on this context is destroyed with its queue.
class ConnectionRegistry final : public asio::execution_context::service {
 public:
  static asio::execution_context::id id;
  explicit ConnectionRegistry(asio::execution_context& context) : service(context) {}

  void add(Connection::Impl* c) {
    std::lock_guard lock(mutex_);
    live_.insert(c);
  }
  void remove(Connection::Impl* c) {
    std::lock_guard lock(mutex_);
    live_.erase(c);
  }

 private:
  void shutdown() override {
    std::vector<std::shared_ptr<Connection::Impl>> live;
    {
      std::lock_guard lock(mutex_);
      for (auto* c : live_) {
        if (auto owned = c->weak_from_this().lock()) live.push_back(std::move(owned));
      }
    }
    for (auto& c : live)
      c->fail(make_error_code(client_errc::closed), "its io_context was destroyed");
  }

  std::mutex mutex_;
  std::unordered_set<Connection::Impl*> live_;
};

asio::execution_context::id ConnectionRegistry::id;

}  // namespace detail

namespace {

MultiplexerOptions mux_options(const ConnectionOptions& o) {
  MultiplexerOptions m;
  m.max_streams = o.max_streams;
  m.max_orphans = o.max_orphans;
  m.max_frame = o.max_frame;
  m.heartbeat_interval = std::chrono::milliseconds(0);  // on once the handshake is done
  m.heartbeat_timeout = o.request_timeout;
  return m;
}

// A connection destroyed with requests still waiting (its executor is going away) drops
// their coroutines: the handlers own the frames, and go first (moved out of the frame).
void drop(Connection::Waiter* w) {
  if (!w->resume) return;
  detail::Resume dropped = std::move(*w->resume);
  w->resume.reset();
}

struct Dropper final : MultiplexerSink {
  void on_reply(void* w, ReplyPtr) override { drop(static_cast<Connection::Waiter*>(w)); }
  void on_failure(void* w, std::error_code, const std::string&) override {
    drop(static_cast<Connection::Waiter*>(w));
  }
  void on_event(const Event&, const ReplyPtr&) override {}
};

}  // namespace

Connection::Impl::Impl(asio::any_io_executor executor, Endpoint ep, ConnectionOptions o,
                       EventHandler handler)
    : ex(std::move(executor)),
      endpoint(std::move(ep)),
      opt(std::move(o)),
      on_event_handler(std::move(handler)),
      resolver(ex),
      stream(asio::ip::tcp::socket(ex)),
      mux(mux_options(opt)),
      tick_timer(ex),
      closed_signal(ex, Clock::time_point::max()) {
  registry =
      &asio::use_service<detail::ConnectionRegistry>(asio::query(ex, asio::execution::context));
  registry->add(this);
}

Connection::Impl::~Impl() {
  registry->remove(this);
  Dropper dropper;
  mux.fail_all(make_error_code(client_errc::closed), "destroyed", dropper);
  for (Waiter* w : id_waiters)
    drop(w);
  for (Waiter* w : completed)
    drop(w);
  for (Waiter* w : inbox)
    drop(w);
}

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
  if (detail::runs_here(ex)) {
    c = co_await std::move(op);
  } else {
    c = co_await asio::co_spawn(ex, std::move(op), asio::use_awaitable);
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
    if (*timed_out) throw ClientError(make_error_code(client_errc::timeout), impl->close_reason);
    impl->open = true;
    impl->mux.note_activity(detail::Clock::now());
    asio::co_spawn(ex, Impl::read_loop(impl), asio::detached);
    co_await impl->handshake(keyspace, deadline);
  } catch (...) {
    failure = std::current_exception();
  }
  watchdog->cancel();
  if (failure) {
    impl->fail(make_error_code(client_errc::closed), "handshake failed");
    if (*timed_out) throw ClientError(make_error_code(client_errc::timeout), impl->close_reason);
    std::rethrow_exception(failure);
  }
  impl->handshake_done = true;
  impl->mux.set_heartbeat(impl->opt.heartbeat_interval, detail::Clock::now());
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
      co_await i->closed_signal.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  };
  if (detail::runs_here(impl->ex)) {
    co_await wait(impl);
  } else {
    co_await asio::co_spawn(impl->ex, wait(impl), asio::use_awaitable);
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
