#include "nosqlc/protocol/client/connection.hpp"

#include "internal.hpp"
#include "nosqlc/protocol/client/stream_ids.hpp"
#include "nosqlc/protocol/compression.hpp"
#include "nosqlc/protocol/read_buffer.hpp"

#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/detached.hpp>
#include <asio/dispatch.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#if NOSQLC_WITH_TLS
#include <openssl/x509v3.h>
#include <asio/ssl.hpp>
#endif

#include <algorithm>
#include <cstring>
#include <deque>

namespace nosqlc::protocol {
namespace {

using asio::use_awaitable;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kPasswordAuthenticators[] = {
    "org.apache.cassandra.auth.PasswordAuthenticator",
    "com.datastax.bdp.cassandra.auth.DseAuthenticator",
    "PasswordAuthenticator",
};

[[noreturn]] void throw_client(client_errc code, const std::string& message) {
  throw ClientError(make_error_code(code), message);
}

// One request waiting for its answer. Lives in the requesting coroutine's frame, which
// unregisters it on every exit (even when the frame is destroyed without resuming).
struct Pending {
  asio::steady_timer* timer = nullptr;
  ReplyPtr reply;
  std::error_code error;
  std::string error_message;
  bool done = false;
};

}  // namespace

struct Connection::Impl : std::enable_shared_from_this<Connection::Impl> {
  Impl(asio::any_io_executor executor, Endpoint ep, ConnectionOptions o, EventHandler handler)
      : ex(std::move(executor)),
        endpoint(std::move(ep)),
        opt(std::move(o)),
        on_event(std::move(handler)),
        resolver(ex),
        socket(ex),
        ids(opt.max_streams),
        pending(ids.capacity(), nullptr),
        closed_signal(ex, Clock::time_point::max()),
        heartbeat_timer(ex) {}

  asio::any_io_executor ex;
  Endpoint endpoint;
  ConnectionOptions opt;
  EventHandler on_event;
  tcp::resolver resolver;
  tcp::socket socket;
#if NOSQLC_WITH_TLS
  std::unique_ptr<asio::ssl::context> tls_context;
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls;
#endif
  StreamIds ids;
  std::vector<Pending*> pending;               // by stream id
  std::deque<asio::steady_timer*> id_waiters;  // requests waiting for a free stream id
  std::vector<std::shared_ptr<Bytes>> write_queue;
  bool writing = false;
  bool open = false;
  bool handshake_done = false;
  bool compress = false;
  std::string close_reason;
  bool closed_by_owner = false;  // close(), not the peer or a failure
  asio::steady_timer closed_signal;
  asio::steady_timer heartbeat_timer;
  Clock::time_point last_read = Clock::now();

  std::string where() const {
    return to_string(endpoint);
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
    socket.cancel(ignored);
    socket.close(ignored);
    for (auto& p : pending) {
      if (p == nullptr) continue;
      p->done = true;
      p->error = code;
      p->error_message = reason;
      p->timer->cancel();
      p = nullptr;
    }
    // No answer can arrive any more, so orphans are free too.
    ids.reset();
    for (auto* w : id_waiters)
      w->cancel();
    id_waiters.clear();
    heartbeat_timer.cancel();
    closed_signal.cancel();
  }

  void wake_one_id_waiter() {
    if (id_waiters.empty()) return;
    id_waiters.front()->cancel();
    id_waiters.pop_front();
  }

  void release_id(std::int16_t id) {
    ids.release(id);
    wake_one_id_waiter();
  }

  asio::awaitable<std::size_t> read_some(asio::mutable_buffer b, std::error_code& ec) {
#if NOSQLC_WITH_TLS
    if (tls) co_return co_await tls->async_read_some(b, asio::redirect_error(use_awaitable, ec));
#endif
    co_return co_await socket.async_read_some(b, asio::redirect_error(use_awaitable, ec));
  }

  asio::awaitable<void> write_all(const std::vector<asio::const_buffer>& bufs,
                                  std::error_code& ec) {
#if NOSQLC_WITH_TLS
    if (tls) {
      co_await asio::async_write(*tls, bufs, asio::redirect_error(use_awaitable, ec));
      co_return;
    }
#endif
    co_await asio::async_write(socket, bufs, asio::redirect_error(use_awaitable, ec));
  }

  // A lone frame leaves at once; frames queued while a write is in flight wait for it to end.
  void enqueue(std::shared_ptr<Bytes> frame) {
    write_queue.push_back(std::move(frame));
    if (writing) return;  // the running writer takes it with the next batch
    writing = true;
    asio::co_spawn(ex, write_loop(shared_from_this()), asio::detached);
  }

  // Frames queued while a write is in flight leave together in one gather write.
  static asio::awaitable<void> write_loop(std::shared_ptr<Impl> self) {
    std::vector<std::shared_ptr<Bytes>> batch;
    std::vector<asio::const_buffer> buffers;
    Bytes joined;
    try {
      while (self->open && !self->write_queue.empty()) {
        batch.swap(self->write_queue);
        buffers.clear();
#if NOSQLC_WITH_TLS
        // An SSL stream writes one buffer per record: join the batch so it leaves as one.
        if (self->tls && batch.size() > 1) {
          joined.clear();
          for (const auto& f : batch)
            joined.insert(joined.end(), f->begin(), f->end());
          buffers.emplace_back(joined.data(), joined.size());
        }
#endif
        if (buffers.empty()) {
          for (const auto& f : batch)
            buffers.emplace_back(f->data(), f->size());
        }
        std::error_code ec;
        co_await self->write_all(buffers, ec);
        batch.clear();
        if (ec) {
          self->fail(make_error_code(client_errc::connection_error),
                     "write to " + self->where() + " failed: " + ec.message());
        }
      }
    } catch (const std::exception& e) {
      self->fail(make_error_code(client_errc::connection_error),
                 "write to " + self->where() + " failed: " + e.what());
    }
    self->write_queue.clear();
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
    ReadBuffer buf;
    while (open) {
      std::size_t needed = 0;
      while (open) {
        FrameSlice frame;
        Status st = split_frame(buf.data(), frame, needed, opt.max_frame);
        if (!st) {
          auto code = st.code == make_error_code(errc::unsupported_version)
                          ? make_error_code(client_errc::unsupported_server)
                          : st.code;
          fail(code, "bad frame from " + where() + ": " + st.message + tls_hint(buf.data()));
          co_return;
        }
        if (needed > 0) break;
        dispatch(frame);
        buf.consume(frame.size());
      }
      if (!open) co_return;
      auto space = buf.prepare(needed);
      std::error_code ec;
      std::size_t n = co_await read_some(asio::buffer(space.data(), space.size()), ec);
      if (ec) {
        std::string why = ec == asio::error::eof
                              ? "connection closed by " + where() + eof_hint()
                              : "read from " + where() + " failed: " + ec.message();
        fail(make_error_code(client_errc::connection_error), why);
        co_return;
      }
      buf.commit(n);
      last_read = Clock::now();
    }
  }

  // A plaintext client talking to a TLS port gets a TLS record back (or just the close):
  // say what the likely cause is while the handshake has not completed.
  std::string tls_hint(BytesView received) const {
    if (opt.tls.enabled || handshake_done) return "";
    if (received.size() >= 2 && (received[0] == 0x15 || received[0] == 0x16) &&
        received[1] == 0x03) {
      return " (that is TLS: the server wants tls=true)";
    }
    return "";
  }
  std::string eof_hint() const {
    if (opt.tls.enabled || handshake_done) return "";
    return " during the handshake (a server that speaks only TLS does this to a plaintext "
           "client: try tls=true)";
  }

  void dispatch(const FrameSlice& frame) {
    auto reply = std::make_shared<Reply>();
    reply->header = frame.header;
    reply->body.assign(frame.body.begin(), frame.body.end());
    BytesView message;
    Status st = open_body(reply->header, reply->body, reply->scratch, reply->extras, message,
                          opt.max_frame);
    if (st) st = decode_response(reply->header, message, reply->message);

    std::int16_t stream = frame.header.stream;
    if (stream < 0) {
      if (st && on_event) {
        if (const auto* e = std::get_if<Event>(&reply->message)) {
          try {
            on_event(*e);
          } catch (...) {  // the handler's failure is its own, not the connection's
          }
        }
      }
      return;
    }
    if (!ids.in_use(stream)) {
      fail(make_error_code(client_errc::unsupported_server),
           "answer on unknown stream " + std::to_string(stream) + " from " + where());
      return;
    }
    if (ids.is_orphan(stream)) {  // the late answer of an abandoned request
      release_id(stream);
      return;
    }
    Pending* p = pending[static_cast<std::size_t>(stream)];
    pending[static_cast<std::size_t>(stream)] = nullptr;
    release_id(stream);
    if (p == nullptr) return;
    p->done = true;
    if (st) {
      p->reply = std::move(reply);
    } else {
      p->error = st.code;
      p->error_message = "bad answer from " + where() + ": " + st.message;
    }
    p->timer->cancel();
  }

  // Every id orphaned (or too many): nothing more can be sent, or the peer is not answering.
  void check_orphans() {
    if (ids.orphans() > opt.max_orphans || ids.orphans() >= ids.capacity()) {
      fail(make_error_code(client_errc::connection_error),
           "too many requests without answer on " + where());
    }
  }

  asio::awaitable<ReplyPtr> request(const Request& req, std::chrono::milliseconds timeout) {
    auto self = shared_from_this();
    const auto deadline = detail::deadline_after(timeout);
    // One timer serves the wait for a stream id (woken by cancel) and the wait for the answer.
    asio::steady_timer timer(ex, deadline);
    std::optional<std::int16_t> id;
    while (open && !(id = ids.acquire())) {
      if (Clock::now() >= deadline) {
        throw_client(client_errc::timeout, "no stream id free on " + where() + " within " +
                                               std::to_string(timeout.count()) + " ms");
      }
      id_waiters.push_back(&timer);
      bool resumed = false;
      detail::ScopeExit leave([this, &timer, &resumed] {
        std::erase(id_waiters, &timer);
        // Leaving abnormally (cancelled, frame destroyed): pass on a wake-up this waiter may
        // have been given, so that a free id does not sit unused.
        if (!resumed && ids.used() < ids.capacity()) wake_one_id_waiter();
      });
      std::error_code ec;
      co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
      resumed = true;
    }
    if (!open) {
      // Closed by its owner: `closed`, as for requests that were in flight then.
      throw_client(closed_by_owner ? client_errc::closed : client_errc::connection_error,
                   "connection to " + where() + " is closed: " + close_reason);
    }
    const auto stream = static_cast<std::size_t>(*id);
    auto frame = std::make_shared<Bytes>();
    FrameOptions fo;
    fo.stream = *id;
    fo.compress = compress;
    fo.max_body = opt.max_frame;
    if (Status st = encode_request(req, *frame, fo); !st) {
      release_id(*id);
      throw ClientError(st.code, "cannot encode request: " + st.message);
    }

    Pending p;
    p.timer = &timer;
    pending[stream] = &p;
    // Leaving without the answer (timeout, cancellation, a destroyed frame) orphans the id:
    // the late answer must not be taken for a newer request's.
    detail::ScopeExit unregister([this, stream, &p] {
      if (pending[stream] != &p) return;
      pending[stream] = nullptr;
      ids.orphan(static_cast<std::int16_t>(stream));
    });
    enqueue(std::move(frame));
    std::error_code ec;
    co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
    if (!p.done) {
      pending[stream] = nullptr;
      ids.orphan(static_cast<std::int16_t>(stream));
      check_orphans();
      if (ec == asio::error::operation_aborted) {
        throw ClientError(make_error_code(asio::error::operation_aborted),
                          "request to " + where() + " was cancelled");
      }
      throw_client(client_errc::timeout, "no answer from " + where() + " within " +
                                             std::to_string(timeout.count()) + " ms");
    }
    if (p.error) throw ClientError(p.error, p.error_message);
    if (const auto* err = std::get_if<ServerError>(&p.reply->message)) throw CqlError(*err);
    co_return std::move(p.reply);
  }

  static asio::awaitable<void> heartbeat_loop(std::shared_ptr<Impl> self) {
    const auto interval = self->opt.heartbeat_interval;
    try {
      while (self->open) {
        self->heartbeat_timer.expires_after(interval);
        std::error_code ec;
        co_await self->heartbeat_timer.async_wait(asio::redirect_error(use_awaitable, ec));
        if (!self->open) break;
        // Answers arriving show the peer is alive: only an idle connection is probed.
        if (Clock::now() - self->last_read < interval) continue;
        try {
          co_await self->request(Options{}, self->opt.request_timeout);
        } catch (const CqlError&) {  // an error answer is an answer
        } catch (const std::exception& e) {
          self->fail(make_error_code(client_errc::connection_error),
                     "heartbeat to " + self->where() + " unanswered: " + e.what());
        }
      }
    } catch (const std::exception& e) {
      self->fail(make_error_code(client_errc::connection_error),
                 std::string("heartbeat failed: ") + e.what());
    }
  }

  asio::awaitable<void> connect_transport() {
    std::error_code ec;
    auto results = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port),
                                                   asio::redirect_error(use_awaitable, ec));
    if (ec)
      throw_client(client_errc::connection_error,
                   "cannot resolve " + where() + ": " + ec.message());
    co_await asio::async_connect(socket, results, asio::redirect_error(use_awaitable, ec));
    if (ec)
      throw_client(client_errc::connection_error,
                   "cannot connect to " + where() + ": " + ec.message());
    socket.set_option(tcp::no_delay(true), ec);
    if (!opt.tls.enabled) co_return;
#if NOSQLC_WITH_TLS
    co_await tls_handshake();
#else
    throw_client(client_errc::connection_error, "TLS requested but nosqlc was built without TLS");
#endif
  }

#if NOSQLC_WITH_TLS
  asio::awaitable<void> tls_handshake() {
    std::error_code ec;
    tls_context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    tls_context->set_options(asio::ssl::context::default_workarounds |
                             asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                             asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    auto check = [&](const char* what, const std::string& file) {
      if (ec) {
        throw_client(client_errc::connection_error, std::string("TLS: cannot load ") + what +
                                                        " \"" + file + "\": " + ec.message());
      }
    };
    if (!opt.tls.ca_file.empty()) {
      tls_context->load_verify_file(opt.tls.ca_file, ec);
      check("CA file", opt.tls.ca_file);
    } else {
      tls_context->set_default_verify_paths(ec);
      check("default CA paths", "");
    }
    if (!opt.tls.cert_file.empty()) {
      tls_context->use_certificate_chain_file(opt.tls.cert_file, ec);
      check("certificate", opt.tls.cert_file);
      tls_context->use_private_key_file(opt.tls.key_file, asio::ssl::context::pem, ec);
      check("private key", opt.tls.key_file);
    }
    tls = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket, *tls_context);
    SSL* ssl = tls->native_handle();
    asio::ip::make_address(endpoint.host, ec);
    const bool is_ip = !ec;
    ec.clear();
    if (opt.tls.verify) {
      tls->set_verify_mode(asio::ssl::verify_peer);
      // OpenSSL checks the name itself, so a mismatch is reported as such.
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      int set =
          is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, endpoint.host.c_str())
                : X509_VERIFY_PARAM_set1_host(param, endpoint.host.c_str(), endpoint.host.size());
      if (set != 1) {
        throw_client(client_errc::connection_error,
                     "TLS: cannot verify host name \"" + endpoint.host + "\"");
      }
    } else {
      tls->set_verify_mode(asio::ssl::verify_none);
    }
    // SNI only for names; RFC 6066 forbids IP literals there.
    if (!is_ip) SSL_set_tlsext_host_name(ssl, endpoint.host.c_str());
    co_await tls->async_handshake(asio::ssl::stream_base::client,
                                  asio::redirect_error(use_awaitable, ec));
    if (ec) {
      std::string why = ec.message();
      if (long v = SSL_get_verify_result(ssl); opt.tls.verify && v != X509_V_OK) {
        why += std::string(" (") + X509_verify_cert_error_string(v) + ")";
      }
      throw_client(client_errc::connection_error,
                   "TLS handshake with " + where() + " failed: " + why);
    }
  }
#endif

  asio::awaitable<void> authenticate(const Authenticate& auth) {
    bool plain = std::find(std::begin(kPasswordAuthenticators), std::end(kPasswordAuthenticators),
                           auth.authenticator) != std::end(kPasswordAuthenticators);
    if (!plain) {
      throw_client(client_errc::authentication_error,
                   where() + " requires authenticator " + auth.authenticator +
                       ", which nosqlc does not support (only PasswordAuthenticator)");
    }
    if (!opt.credentials) {
      throw_client(client_errc::authentication_error,
                   where() + " requires authentication but no username and password were given");
    }
    // SASL PLAIN: authorization id (empty), NUL, user, NUL, password.
    Bytes token;
    token.push_back(0);
    token.insert(token.end(), opt.credentials->username.begin(), opt.credentials->username.end());
    token.push_back(0);
    token.insert(token.end(), opt.credentials->password.begin(), opt.credentials->password.end());
    ReplyPtr reply;
    try {
      reply = co_await request(AuthResponse{BytesView(token)}, opt.connect_timeout);
    } catch (const CqlError& e) {
      if (e.server_code() == ServerErrorCode::bad_credentials) {
        std::string hint =
            opt.credentials->password.empty()
                ? " (no password was given for user \"" + opt.credentials->username + "\")"
                : "";
        throw_client(client_errc::authentication_error,
                     "authentication to " + where() + " failed: " + e.server_message() + hint);
      }
      throw;
    }
    if (!std::holds_alternative<AuthSuccess>(reply->message)) {
      throw_client(client_errc::authentication_error,
                   "unexpected answer to PLAIN authentication from " + where());
    }
  }

  asio::awaitable<void> handshake(const std::string& keyspace) {
    ReplyPtr supported;
    try {
      supported = co_await request(Options{}, opt.connect_timeout);
    } catch (const CqlError& e) {
      if (e.server_code() == ServerErrorCode::protocol_error) {
        throw_client(client_errc::unsupported_server,
                     where() + " does not speak CQL protocol v4: " + e.server_message());
      }
      throw;
    }
    const auto* sup = std::get_if<Supported>(&supported->message);
    if (sup == nullptr) {
      throw_client(client_errc::unsupported_server, "unexpected answer to OPTIONS from " + where());
    }
    Startup startup;
    startup.options["CQL_VERSION"] = "3.0.0";
    bool use_lz4 = false;
    if (opt.compression && lz4_available()) {
      if (auto it = sup->options.find("COMPRESSION"); it != sup->options.end()) {
        use_lz4 = std::find(it->second.begin(), it->second.end(), "lz4") != it->second.end();
      }
    }
    if (use_lz4) startup.options["COMPRESSION"] = "lz4";
    ReplyPtr ready;
    try {
      ready = co_await request(startup, opt.connect_timeout);
    } catch (const CqlError& e) {
      if (e.server_code() == ServerErrorCode::protocol_error) {
        throw_client(client_errc::unsupported_server,
                     where() + " refused STARTUP: " + e.server_message());
      }
      throw;
    }
    // Every frame after STARTUP is compressed when lz4 was asked for (section 5).
    compress = use_lz4;
    if (const auto* auth = std::get_if<Authenticate>(&ready->message)) {
      co_await authenticate(*auth);
    } else if (!std::holds_alternative<Ready>(ready->message)) {
      throw_client(client_errc::unsupported_server, "unexpected answer to STARTUP from " + where());
    }
    if (!keyspace.empty()) {
      std::string use = detail::use_statement(keyspace);
      Query q;
      q.query = use;
      q.params.consistency = Consistency::one;
      co_await request(q, opt.request_timeout);
    }
  }
};

// What Connection copies share. The last copy to go closes the connection: its read and
// heartbeat loops hold only the Impl and would otherwise keep an abandoned socket open.
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
  auto impl =
      std::make_shared<Impl>(ex, std::move(endpoint), std::move(options), std::move(on_event));
  // The watchdog bounds resolving, connecting, TLS and the handshake together.
  auto timed_out = std::make_shared<bool>(false);
  auto watchdog = std::make_shared<asio::steady_timer>(ex);
  watchdog->expires_at(detail::deadline_after(impl->opt.connect_timeout));
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
    impl->last_read = Clock::now();
    asio::co_spawn(ex, Impl::read_loop(impl), asio::detached);
    co_await impl->handshake(keyspace);
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
  if (impl->opt.heartbeat_interval.count() > 0) {
    asio::co_spawn(ex, Impl::heartbeat_loop(impl), asio::detached);
  }
  co_return Connection(impl);
}

asio::awaitable<ReplyPtr> Connection::request(const Request& request,
                                              std::optional<std::chrono::milliseconds> timeout) {
  auto impl = impl_;  // the handle may go while the request runs
  co_return co_await impl->request(request, timeout.value_or(impl->opt.request_timeout));
}

void Connection::close() {
  impl_->fail(make_error_code(client_errc::closed), "closed by the client");
}

asio::awaitable<void> Connection::wait_closed() {
  auto impl = impl_;
  while (impl->open) {
    std::error_code ec;
    co_await impl->closed_signal.async_wait(asio::redirect_error(use_awaitable, ec));
  }
}

bool Connection::is_open() const noexcept {
  return impl_->open;
}
std::size_t Connection::in_flight() const noexcept {
  return impl_->ids.used();
}
bool Connection::compressed() const noexcept {
  return impl_->compress;
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
