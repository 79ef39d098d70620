#include "scripted_peer.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <unistd.h>

#if NOSQLC_WITH_TLS
#include <asio/ssl.hpp>
#endif

namespace nosqlc::test {
namespace {

using asio::use_awaitable;
using tcp = asio::ip::tcp;

Seen describe(const proto::FrameHeader& h, const proto::Request& req) {
  Seen s;
  s.opcode = h.opcode;
  s.stream = h.stream;
  s.compressed = (h.flags & proto::kFlagCompression) != 0;
  auto copy_values = [](const std::vector<proto::Value>& values) {
    std::vector<std::optional<proto::Bytes>> out;
    for (const auto& v : values) {
      if (v.kind == proto::Value::Kind::normal) {
        out.emplace_back(proto::Bytes(v.bytes.begin(), v.bytes.end()));
      } else {
        out.emplace_back(std::nullopt);
      }
    }
    return out;
  };
  auto take_params = [&](const proto::QueryParameters& p) {
    s.consistency = p.consistency;
    s.serial_consistency = p.serial_consistency;
    s.timestamp = p.default_timestamp;
    s.values = copy_values(p.values);
    if (p.paging_state) s.paging_state.emplace(p.paging_state->begin(), p.paging_state->end());
    s.page_size = p.page_size;
    s.skip_metadata = p.skip_metadata;
  };
  if (const auto* st = std::get_if<proto::Startup>(&req)) s.startup = st->options;
  if (const auto* q = std::get_if<proto::Query>(&req)) {
    s.text = std::string(q->query);
    take_params(q->params);
  }
  if (const auto* p = std::get_if<proto::Prepare>(&req)) s.text = std::string(p->query);
  if (const auto* e = std::get_if<proto::Execute>(&req)) {
    s.id.assign(e->id.begin(), e->id.end());
    take_params(e->params);
  }
  if (const auto* b = std::get_if<proto::Batch>(&req)) {
    s.batch_type = b->type;
    s.consistency = b->consistency;
    s.serial_consistency = b->serial_consistency;
    s.timestamp = b->default_timestamp;
    for (const auto& st : b->statements) {
      if (const auto* id = std::get_if<proto::BytesView>(&st.statement)) {
        s.batch_ids.emplace_back(id->begin(), id->end());
      } else {
        auto text = std::get<std::string_view>(st.statement);
        s.batch_ids.emplace_back(text.begin(), text.end());
      }
      s.batch_values.push_back(copy_values(st.values));
    }
  }
  if (const auto* a = std::get_if<proto::AuthResponse>(&req); a && a->token) {
    s.token.assign(a->token->begin(), a->token->end());
  }
  return s;
}

}  // namespace

struct ScriptedPeer::Core : std::enable_shared_from_this<ScriptedPeer::Core> {
  struct Conn;

  Core(asio::io_context& io, std::string addr) : ctx(io), address(std::move(addr)), acceptor(io) {}

  asio::io_context& ctx;
  std::string address;
  std::uint16_t port = 0;
  tcp::acceptor acceptor;
#if NOSQLC_WITH_TLS
  std::unique_ptr<asio::ssl::context> tls;
#endif
  std::vector<std::weak_ptr<Conn>> conns;
  proto::StringMultimap supported{{"CQL_VERSION", {"3.0.0"}}, {"PROTOCOL_VERSIONS", {"4/v4"}}};
  std::map<proto::Opcode, Handler> handlers;
  std::deque<std::pair<proto::Opcode, Handler>> expectations;
  bool silent = false;
  bool stopped = false;
  std::size_t accepted = 0;
  std::vector<Seen> seen;
  std::size_t system_reads = 0;
  bool script_system_reads = false;
  std::vector<std::size_t> frames_per_read;
  std::vector<std::uint8_t> sent_flags;
  std::vector<std::string> violations;
  asio::steady_timer restart_timer{ctx};

  void listen() {
    tcp::endpoint ep(asio::ip::make_address(address), port);
    acceptor.open(ep.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    asio::co_spawn(ctx, accept_loop(shared_from_this()), asio::detached);
  }

  void close_all();

  static asio::awaitable<void> accept_loop(std::shared_ptr<Core> self);
  void handle(const std::shared_ptr<Conn>& c, Seen s);
};

struct ScriptedPeer::Core::Conn : PeerConnection, std::enable_shared_from_this<Conn> {
  Conn(std::shared_ptr<Core> c, tcp::socket s, std::size_t i)
      : core(std::move(c)), socket(std::move(s)), index(i) {}

  std::shared_ptr<Core> core;
  tcp::socket socket;
#if NOSQLC_WITH_TLS
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls;
#endif
  std::size_t index;
  bool open = true;
  bool lz4 = false;
  std::deque<proto::Bytes> out;
  bool writing = false;

  void reply(std::int16_t stream, const proto::Response& r) override {
    send_raw(encode(stream, r));
  }
  void reply_after(std::chrono::milliseconds delay, std::int16_t stream,
                   const proto::Response& r) override {
    auto timer = std::make_shared<asio::steady_timer>(socket.get_executor(), delay);
    timer->async_wait([self = shared_from_this(), timer, bytes = encode(stream, r)](
                          std::error_code) mutable { self->send_raw(std::move(bytes)); });
  }
  void send_raw(proto::Bytes bytes) override {
    if (!open) return;
    if (bytes.size() > 1) core->sent_flags.push_back(bytes[1]);
    out.push_back(std::move(bytes));
    if (writing) return;
    writing = true;
    asio::co_spawn(socket.get_executor(), write_loop(shared_from_this()), asio::detached);
  }
  void close() override {
    open = false;
    std::error_code ignored;
    socket.close(ignored);
  }
  bool is_open() const override {
    return open;
  }
  bool compressing() const override {
    return lz4;
  }
  void set_compressing(bool on) override {
    lz4 = on;
  }

  proto::Bytes encode(std::int16_t stream, const proto::Response& r) const {
    proto::Bytes frame;
    proto::FrameOptions fo;
    fo.stream = stream;
    fo.compress = lz4;
    if (proto::Status st = proto::encode_response(r, frame, fo); !st) {
      core->violations.push_back("peer cannot encode its answer: " + st.message);
    }
    return frame;
  }

  static asio::awaitable<void> write_loop(std::shared_ptr<Conn> self) {
    while (self->open && !self->out.empty()) {
      proto::Bytes next = std::move(self->out.front());
      self->out.pop_front();
      std::error_code ec;
      co_await self->write_all(next, ec);
      if (ec) self->close();
    }
    self->writing = false;
  }

  asio::awaitable<void> write_all(const proto::Bytes& bytes, std::error_code& ec) {
#if NOSQLC_WITH_TLS
    if (tls) {
      co_await asio::async_write(*tls, asio::buffer(bytes),
                                 asio::redirect_error(use_awaitable, ec));
      co_return;
    }
#endif
    co_await asio::async_write(socket, asio::buffer(bytes),
                               asio::redirect_error(use_awaitable, ec));
  }

  asio::awaitable<std::size_t> read_some(proto::Bytes& buf, std::size_t have, std::error_code& ec) {
    auto b = asio::buffer(buf.data() + have, buf.size() - have);
#if NOSQLC_WITH_TLS
    if (tls) co_return co_await tls->async_read_some(b, asio::redirect_error(use_awaitable, ec));
#endif
    co_return co_await socket.async_read_some(b, asio::redirect_error(use_awaitable, ec));
  }

  static asio::awaitable<void> read_loop(std::shared_ptr<Conn> self) {
    std::error_code ec;
#if NOSQLC_WITH_TLS
    if (self->tls) {
      co_await self->tls->async_handshake(asio::ssl::stream_base::server,
                                          asio::redirect_error(use_awaitable, ec));
      if (ec) {
        self->close();
        co_return;
      }
    }
#endif
    proto::Bytes buf(64 * 1024);
    std::size_t have = 0;
    for (std::size_t reads = 0; self->open; ++reads) {
      std::size_t n = co_await self->read_some(buf, have, ec);
      if (ec || !self->open || self->core->stopped) break;
      have += n;
      std::size_t offset = 0;
      std::size_t frames = 0;
      while (self->open) {
        proto::FrameSlice frame;
        std::size_t needed = 0;
        proto::BytesView rest(buf.data() + offset, have - offset);
        if (proto::Status st = proto::split_frame(rest, frame, needed); !st) {
          self->core->violations.push_back("peer got a bad frame: " + st.message);
          self->close();
          co_return;
        }
        if (needed > 0) {
          if (buf.size() < have + needed) buf.resize(have + needed);
          break;
        }
        offset += frame.size();
        ++frames;
        self->on_frame(frame, reads);
      }
      self->core->frames_per_read.push_back(frames);
      std::memmove(buf.data(), buf.data() + offset, have - offset);
      have -= offset;
    }
    self->close();
  }

  void on_frame(const proto::FrameSlice& frame, std::size_t read) {
    proto::Bytes scratch;
    proto::FrameExtras extras;
    proto::BytesView message;
    proto::Request req;
    proto::Status st = proto::open_body(frame.header, frame.body, scratch, extras, message);
    if (st) st = proto::decode_request(frame.header, message, req);
    if (!st) {
      core->violations.push_back("peer cannot decode a request: " + st.message);
      return;
    }
    Seen s = describe(frame.header, req);
    s.connection = index;
    s.read = read;
    // A session's discovery reads system tables on its control connection: answered by
    // default (which is no rows: the session then routes by its contact points) and kept
    // out of what the script sees, unless a test scripts them.
    if (!core->script_system_reads && s.opcode == proto::Opcode::query &&
        s.text.starts_with("SELECT") && s.text.find(" FROM system") != std::string::npos) {
      ++core->system_reads;
      return ScriptedPeer::answer_default_impl(*core, shared_from_this(), s);
    }
    core->seen.push_back(s);
    core->handle(shared_from_this(), std::move(s));
  }
};

void ScriptedPeer::Core::close_all() {
  std::error_code ignored;
  acceptor.close(ignored);
  for (auto& w : conns) {
    if (auto c = w.lock()) c->close();
  }
  conns.clear();
}

asio::awaitable<void> ScriptedPeer::Core::accept_loop(std::shared_ptr<Core> self) {
  while (!self->stopped && self->acceptor.is_open()) {
    std::error_code ec;
    tcp::socket s = co_await self->acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    s.set_option(tcp::no_delay(true), ec);
    auto c = std::make_shared<Conn>(self, std::move(s), self->accepted++);
#if NOSQLC_WITH_TLS
    if (self->tls)
      c->tls = std::make_unique<asio::ssl::stream<tcp::socket&>>(c->socket, *self->tls);
#endif
    self->conns.push_back(c);
    asio::co_spawn(self->ctx, Conn::read_loop(c), asio::detached);
  }
}

void ScriptedPeer::Core::handle(const std::shared_ptr<Conn>& c, Seen s) {
  if (silent) return;
  PeerConnectionPtr conn = c;
  if (!expectations.empty()) {
    auto [op, h] = std::move(expectations.front());
    expectations.pop_front();
    if (op != s.opcode) {
      violations.push_back("expected " + std::string(proto::to_string(op)) + ", got " +
                           std::string(proto::to_string(s.opcode)));
    }
    if (h) return h(conn, s);
  } else if (auto it = handlers.find(s.opcode); it != handlers.end()) {
    return it->second(conn, s);
  }
  ScriptedPeer::answer_default_impl(*this, conn, s);
}

void ScriptedPeer::answer_default_impl(Core& core, const PeerConnectionPtr& c, const Seen& s) {
  using proto::Opcode;
  switch (s.opcode) {
    case Opcode::options:
      return c->reply(s.stream, proto::Supported{core.supported});
    case Opcode::startup: {
      c->reply(s.stream, proto::Ready{});
      auto it = s.startup.find("COMPRESSION");
      c->set_compressing(it != s.startup.end() && it->second == "lz4");
      return;
    }
    case Opcode::query:
      return c->reply(s.stream, proto::Result{proto::SetKeyspaceResult{s.text}});
    case Opcode::prepare: {
      proto::PreparedResult p;
      p.id = proto::BytesView(reinterpret_cast<const std::uint8_t*>(s.text.data()), s.text.size());
      return c->reply(s.stream, proto::Result{p});
    }
    case Opcode::register_:
      return c->reply(s.stream, proto::Ready{});
    case Opcode::auth_response:
      return c->reply(s.stream, proto::AuthSuccess{});
    default:
      return c->reply(s.stream, proto::Result{proto::VoidResult{}});
  }
}

ScriptedPeer::ScriptedPeer(asio::io_context& io, std::string address, std::optional<PeerTls> tls)
    : core_(std::make_shared<Core>(io, std::move(address))) {
  if (tls) {
#if NOSQLC_WITH_TLS
    core_->tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    core_->tls->use_certificate_chain_file(tls->cert_file);
    core_->tls->use_private_key_file(tls->key_file, asio::ssl::context::pem);
    if (!tls->client_ca_file.empty()) {
      core_->tls->load_verify_file(tls->client_ca_file);
      core_->tls->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
    }
#else
    throw std::logic_error("the scripted peer cannot listen with TLS: nosqlc built without TLS");
#endif
  }
  core_->listen();
}

ScriptedPeer::~ScriptedPeer() {
  stop();
}

proto::Endpoint ScriptedPeer::endpoint() const {
  return {core_->address, core_->port};
}

void ScriptedPeer::set_supported(proto::StringMultimap options) {
  core_->supported = std::move(options);
}
void ScriptedPeer::on(proto::Opcode op, Handler h) {
  core_->handlers[op] = std::move(h);
}
void ScriptedPeer::expect(proto::Opcode op, Handler h) {
  core_->expectations.emplace_back(op, std::move(h));
}
void ScriptedPeer::set_silent(bool silent) {
  core_->silent = silent;
}
void ScriptedPeer::answer_default(const PeerConnectionPtr& c, const Seen& s) {
  answer_default_impl(*core_, c, s);
}

void ScriptedPeer::restart(std::chrono::milliseconds down) {
  core_->close_all();
  if (down.count() == 0) return core_->listen();
  core_->restart_timer.expires_after(down);
  core_->restart_timer.async_wait([core = core_](std::error_code ec) {
    if (!ec && !core->stopped) core->listen();
  });
}

void ScriptedPeer::stop() {
  core_->stopped = true;
  core_->restart_timer.cancel();
  core_->close_all();
  // Handlers may refer to the test's locals: none runs after the test.
  core_->handlers.clear();
  core_->expectations.clear();
}

const std::vector<Seen>& ScriptedPeer::seen() const {
  return core_->seen;
}
std::size_t ScriptedPeer::count(proto::Opcode op) const {
  std::size_t n = 0;
  for (const auto& s : core_->seen)
    n += s.opcode == op;
  return n;
}
std::size_t ScriptedPeer::system_reads() const {
  return core_->system_reads;
}
void ScriptedPeer::script_system_reads(bool on) {
  core_->script_system_reads = on;
}
std::size_t ScriptedPeer::accepted() const {
  return core_->accepted;
}
std::size_t ScriptedPeer::open_connections() const {
  std::size_t n = 0;
  for (const auto& w : core_->conns) {
    if (auto c = w.lock(); c && c->open) ++n;
  }
  return n;
}
const std::vector<std::size_t>& ScriptedPeer::frames_per_read() const {
  return core_->frames_per_read;
}
const std::vector<std::uint8_t>& ScriptedPeer::sent_flags() const {
  return core_->sent_flags;
}
const std::vector<std::string>& ScriptedPeer::violations() const {
  return core_->violations;
}

// ---- Test helpers ----

void run(asio::io_context& io, std::function<asio::awaitable<void>()> body,
         std::chrono::milliseconds limit) {
  bool done = false;
  std::exception_ptr error;
  asio::co_spawn(io, body(), [&](std::exception_ptr e) {
    done = true;
    error = e;
  });
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_one_for(10ms);
  }
  if (!done) BOOST_FAIL("the test did not finish within " << limit.count() << " ms");
  // Let closing sockets and cancelled timers complete, within a bound.
  io.restart();
  io.run_for(200ms);
  if (error) std::rethrow_exception(error);
}

asio::awaitable<void> sleep(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(use_awaitable);
}

asio::awaitable<bool> eventually(std::function<bool()> cond, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!cond()) {
    if (std::chrono::steady_clock::now() >= deadline) co_return false;
    co_await sleep(2ms);
  }
  co_return true;
}

std::string keyspace_of(const proto::Response& r) {
  if (const auto* res = std::get_if<proto::Result>(&r)) {
    if (const auto* ks = std::get_if<proto::SetKeyspaceResult>(res)) return ks->keyspace;
  }
  return "<not a Set_keyspace result>";
}

const std::string& cert_dir() {
  static const std::string dir = [] {
    std::string d =
        (std::filesystem::temp_directory_path() / ("nosqlc-certs-" + std::to_string(::getpid())))
            .string();
    std::string cmd = std::string("bash '") + NOSQLC_MAKE_CERTS + "' '" + d + "' >/dev/null";
    if (std::system(cmd.c_str()) != 0) return std::string();
    // Removed when the process exits.
    static const struct Remove {
      std::string dir;
      ~Remove() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
      }
    } remove{d};
    return d;
  }();
  return dir;
}

}  // namespace nosqlc::test
