// The Session's API and its statements. Statements run on the caller's executor and go to a
// connection directly; what changes the session's shared state runs on its strand.
#include "nosqlc/protocol/client/session.hpp"

#include "nosqlc/protocol/cluster/murmur3.hpp"
#include "nosqlc/protocol/engine/handshake.hpp"
#include "session_impl.hpp"

#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/strand.hpp>

#include <algorithm>
#include <future>

namespace nosqlc::protocol {
namespace {

using asio::use_awaitable;
using Clock = std::chrono::steady_clock;

void require_statement(const PreparedPtr& p) {
  if (!p) throw ClientError(make_error_code(errc::invalid_value), "no prepared statement given");
}

}  // namespace

QueryResult::QueryResult(ReplyPtr reply, PreparedPtr prepared)
    : reply_(std::move(reply)), prepared_(std::move(prepared)) {
  const auto* r = std::get_if<Result>(&reply_->message);
  if (r == nullptr) throw_client(client_errc::unsupported_server, "answer is not a RESULT");
  result_ = r;
}

const std::vector<ColumnSpec>& QueryResult::columns() const noexcept {
  static const std::vector<ColumnSpec> none;
  const auto* rows = this->rows();
  if (rows == nullptr) return none;
  if (rows->metadata.no_metadata && prepared_) return prepared_->result_metadata.columns;
  return rows->metadata.columns;
}

std::optional<BytesView> QueryResult::paging_state() const noexcept {
  if (const auto* rows = this->rows()) return rows->metadata.paging_state;
  return std::nullopt;
}

Session::Impl::Impl(asio::any_io_executor strand_over, SessionOptions o,
                    std::shared_ptr<detail::IoThreads> io_threads)
    : threads(std::move(io_threads)),
      ex(asio::make_strand(std::move(strand_over))),
      opt(std::move(o)),
      log(opt.log_sink, opt.log_level),
      pool_signal(std::make_shared<detail::Signal>(ex)),
      timestamps([this](const std::string& warning) {
        log.warn("timestamps", warning);
        if (opt.on_warning) opt.on_warning(warning);
      }) {}

namespace {
// The statement's routing: the token of the routing key given with it, or of its partition key
// when every component is bound.
RouteHint route_of(const Prepared& p, std::span<const Value> values, const StatementOptions& o) {
  RouteHint hint;
  const auto& pk = p.metadata.pk_indices;
  const auto& given_key = o.routing_key;
  if (p.routing_keyspace.empty() || (!given_key && !o.routing_token && pk.empty())) return hint;
  hint.keyspace = p.routing_keyspace;
  hint.fixed_order = p.conditional;
  if (o.routing_token) {
    hint.token = o.routing_token;
  } else if (given_key) {
    hint.token = murmur3_token(*given_key);
  } else if (pk.size() == 1) {  // the common case, hashed in place
    if (pk[0] < values.size() && values[pk[0]].kind == Value::Kind::normal) {
      hint.token = murmur3_token(values[pk[0]].bytes);
    }
  } else if (auto key = routing_key(values, pk)) {
    hint.token = murmur3_token(*key);
  }
  return hint;
}
}  // namespace

QueryParameters Session::Impl::params_for(const StatementOptions& o, std::vector<Value> values,
                                          std::optional<BytesView> paging_state) {
  QueryParameters p;
  p.consistency = o.consistency.value_or(opt.consistency);
  p.serial_consistency = o.serial_consistency.value_or(opt.serial_consistency);
  p.values = std::move(values);
  std::int32_t page = o.page_size.value_or(opt.page_size);
  if (page > 0) p.page_size = page;
  p.paging_state = paging_state;
  p.default_timestamp = timestamp_for(o);
  p.trace = o.trace;
  return p;
}

std::optional<std::int64_t> Session::Impl::timestamp_for(const StatementOptions& o) {
  if (o.timestamp || !opt.client_timestamps) return o.timestamp;
  return timestamps.next();
}

asio::awaitable<QueryResult> Session::Impl::execute(std::shared_ptr<Impl> self, PreparedPtr p,
                                                    std::vector<Value> values, StatementOptions o,
                                                    std::optional<BytesView> paging) {
  require_statement(p);
  self->op_requests.fetch_add(1, std::memory_order_relaxed);
  const RouteHint hint = route_of(*p, values, o);
  // Built in the Request itself: passing an Execute would copy it (and its values) into one.
  Request request{std::in_place_type<Execute>};
  auto& e = std::get<Execute>(request);
  e.id = p->id;
  e.params = self->params_for(o, std::move(values), paging);
  // The rows' columns are known from PREPARE: the server need not send them each time.
  e.params.skip_metadata = !p->result_metadata.columns.empty();
  PreparedPtr statements[1] = {p};
  const Execution how = self->execution_for(o, p->idempotent);
  std::optional<Connection> c;
  std::exception_ptr failure;
  // One attempt first, without run()'s frame: the common case of an answer at once.
  if (!self->needs_run(how)) c = self->try_pick(hint);
  if (c) {
    try {
      auto reply = co_await c->request(request, how.attempt_timeout);
      if (!reply->extras.warnings.empty()) self->log_warnings(*reply, c->endpoint());
      co_return QueryResult(std::move(reply), p);
    } catch (...) {
      failure = std::current_exception();
    }
  }
  auto reply = co_await run(self, request, statements, hint, how, std::move(c), failure);
  co_return QueryResult(std::move(reply), statements[0]);
}

asio::awaitable<QueryResult> Session::Impl::batch(BatchType type,
                                                  std::vector<Session::BatchItem> items,
                                                  StatementOptions o) {
  for (const auto& item : items)
    require_statement(item.prepared);
  auto self = shared_from_this();
  op_requests.fetch_add(1, std::memory_order_relaxed);
  // Routed by its first statement, as the DataStax drivers do.
  const auto first = items.empty() ? RouteHint{} : route_of(*items[0].prepared, items[0].values, o);
  Request request{std::in_place_type<Batch>};
  auto& b = std::get<Batch>(request);
  b.type = type;
  b.consistency = o.consistency.value_or(opt.consistency);
  b.serial_consistency = o.serial_consistency.value_or(opt.serial_consistency);
  b.default_timestamp = timestamp_for(o);
  b.trace = o.trace;
  std::vector<PreparedPtr> statements;
  bool idempotent = true;
  for (auto& item : items) {
    b.statements.push_back(BatchStatement{BytesView(item.prepared->id), std::move(item.values)});
    idempotent = idempotent && item.prepared->idempotent;
    statements.push_back(std::move(item.prepared));
  }
  co_return QueryResult(co_await run(self, request, statements, first,
                                     execution_for(o, idempotent && !items.empty())));
}

asio::awaitable<void> Session::Impl::set_keyspace(std::string keyspace) {
  // One at a time, so that every connection ends on the last keyspace asked for.
  auto previous = std::exchange(keyspace_turn, std::make_shared<detail::Signal>(ex));
  detail::ScopeExit next_turn([mine = keyspace_turn] { mine->set(); });
  if (previous) co_await previous->wait();
  std::string use = use_statement(keyspace);
  Query q;
  q.query = use;
  q.params.consistency = Consistency::one;
  // The first USE checks the keyspace exists before anything changes.
  auto first = co_await pick();
  co_await first.request(q);
  opt.keyspace = keyspace;
  for (auto& c : open_connections_now()) {
    if (c == first || !c.is_open()) continue;
    try {
      co_await c.request(q);
    } catch (const std::exception&) {
      c.close();  // its slot reconnects, with the new keyspace
    }
  }
}

void Session::Impl::close_now() {
  if (closed.exchange(true)) return;
  close_pool();
}

asio::awaitable<std::shared_ptr<Session>> Session::connect(asio::any_io_executor ex,
                                                           SessionOptions options) {
  if (options.contact_points.empty()) {
    throw_client(client_errc::connection_error, "no contact points given");
  }
  if (options.pool_size == 0 || options.pool_size > 1024) {
    throw ClientError(make_error_code(errc::invalid_value),
                      "pool_size must be 1 to 1024, not " + std::to_string(options.pool_size));
  }
  if (options.io_threads > 64) {
    throw ClientError(make_error_code(errc::invalid_value),
                      "io_threads must be 0 to 64, not " + std::to_string(options.io_threads));
  }
  detail::check_options(options.connection);
  std::shared_ptr<detail::IoThreads> threads;
  if (options.io_threads > 0) {
    threads = std::make_shared<detail::IoThreads>(options.io_threads);
    ex = threads->executor(0);
  }
  auto impl = std::make_shared<Impl>(ex, std::move(options), std::move(threads));
  // Coroutine lambdas are named: g++ 12 destroys a temporary closure (and so its captures)
  // while the coroutine it started is still suspended.
  auto connect_first = [impl]() -> asio::awaitable<std::optional<Connection>> {
    std::string errors;
    for (std::size_t i = 0; i < impl->opt.contact_points.size(); ++i) {
      try {
        ConnectionOptions counted = impl->opt.connection;
        counted.counters = impl->counters_for(impl->opt.contact_points[i]);
        co_return co_await Connection::open(impl->executor_for(0), impl->opt.contact_points[i],
                                            std::move(counted), "", impl->control_events());
      } catch (const ClientError& e) {
        if (!errors.empty()) errors += "; ";
        errors += e.what();
        impl->log.warn("connection", std::string("cannot reach contact point: ") + e.what(),
                       to_string(impl->opt.contact_points[i]));
        if (impl->opt.contact_points.size() == 1) throw;
        if (i + 1 == impl->opt.contact_points.size()) {
          throw ClientError(e.code(), "no contact point reachable: " + errors);
        }
      }
    }
    co_return std::nullopt;
  };
  // The first connection reached becomes the control connection: it registers for events
  // and reads the cluster's hosts, to which the pools then connect.
  auto start = [impl, connect_first]() -> asio::awaitable<void> {
    auto c = co_await connect_first();
    impl->control = *c;
    try {
      Register r;
      r.events = {"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"};
      co_await c->request(r);
    } catch (const CqlError&) {  // a server without events: the periodic refresh remains
    }
    // A server whose system tables cannot be read is used through the contact points alone.
    const bool discovered = co_await impl->discover(*c);
    if (!discovered) impl->apply_contact_points();
    asio::co_spawn(impl->ex, Impl::control_loop(impl), asio::detached);
    impl->schedule_refresh(impl->opt.topology_refresh);
    // Usable once a pool connection is open (or with the reason none could be).
    (void)co_await impl->pick();
  };
  std::exception_ptr failure;
  try {
    co_await on_strand(impl->ex, start());
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    auto stop = [impl]() -> asio::awaitable<void> {
      impl->close_now();
      co_return;
    };
    co_await on_strand(impl->ex, stop());
    std::rethrow_exception(failure);
  }
  co_return std::shared_ptr<Session>(new Session(impl));
}

Session::~Session() {
  try {
    if (impl_->threads && !impl_->threads->runs_here()) {
      // Closed before returning, so that the loops run out of work once the last owner of
      // the session's state lets it go.
      std::promise<void> done;
      auto closed = done.get_future();
      asio::post(impl_->ex, [impl = impl_, &done] {
        impl->close_now();
        done.set_value();
      });
      closed.wait();
    } else {
      asio::post(impl_->ex, [impl = impl_] { impl->close_now(); });
    }
  } catch (...) {  // out of memory: the connections close when their peers do
  }
}

asio::awaitable<QueryResult> Session::query(std::string cql, std::vector<Value> values,
                                            StatementOptions options) {
  auto impl = impl_;
  impl->op_requests.fetch_add(1, std::memory_order_relaxed);
  Request request{std::in_place_type<Query>};
  auto& q = std::get<Query>(request);
  q.query = cql;
  q.params = impl->params_for(options, std::move(values), std::nullopt);
  co_return QueryResult(co_await Impl::run(impl, request, {}, {},
                                           impl->execution_for(options, is_select_statement(cql))));
}

asio::awaitable<PreparedPtr> Session::prepare(std::string cql) {
  auto impl = impl_;
  co_return co_await on_strand(impl->ex, impl->prepare(std::move(cql)));
}

asio::awaitable<QueryResult> Session::execute(PreparedPtr prepared, std::vector<Value> values,
                                              StatementOptions options) {
  return Impl::execute(impl_, std::move(prepared), std::move(values), options, std::nullopt);
}

asio::awaitable<QueryResult> Session::batch(BatchType type, std::vector<BatchItem> items,
                                            StatementOptions options) {
  auto impl = impl_;
  co_return co_await impl->batch(type, std::move(items), options);
}

asio::awaitable<void> Session::set_keyspace(std::string keyspace) {
  auto impl = impl_;
  co_await on_strand(impl->ex, impl->set_keyspace(std::move(keyspace)));
}

void Session::on_event(EventHandler handler, std::vector<std::string> event_types) {
  auto impl = impl_;
  asio::post(impl->ex, [impl, h = std::move(handler), types = std::move(event_types)]() mutable {
    impl->set_events(std::move(h), std::move(types));
  });
}

asio::awaitable<void> Session::close() {
  auto impl = impl_;
  auto op = [impl]() -> asio::awaitable<void> {
    impl->close_now();
    co_return;
  };
  co_await on_strand(impl->ex, op());
}

std::size_t Session::open_connections() const {
  return impl_->open_count.load(std::memory_order_relaxed);
}

asio::any_io_executor Session::get_executor() const noexcept {
  return impl_->ex;
}

}  // namespace nosqlc::protocol
