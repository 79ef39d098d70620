// The sandbox's network half: listeners per node, one coroutine pair (read, write) per client
// connection on its own strand, fault injection, events, and node stop/restart.
#include "nosqlc/sandbox/server.hpp"

#include "nosqlc/sandbox/cluster.hpp"
#include "nosqlc/sandbox/executor.hpp"

#include <nosqlc/protocol/client/stream.hpp>
#include <nosqlc/protocol/engine/read_buffer.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#if NOSQLC_WITH_TLS
#include <asio/ssl.hpp>
#endif

#include <atomic>
#include <cstring>
#include <future>
#include <list>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

namespace nosqlc::sandbox {
namespace {

using asio::use_awaitable;
using tcp = asio::ip::tcp;
using Strand = asio::strand<asio::io_context::executor_type>;
using protocol::Bytes;
using protocol::BytesView;

// Past this many answer bytes waiting to be written, the connection stops reading: a client
// that floods requests without reading answers cannot make the server hold unbounded memory.
constexpr std::size_t kMaxQueuedBytes = std::size_t{8} * 1024 * 1024;
// Requests a connection processes before letting the others of its thread run.
constexpr std::size_t kFramesPerTurn = 32;

bool is_statement(protocol::Opcode op) {
  using protocol::Opcode;
  return op == Opcode::query || op == Opcode::prepare || op == Opcode::execute ||
         op == Opcode::batch;
}

protocol::ServerError fault_error(protocol::ServerErrorCode code) {
  using protocol::Consistency;
  using protocol::ServerErrorCode;
  switch (code) {
    case ServerErrorCode::unavailable:
      return {code, "Cannot achieve consistency level ONE",
              protocol::UnavailableError{Consistency::one, 1, 0}};
    case ServerErrorCode::read_timeout:
      return {code, "Operation timed out - received only 0 responses.",
              protocol::ReadTimeoutError{Consistency::one, 0, 1, false}};
    case ServerErrorCode::write_timeout:
      return {code, "Operation timed out - received only 0 responses.",
              protocol::WriteTimeoutError{Consistency::one, 0, 1, "SIMPLE"}};
    case ServerErrorCode::overloaded:
      return {code, "Server is in overloaded state. Cannot accept more requests at this point", {}};
    default:
      return {code, "injected error", {}};
  }
}

}  // namespace

struct Node;
class ServerConnection;

struct Server::Impl {
  explicit Impl(ServerOptions o) : opt(std::move(o)), control(asio::make_strand(io)) {}

  ServerOptions opt;
  asio::io_context io;
  Strand control;  // acceptors and node state changes
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  Store store;
  std::unique_ptr<Cluster> cluster;
  std::vector<std::unique_ptr<Node>> nodes;
  std::uint16_t port = 0;
  std::atomic<std::size_t> max_queued{0};  // over every connection, for tests
#if NOSQLC_WITH_TLS
  std::unique_ptr<asio::ssl::context> tls;
#endif

  // Runs `f` on the control strand and waits for it.
  template <class F>
  void on_control(F f) {
    std::promise<void> done;
    asio::post(control, [&] {
      try {
        f();
        done.set_value();
      } catch (...) {
        done.set_exception(std::current_exception());
      }
    });
    done.get_future().get();
  }

  void broadcast(const protocol::Event& e, std::optional<std::size_t> except_node);
};

struct Node {
  Node(Server::Impl& s, std::size_t i, tcp::endpoint ep)
      : server(s), index(i), endpoint(ep), executor(s.store, *s.cluster, i), acceptor(s.control) {
    context.executor = &executor;
    context.users = s.opt.users;
    context.max_frame = s.opt.max_frame;
    faults = s.opt.faults;
  }

  Server::Impl& server;
  std::size_t index;
  tcp::endpoint endpoint;
  Executor executor;
  NodeContext context;
  tcp::acceptor acceptor;  // used on the control strand only
  bool running = false;

  mutable std::mutex mutex;  // guards faults and connections
  Faults faults;
  std::list<std::weak_ptr<ServerConnection>> connections;

  Faults current_faults() const {
    std::lock_guard lock(mutex);
    return faults;
  }
  std::vector<std::shared_ptr<ServerConnection>> live_connections() const {
    std::lock_guard lock(mutex);
    std::vector<std::shared_ptr<ServerConnection>> out;
    for (const auto& w : connections) {
      if (auto c = w.lock()) out.push_back(std::move(c));
    }
    return out;
  }

  // Binds and listens (on the control strand, or before the threads start).
  void listen();
  // Starts accepting connections after listen().
  void accept();
  static asio::awaitable<void> accept_loop(Node* node);
};

class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
 public:
  ServerConnection(Node& node, tcp::socket socket)
      : node_(node),
        strand_(asio::make_strand(node.server.io)),
        stream_(std::move(socket)),
        handler_(node.context),
        resume_(strand_),
        rng_(std::random_device{}()) {}

  void start() { asio::co_spawn(strand_, read_loop(shared_from_this()), asio::detached); }

  // Thread-safe: closes on the connection's strand.
  void close_async() {
    asio::post(strand_, [self = shared_from_this()] { self->close(); });
  }
  // Closes and waits until it is closed; not from the server's own threads.
  void close_and_wait() {
    std::promise<void> done;
    asio::post(strand_, [self = shared_from_this(), &done] {
      self->close();
      done.set_value();
    });
    done.get_future().wait();
  }
  void event_async(const protocol::Event& e) {
    asio::post(strand_, [self = shared_from_this(), e] {
      if (self->closed_) return;
      Bytes out;
      if (self->handler_.event(e, out)) self->enqueue(std::move(out));
    });
  }
  bool open() const { return !closed_; }

 private:
  void close() {
    if (closed_) return;
    closed_ = true;
    stream_.close();
    resume_.cancel();
  }

  void enqueue(Bytes frame) {
    if (closed_ || frame.empty()) return;
    queued_bytes_ += frame.size();
    auto& most = node_.server.max_queued;
    for (auto m = most.load();
         m < queued_bytes_ && !most.compare_exchange_weak(m, queued_bytes_);) {
    }
    queue_.push_back(std::move(frame));
    if (writing_) return;
    writing_ = true;
    asio::co_spawn(strand_, write_loop(shared_from_this()), asio::detached);
  }

  static asio::awaitable<void> write_loop(std::shared_ptr<ServerConnection> self) {
    std::vector<Bytes> batch;
    std::vector<asio::const_buffer> buffers;
    while (!self->closed_ && !self->queue_.empty()) {
      batch.swap(self->queue_);
      buffers.clear();
      std::size_t bytes = 0;
      for (const auto& f : batch) {
        buffers.emplace_back(f.data(), f.size());
        bytes += f.size();
      }
      std::error_code ec;
      co_await self->stream_.write(buffers, ec);
      batch.clear();
      self->queued_bytes_ -= bytes;
      if (self->queued_bytes_ < kMaxQueuedBytes / 2) self->resume_.cancel();
      if (ec) self->close();
    }
    self->writing_ = false;
    if (self->close_when_written_) self->close();
  }

  // Resumes once the answers waiting to be written are under the limit (or it is closed).
  asio::awaitable<void> writes_drained() {
    while (!closed_ && queued_bytes_ > kMaxQueuedBytes) {
      resume_.expires_at(asio::steady_timer::time_point::max());
      std::error_code ec;
      co_await resume_.async_wait(asio::redirect_error(use_awaitable, ec));
    }
  }

  void answer_later(Bytes out, std::chrono::milliseconds delay) {
    auto self = shared_from_this();
    auto timer = std::make_shared<asio::steady_timer>(strand_);
    timer->expires_after(delay);
    timer->async_wait([self, timer, out = std::move(out)](std::error_code) mutable {
      self->enqueue(std::move(out));
    });
  }

  void process(const protocol::FrameSlice& frame) {
    const Faults f = node_.current_faults();
    if (f.silent) return;
    const bool statement = is_statement(frame.header.opcode) && handler_.ready();
    if (statement && f.close_after != 0 && statements_ >= f.close_after) {
      close();
      return;
    }
    Bytes out;
    const bool data = frame.header.opcode == protocol::Opcode::execute ||
                      frame.header.opcode == protocol::Opcode::batch;
    if (statement && data && f.error &&
        std::uniform_real_distribution<double>(0, 1)(rng_) < f.error_share) {
      handler_.error(frame.header.stream, fault_error(*f.error), out);
    } else {
      auto outcome = handler_.handle(frame, out);
      if (outcome.schema_change) node_.server.broadcast(*outcome.schema_change, std::nullopt);
      if (outcome.close) close_when_written_ = true;
    }
    if (statement) ++statements_;
    if (f.latency.count() > 0) {
      answer_later(std::move(out), f.latency);
    } else {
      enqueue(std::move(out));
    }
  }

  static asio::awaitable<void> read_loop(std::shared_ptr<ServerConnection> self) {
#if NOSQLC_WITH_TLS
    if (auto* ctx = self->node_.server.tls.get()) {
      auto& tls = self->stream_.start_tls(*ctx);
      std::error_code ec;
      co_await tls.async_handshake(asio::ssl::stream_base::server,
                                   asio::redirect_error(use_awaitable, ec));
      if (ec) {
        self->close();
        co_return;
      }
    }
#endif
    protocol::ReadBuffer buf;
    const std::size_t max_frame = self->node_.context.max_frame;
    while (!self->closed_) {
      std::size_t needed = 0;
      std::size_t processed = 0;
      while (!self->closed_ && !self->close_when_written_) {
        protocol::FrameSlice frame;
        protocol::Status st = protocol::split_frame(buf.data(), frame, needed, max_frame);
        if (!st.ok()) {
          Bytes out;
          self->handler_.reject(frame.header, st, out);
          self->close_when_written_ = true;
          self->enqueue(std::move(out));
          break;
        }
        if (needed > 0) break;
        self->process(frame);
        buf.consume(frame.size());
        // Between requests already read, not only between reads: answers that back up stop
        // the processing until the client reads them (a 64 KiB read holds a thousand small
        // requests), and a burst yields now and then to the other connections of its thread.
        if (self->queued_bytes_ > kMaxQueuedBytes) {
          co_await self->writes_drained();
        } else if (++processed % kFramesPerTurn == 0) {
          co_await asio::post(self->strand_, use_awaitable);
        }
      }
      if (self->closed_ || self->close_when_written_) break;
      auto space = buf.prepare(needed);
      co_await self->writes_drained();
      std::error_code ec;
      std::size_t n =
          co_await self->stream_.read_some(asio::buffer(space.data(), space.size()), ec);
      if (ec) {
        self->close();
        break;
      }
      buf.commit(n);
    }
    if (!self->writing_ && self->close_when_written_) self->close();
  }

  Node& node_;
  Strand strand_;
  protocol::Stream stream_;
  ConnectionHandler handler_;
  asio::steady_timer resume_;
  std::minstd_rand rng_;
  std::vector<Bytes> queue_;
  std::size_t queued_bytes_ = 0;
  std::size_t statements_ = 0;
  bool writing_ = false;
  std::atomic<bool> closed_{false};  // read by connections() from other threads
  bool close_when_written_ = false;
};

void Node::listen() {
  acceptor.open(endpoint.protocol());
  acceptor.set_option(tcp::acceptor::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen();
}

void Node::accept() {
  running = true;
  asio::co_spawn(server.control, accept_loop(this), asio::detached);
}

asio::awaitable<void> Node::accept_loop(Node* node) {
  while (node->running) {
    std::error_code ec;
    tcp::socket socket = co_await node->acceptor.async_accept(
        node->server.io.get_executor(), asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (!node->running || ec == asio::error::operation_aborted) break;
      continue;  // e.g. too many open files: keep serving the others
    }
    std::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto conn = std::make_shared<ServerConnection>(*node, std::move(socket));
    {
      std::lock_guard lock(node->mutex);
      std::erase_if(node->connections, [](const auto& w) { return w.expired(); });
      node->connections.push_back(conn);
    }
    conn->start();
  }
}

void Server::Impl::broadcast(const protocol::Event& e, std::optional<std::size_t> except_node) {
  for (const auto& n : nodes) {
    if (except_node && n->index == *except_node) continue;
    for (const auto& c : n->live_connections())
      c->event_async(e);
  }
}

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl& s = *impl_;
  if (s.opt.nodes == 0 || s.opt.nodes > 254) {
    throw std::invalid_argument("nodes must be between 1 and 254");
  }
  std::error_code ec;
  auto base = asio::ip::make_address(s.opt.host, ec);
  if (ec) throw std::invalid_argument("not an IP address: " + s.opt.host);
  if (s.opt.nodes > 1 && (!base.is_v4() || base.to_v4().to_bytes()[3] + s.opt.nodes > 255)) {
    throw std::invalid_argument("several nodes need an IPv4 host whose last byte leaves room");
  }
  if (!s.opt.tls_cert.empty() || !s.opt.tls_key.empty()) {
#if NOSQLC_WITH_TLS
    if (s.opt.tls_cert.empty() || s.opt.tls_key.empty()) {
      throw std::invalid_argument("TLS needs both a certificate and a key");
    }
    s.tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    s.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3);
    s.tls->use_certificate_chain_file(s.opt.tls_cert, ec);
    if (ec) throw std::invalid_argument("cannot load certificate " + s.opt.tls_cert);
    s.tls->use_private_key_file(s.opt.tls_key, asio::ssl::context::pem, ec);
    if (ec) throw std::invalid_argument("cannot load private key " + s.opt.tls_key);
#else
    throw std::invalid_argument("TLS requested but nosqlc was built without TLS");
#endif
  }
  auto address_of = [&](std::size_t i) {
    if (!base.is_v4()) return base;
    auto b = base.to_v4().to_bytes();
    b[3] = static_cast<unsigned char>(b[3] + i);
    return asio::ip::address(asio::ip::address_v4(b));
  };
  // With port 0 the first node picks a free port and the others take the same one; another
  // process may hold it on their address, so try again a few times.
  std::exception_ptr last;
  for (int attempt = 0; attempt < 20; ++attempt) {
    s.nodes.clear();
    s.port = s.opt.port;
    s.cluster.reset();
    try {
      std::vector<tcp::endpoint> eps;
      for (std::size_t i = 0; i < s.opt.nodes; ++i)
        eps.emplace_back(address_of(i), s.port);
      // Bind the first to learn the port.
      tcp::acceptor probe(s.io);
      probe.open(eps[0].protocol());
      probe.set_option(tcp::acceptor::reuse_address(true));
      probe.bind(eps[0]);
      s.port = probe.local_endpoint().port();
      probe.close();
      s.cluster = std::make_unique<Cluster>(s.opt.nodes, s.port);
      for (std::size_t i = 0; i < s.opt.nodes; ++i) {
        s.nodes.push_back(std::make_unique<Node>(s, i, tcp::endpoint(address_of(i), s.port)));
        s.nodes.back()->listen();
      }
      last = nullptr;
      break;
    } catch (const std::system_error&) {
      last = std::current_exception();
      if (s.opt.port != 0) break;
    }
  }
  if (last) std::rethrow_exception(last);
  for (auto& n : s.nodes)
    n->accept();
  s.work.emplace(s.io.get_executor());
  for (std::size_t i = 0; i < std::max<std::size_t>(1, s.opt.threads); ++i)
    s.threads.emplace_back([&s] { s.io.run(); });
}

Server::~Server() {
  Impl& s = *impl_;
  s.on_control([&] {
    for (auto& n : s.nodes) {
      n->running = false;
      std::error_code ignored;
      n->acceptor.close(ignored);
      for (auto& c : n->live_connections())
        c->close_async();
    }
  });
  s.work.reset();
  // Connections finish closing on their own strands; then nothing is left to run.
  for (auto& t : s.threads)
    t.join();
}

std::uint16_t Server::port() const noexcept {
  return impl_->port;
}

std::size_t Server::node_count() const noexcept {
  return impl_->nodes.size();
}

ListenAddress Server::address(std::size_t node) const {
  const auto& ep = impl_->nodes.at(node)->endpoint;
  return {ep.address().to_string(), ep.port()};
}

void Server::stop_node(std::size_t i) {
  Impl& s = *impl_;
  Node& n = *s.nodes.at(i);
  bool was_running = false;
  s.on_control([&] {
    was_running = n.running;
    n.running = false;
    std::error_code ignored;
    n.acceptor.close(ignored);
  });
  for (auto& c : n.live_connections())
    c->close_and_wait();
  if (!was_running) return;
  s.cluster->set_up(i, false);
  protocol::Inet addr;
  auto b = n.endpoint.address();
  if (b.is_v4()) {
    auto bytes = b.to_v4().to_bytes();
    addr.address.assign(bytes.begin(), bytes.end());
  } else {
    auto bytes = b.to_v6().to_bytes();
    addr.address.assign(bytes.begin(), bytes.end());
  }
  addr.port = n.endpoint.port();
  s.broadcast(protocol::StatusChange{protocol::StatusChangeType::down, addr}, i);
}

void Server::restart_node(std::size_t i) {
  Impl& s = *impl_;
  Node& n = *s.nodes.at(i);
  bool started = false;
  s.on_control([&] {
    if (n.running) return;
    n.executor.forget_prepared();
    n.listen();
    n.accept();
    started = true;
  });
  if (!started) return;
  s.cluster->set_up(i, true);
  protocol::Inet addr;
  if (n.endpoint.address().is_v4()) {
    auto bytes = n.endpoint.address().to_v4().to_bytes();
    addr.address.assign(bytes.begin(), bytes.end());
  } else {
    auto bytes = n.endpoint.address().to_v6().to_bytes();
    addr.address.assign(bytes.begin(), bytes.end());
  }
  addr.port = n.endpoint.port();
  s.broadcast(protocol::StatusChange{protocol::StatusChangeType::up, addr}, i);
}

void Server::set_faults(std::size_t i, const Faults& faults) {
  Node& n = *impl_->nodes.at(i);
  std::lock_guard lock(n.mutex);
  n.faults = faults;
}

std::size_t Server::connections(std::size_t i) const {
  std::size_t count = 0;
  for (const auto& c : impl_->nodes.at(i)->live_connections())
    count += c->open();
  return count;
}

std::size_t Server::times_run(std::string_view text) const {
  std::size_t n = 0;
  for (const auto& node : impl_->nodes)
    n += node->executor.times_run(text);
  return n;
}

std::size_t Server::max_queued_bytes() const noexcept {
  return impl_->max_queued.load();
}

Store& Server::store() noexcept {
  return impl_->store;
}

}  // namespace nosqlc::sandbox
