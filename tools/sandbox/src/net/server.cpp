// The sandbox's network half: listeners per node, one coroutine pair (read, write) per client
// connection on its own strand, fault injection, events, and node stop/restart.
#include "nosqlc/sandbox/server.hpp"

#include "nosqlc/sandbox/cluster.hpp"
#include "nosqlc/sandbox/executor.hpp"

#include <nosqlc/protocol/cluster/hosts.hpp>

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

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
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

}  // namespace

struct Node;
class ServerConnection;

// Runs cluster changes asked for through CQL (sandbox.nodes) one at a time on a thread of its
// own: they wait for connections to close, which the server's threads must stay free to do.
class AdminThread {
 public:
  AdminThread() : thread_([this] { run(); }) {}
  ~AdminThread() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    ready_.notify_one();
    thread_.join();
  }
  void post(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      ready_.wait(lock, [&] { return stop_ || !tasks_.empty(); });
      if (stop_) return;  // tasks not begun are dropped: their connections are closing
      auto task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the rest is built
};

protocol::Inet inet_of(const tcp::endpoint& ep) {
  protocol::Inet addr;
  if (ep.address().is_v4()) {
    auto bytes = ep.address().to_v4().to_bytes();
    addr.address.assign(bytes.begin(), bytes.end());
  } else {
    auto bytes = ep.address().to_v6().to_bytes();
    addr.address.assign(bytes.begin(), bytes.end());
  }
  addr.port = ep.port();
  return addr;
}

struct Server::Impl {
  explicit Impl(ServerOptions o) : opt(std::move(o)), control(asio::make_strand(io)) {}

  ServerOptions opt;
  asio::io_context io;
  Strand control;  // acceptors and node state changes
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  Store store;
  std::unique_ptr<Cluster> cluster;
  // Nodes by index, never removed before the server ends: slots below node_count are set
  // (written under topology_mutex, read by any thread).
  std::array<std::unique_ptr<Node>, Cluster::kMaxNodes> nodes;
  std::atomic<std::size_t> node_count{0};
  std::mutex topology_mutex;  // one node added, removed, stopped or restarted at a time
  std::uint16_t port = 0;
  std::optional<AdminThread> admin;
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
  Node& node(std::size_t i) const {
    if (i >= node_count.load()) throw std::out_of_range("no sandbox node " + std::to_string(i));
    return *nodes[i];
  }
  void stop_node(std::size_t i, bool announce);
  void restart_node(std::size_t i);
  std::size_t add_node(NodePlacement placement);
  void remove_node(std::size_t i);
  void set_faults(std::size_t i, const Faults& faults);
  // Carries out a change asked for through sandbox.nodes.
  void apply(const ControlAction& a);
};

struct Node {
  Node(Server::Impl& s, std::size_t i, tcp::endpoint ep)
      : server(s), index(i), endpoint(ep), executor(s.store, *s.cluster, i), acceptor(s.control) {
    context.executor = &executor;
    context.users = s.opt.users;
    context.max_frame = s.opt.max_frame;
    faults = i < s.opt.node_faults.size() ? s.opt.node_faults[i] : s.opt.faults;
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
  ServerConnection(Node& node, tcp::socket socket, protocol::Inet client)
      : node_(node),
        strand_(asio::make_strand(node.server.io)),
        stream_(std::move(socket)),
        handler_(node.context, std::move(client)),
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
      if (outcome.control) {
        // Answered once the change is made (not at all if it stops this very node).
        if (statement) ++statements_;
        control_then_answer(std::move(*outcome.control), frame.header.stream, std::move(out));
        return;
      }
    }
    if (statement) ++statements_;
    if (f.latency.count() > 0) {
      answer_later(std::move(out), f.latency);
    } else {
      enqueue(std::move(out));
    }
  }

  void control_then_answer(ControlAction action, std::int16_t stream, Bytes answer) {
    Server::Impl& server = node_.server;
    server.admin->post([self = shared_from_this(), &server, action = std::move(action), stream,
                        answer = std::move(answer)]() mutable {
      std::optional<std::string> failure;
      try {
        server.apply(action);
      } catch (const std::exception& e) {
        failure = e.what();
      }
      asio::post(self->strand_, [self, stream, failure = std::move(failure),
                                 answer = std::move(answer)]() mutable {
        if (failure) {
          answer.clear();
          self->handler_.error(
              stream, {protocol::ServerErrorCode::server_error, "sandbox.nodes: " + *failure, {}},
              answer);
        }
        self->enqueue(std::move(answer));
      });
    });
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
    protocol::Inet client;  // system_traces.sessions.client
    if (auto peer = socket.remote_endpoint(ignored); !ignored) {
      const asio::ip::address a = peer.address();
      if (a.is_v4()) {
        auto b = a.to_v4().to_bytes();
        client.address.assign(b.begin(), b.end());
      } else {
        auto b = a.to_v6().to_bytes();
        client.address.assign(b.begin(), b.end());
      }
      client.port = peer.port();
    }
    auto conn = std::make_shared<ServerConnection>(*node, std::move(socket), std::move(client));
    {
      std::lock_guard lock(node->mutex);
      std::erase_if(node->connections, [](const auto& w) { return w.expired(); });
      node->connections.push_back(conn);
    }
    conn->start();
  }
}

void Server::Impl::broadcast(const protocol::Event& e, std::optional<std::size_t> except_node) {
  const std::size_t count = node_count.load();
  for (std::size_t i = 0; i < count; ++i) {
    if (except_node && i == *except_node) continue;
    for (const auto& c : nodes[i]->live_connections())
      c->event_async(e);
  }
}

namespace {

// The endpoint of each node of `o`: the data centres' nodes on consecutive addresses from
// o.host, and their data centre and rack.
std::vector<std::pair<asio::ip::address, NodePlacement>> layout(const ServerOptions& o) {
  std::error_code ec;
  auto base = asio::ip::make_address(o.host, ec);
  if (ec) throw std::invalid_argument("not an IP address: " + o.host);
  std::vector<DataCentre> dcs = o.dcs;
  if (dcs.empty()) dcs.push_back({"datacenter1", o.nodes, 1});
  std::size_t total = 0;
  for (const DataCentre& dc : dcs) {
    if (dc.name.empty()) throw std::invalid_argument("a data centre needs a name");
    if (dc.nodes == 0) throw std::invalid_argument("data centre " + dc.name + " has no nodes");
    if (dc.racks == 0 || dc.racks > dc.nodes) {
      throw std::invalid_argument("data centre " + dc.name + " needs 1 to " +
                                  std::to_string(dc.nodes) + " racks");
    }
    for (const DataCentre& other : dcs) {
      if (&other != &dc && other.name == dc.name) {
        throw std::invalid_argument("data centre " + dc.name + " is given twice");
      }
    }
    total += dc.nodes;
  }
  if (total == 0 || total > Cluster::kMaxNodes) {
    throw std::invalid_argument("nodes must be between 1 and 254");
  }
  if (total > 1 && (!base.is_v4() || base.to_v4().to_bytes()[3] + total > 255)) {
    throw std::invalid_argument("several nodes need an IPv4 host whose last byte leaves room");
  }
  std::vector<std::pair<asio::ip::address, NodePlacement>> out;
  for (const DataCentre& dc : dcs) {
    for (std::size_t j = 0; j < dc.nodes; ++j) {
      asio::ip::address a = base;
      if (base.is_v4()) {
        auto b = base.to_v4().to_bytes();
        b[3] = static_cast<unsigned char>(b[3] + out.size());
        a = asio::ip::address(asio::ip::address_v4(b));
      }
      NodePlacement p;
      p.dc = dc.name;
      p.rack = "rack" + std::to_string(j % dc.racks + 1);
      out.emplace_back(a, std::move(p));
    }
  }
  return out;
}

}  // namespace

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl& s = *impl_;
  auto places = layout(s.opt);
  if (s.opt.num_tokens < 1 || s.opt.num_tokens > 256) {
    throw std::invalid_argument("num_tokens must be between 1 and 256");
  }
  if (s.opt.node_faults.size() > places.size()) {
    throw std::invalid_argument("node_faults has more entries than there are nodes");
  }
  if (!s.opt.tls_cert.empty() || !s.opt.tls_key.empty()) {
#if NOSQLC_WITH_TLS
    std::error_code ec;
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
  // With port 0 the first node picks a free port and the others take the same one; another
  // process may hold it on their address, so try again a few times.
  std::exception_ptr last;
  for (int attempt = 0; attempt < 20; ++attempt) {
    for (auto& n : s.nodes)
      n.reset();
    s.node_count = 0;
    s.port = s.opt.port;
    s.cluster.reset();
    try {
      // Bind the first to learn the port.
      tcp::acceptor probe(s.io);
      tcp::endpoint first(places[0].first, s.port);
      probe.open(first.protocol());
      probe.set_option(tcp::acceptor::reuse_address(true));
      probe.bind(first);
      s.port = probe.local_endpoint().port();
      probe.close();
      std::vector<NodePlacement> placements;
      for (auto& [address, p] : places) {
        p.address = inet_of(tcp::endpoint(address, s.port));
        placements.push_back(p);
      }
      s.cluster = std::make_unique<Cluster>(std::move(placements), s.opt.num_tokens);
      for (std::size_t i = 0; i < places.size(); ++i) {
        s.nodes[i] = std::make_unique<Node>(s, i, tcp::endpoint(places[i].first, s.port));
        s.node_count = i + 1;
        s.cluster->set_faults(i, s.nodes[i]->faults);
        s.nodes[i]->listen();
      }
      last = nullptr;
      break;
    } catch (const std::system_error&) {
      last = std::current_exception();
      if (s.opt.port != 0) break;
    }
  }
  if (last) std::rethrow_exception(last);
  s.admin.emplace();
  for (std::size_t i = 0; i < s.node_count; ++i)
    s.nodes[i]->accept();
  s.work.emplace(s.io.get_executor());
  for (std::size_t i = 0; i < std::max<std::size_t>(1, s.opt.threads); ++i)
    s.threads.emplace_back([&s] { s.io.run(); });
}

Server::~Server() {
  Impl& s = *impl_;
  s.admin.reset();  // finishes the change under way (it needs the threads below)
  s.on_control([&] {
    for (std::size_t i = 0; i < s.node_count; ++i) {
      Node& n = *s.nodes[i];
      n.running = false;
      std::error_code ignored;
      n.acceptor.close(ignored);
      for (auto& c : n.live_connections())
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
  return impl_->node_count.load();
}

ListenAddress Server::address(std::size_t node) const {
  const auto& ep = impl_->node(node).endpoint;
  return {ep.address().to_string(), ep.port()};
}

void Server::Impl::stop_node(std::size_t i, bool announce) {
  Node& n = node(i);
  bool was_running = false;
  on_control([&] {
    was_running = n.running;
    n.running = false;
    std::error_code ignored;
    n.acceptor.close(ignored);
  });
  for (auto& c : n.live_connections())
    c->close_and_wait();
  if (!was_running) return;
  cluster->set_up(i, false);
  if (announce) {
    broadcast(protocol::StatusChange{protocol::StatusChangeType::down, inet_of(n.endpoint)}, i);
  }
}

void Server::Impl::restart_node(std::size_t i) {
  Node& n = node(i);
  if (!cluster->info()->nodes[i].member) return;  // removed: it stays stopped
  bool started = false;
  on_control([&] {
    if (n.running) return;
    n.executor.forget_prepared();
    n.listen();
    n.accept();
    started = true;
  });
  if (!started) return;
  cluster->set_up(i, true);
  broadcast(protocol::StatusChange{protocol::StatusChangeType::up, inet_of(n.endpoint)}, i);
}

std::size_t Server::Impl::add_node(NodePlacement placement) {
  const std::size_t i = node_count.load();
  if (i >= Cluster::kMaxNodes) throw std::invalid_argument("the cluster has 254 nodes already");
  std::error_code ec;
  asio::ip::address address;
  if (placement.address.address.empty()) {  // the next address after the highest node's
    address = nodes[i - 1]->endpoint.address();
    if (!address.is_v4()) throw std::invalid_argument("an IPv6 cluster has one node only");
    auto b = address.to_v4().to_bytes();
    for (std::size_t k = 0; k < i; ++k) {
      auto other = nodes[k]->endpoint.address();
      if (other.is_v4()) b[3] = std::max(b[3], other.to_v4().to_bytes()[3]);
    }
    if (b[3] == 255) throw std::invalid_argument("no address left after " + address.to_string());
    b[3] = static_cast<unsigned char>(b[3] + 1);
    address = asio::ip::address_v4(b);
  } else {
    address = asio::ip::make_address(protocol::address_text(placement.address.address), ec);
    if (ec) throw std::invalid_argument("not an IP address");
  }
  for (std::size_t k = 0; k < i; ++k) {
    if (nodes[k]->endpoint.address() == address && cluster->info()->nodes[k].member) {
      throw std::invalid_argument("node " + address.to_string() + " is in the cluster already");
    }
  }
  tcp::endpoint ep(address, port);
  placement.address = inet_of(ep);
  auto node_ptr = std::make_unique<Node>(*this, i, ep);
  Node& n = *node_ptr;
  on_control([&] { n.listen(); });  // throws std::system_error before anything changed
  auto added = cluster->add(std::move(placement));
  if (!added || *added != i) throw std::logic_error("sandbox cluster out of step");
  nodes[i] = std::move(node_ptr);
  node_count = i + 1;
  cluster->set_faults(i, n.faults);
  on_control([&] { n.accept(); });
  broadcast(protocol::TopologyChange{protocol::TopologyChangeType::new_node, inet_of(ep)}, i);
  return i;
}

void Server::Impl::remove_node(std::size_t i) {
  Node& n = node(i);
  if (!cluster->info()->nodes[i].member) return;
  stop_node(i, false);
  cluster->remove(i);
  broadcast(
      protocol::TopologyChange{protocol::TopologyChangeType::removed_node, inet_of(n.endpoint)}, i);
}

// The node's own copy serves its connections; the cluster's, its executor and sandbox.nodes.
void Server::Impl::set_faults(std::size_t i, const Faults& faults) {
  Node& n = node(i);
  {
    std::lock_guard lock(n.mutex);
    n.faults = faults;
  }
  cluster->set_faults(i, faults);
}

void Server::Impl::apply(const ControlAction& a) {
  std::lock_guard lock(topology_mutex);
  switch (a.kind) {
    case ControlAction::Kind::update:
      set_faults(a.node, a.changed(node(a.node).current_faults()));
      if (a.up && *a.up) restart_node(a.node);
      if (a.up && !*a.up) stop_node(a.node, true);
      break;
    case ControlAction::Kind::add: {
      std::size_t i = add_node(a.placement);
      set_faults(i, a.changed(node(i).current_faults()));
      break;
    }
    case ControlAction::Kind::remove:
      remove_node(a.node);
      break;
  }
}

void Server::stop_node(std::size_t i) {
  std::lock_guard lock(impl_->topology_mutex);
  impl_->stop_node(i, true);
}

void Server::restart_node(std::size_t i) {
  std::lock_guard lock(impl_->topology_mutex);
  impl_->restart_node(i);
}

std::size_t Server::add_node(const std::string& dc, const std::string& rack,
                             const std::string& address) {
  if (dc.empty() || rack.empty()) throw std::invalid_argument("a node needs a dc and a rack");
  NodePlacement p;
  p.dc = dc;
  p.rack = rack;
  if (!address.empty()) {
    std::error_code ec;
    auto a = asio::ip::make_address(address, ec);
    if (ec) throw std::invalid_argument("not an IP address: " + address);
    p.address = inet_of(tcp::endpoint(a, 0));
  }
  std::lock_guard lock(impl_->topology_mutex);
  return impl_->add_node(std::move(p));
}

void Server::remove_node(std::size_t i) {
  std::lock_guard lock(impl_->topology_mutex);
  impl_->remove_node(i);
}

std::optional<std::size_t> Server::node_index(std::string_view address) const {
  std::error_code ec;
  auto a = asio::ip::make_address(address, ec);
  if (ec) return std::nullopt;
  // The newest first: an address removed and added again names its new node.
  for (std::size_t i = impl_->node_count.load(); i-- > 0;) {
    if (impl_->nodes[i]->endpoint.address() == a) return i;
  }
  return std::nullopt;
}

std::string Server::dc(std::size_t node) const {
  (void)impl_->node(node);
  return impl_->cluster->info()->nodes[node].dc;
}

std::string Server::rack(std::size_t node) const {
  (void)impl_->node(node);
  return impl_->cluster->info()->nodes[node].rack;
}

std::vector<std::string> Server::replicas(std::string_view keyspace, BytesView key) const {
  std::vector<std::string> out;
  auto ks = impl_->store.keyspace(keyspace);
  if (!ks) return out;
  for (std::size_t i :
       impl_->cluster->replicas(protocol::Replication::from_map(ks->replication), key))
    out.push_back(impl_->nodes[i]->endpoint.address().to_string());
  return out;
}

NodeStats Server::node_stats(std::size_t node) const {
  (void)impl_->node(node);
  return impl_->cluster->stats(node);
}

void Server::set_faults(std::size_t i, const Faults& faults) {
  impl_->set_faults(i, faults);
}

Faults Server::faults(std::size_t i) const {
  return impl_->node(i).current_faults();
}

std::size_t Server::connections(std::size_t i) const {
  std::size_t count = 0;
  for (const auto& c : impl_->node(i).live_connections())
    count += c->open();
  return count;
}

std::size_t Server::times_run(std::string_view text) const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < impl_->node_count.load(); ++i)
    n += impl_->nodes[i]->executor.times_run(text);
  return n;
}

std::size_t Server::times_run(std::string_view text, std::size_t node) const {
  return impl_->node(node).executor.times_run(text);
}

std::size_t Server::max_queued_bytes() const noexcept {
  return impl_->max_queued.load();
}

Store& Server::store() noexcept {
  return impl_->store;
}

}  // namespace nosqlc::sandbox
