// The session's prepared statements: one PREPARE per text and keyspace, shared by concurrent
// callers, and the re-PREPARE on a connection whose server forgot a statement.
#include "session_impl.hpp"

#include <asio/detached.hpp>

namespace nosqlc::protocol {
namespace {

std::string cache_key(std::string_view keyspace, std::string_view cql) {
  std::string key(keyspace);
  key += '\0';  // no keyspace name holds a NUL
  key += cql;
  return key;
}

}  // namespace

// Resumes once no set_keyspace is under way: until then connections differ in keyspace, and
// a statement prepared on one of them could belong to either.
asio::awaitable<void> Session::Impl::keyspace_settled() {
  while (keyspace_turn && !keyspace_turn->is_set()) {
    auto turn = keyspace_turn;
    co_await turn->wait();
  }
}

asio::awaitable<PreparedPtr> Session::Impl::prepare_on(Connection c, const std::string& cql,
                                                       std::string keyspace) {
  Prepare p;
  p.query = cql;
  auto reply = co_await c.request(p);
  const auto* result = std::get_if<Result>(&reply->message);
  const auto* pr = result ? std::get_if<PreparedResult>(result) : nullptr;
  if (pr == nullptr)
    throw_client(client_errc::unsupported_server, "PREPARE answered without an id");
  auto out = std::make_shared<Prepared>();
  out->query = cql;
  out->keyspace = std::move(keyspace);
  out->id.assign(pr->id.begin(), pr->id.end());
  out->metadata = pr->metadata;
  out->result_metadata = pr->result_metadata;
  out->result_metadata.paging_state.reset();
  // The partition key's columns name their table's keyspace (which the statement may name
  // rather than the session's): the replicas are that keyspace's.
  const auto& pk = out->metadata.pk_indices;
  const auto& cols = out->metadata.columns;
  if (!pk.empty() && pk[0] < cols.size()) {
    out->routing_keyspace = cols[pk[0]].keyspace;
  } else if (!cols.empty()) {  // for a routing key given with the statement
    out->routing_keyspace = cols[0].keyspace;
  }
  out->conditional = is_conditional_statement(cql);
  out->idempotent = is_select_statement(cql);
  co_return out;
}

asio::awaitable<PreparedPtr> Session::Impl::prepare(std::string cql) {
  co_await keyspace_settled();
  const std::string keyspace = opt.keyspace;
  const std::string key = cache_key(keyspace, cql);
  if (auto it = prepared.find(key); it != prepared.end()) {
    auto state = it->second;
    co_await state->done.wait();
    if (state->error) std::rethrow_exception(state->error);
    co_return state->prepared;
  }
  auto state = std::make_shared<PrepareState>(ex);
  prepared.emplace(key, state);
  prepared_count.store(prepared.size(), std::memory_order_relaxed);
  std::optional<Connection> first;
  try {
    first = co_await pick();
    state->prepared = co_await prepare_on(*first, cql, keyspace);
  } catch (...) {
    state->error = std::current_exception();
    prepared.erase(key);  // a later call tries again
    prepared_count.store(prepared.size(), std::memory_order_relaxed);
  }
  state->done.set();
  if (state->error) std::rethrow_exception(state->error);
  // Every other host learns it now, not on its first Unprepared; the caller need not wait.
  std::vector<Connection> others;
  for (auto& c : open_connections_now()) {
    if (c.endpoint() == first->endpoint()) continue;
    bool seen = false;
    for (const auto& o : others)
      seen = seen || o.endpoint() == c.endpoint();
    if (!seen) others.push_back(c);
  }
  if (!others.empty()) {
    asio::co_spawn(ex, prepare_elsewhere(shared_from_this(), std::move(others), cql, keyspace),
                   asio::detached);
  }
  co_return state->prepared;
}

asio::awaitable<void> Session::Impl::prepare_elsewhere(std::shared_ptr<Impl> self,
                                                       std::vector<Connection> hosts,
                                                       std::string cql, std::string keyspace) {
  for (auto& c : hosts) {
    try {
      (void)co_await self->prepare_on(c, cql, keyspace);
    } catch (const std::exception&) {  // that host prepares it on its first Unprepared
    }
  }
}

// Prepares the statements the session knows on `c`, the first connection to a host that is
// new or back (a restarted node has forgotten them): requests reach it once it knows them, so
// none meets Unprepared. Those prepared under another keyspace than the connection's, or that
// fail, are left to the lazy path.
asio::awaitable<void> Session::Impl::prepare_known(Connection c) {
  std::vector<std::pair<std::string, std::string>> known;  // text, keyspace
  for (const auto& [key, state] : prepared) {
    if (!state->done.is_set() || state->error || !state->prepared) continue;
    const auto& p = *state->prepared;
    if (p.keyspace.empty() || p.keyspace == opt.keyspace) known.emplace_back(p.query, p.keyspace);
  }
  for (const auto& [cql, keyspace] : known) {
    try {
      (void)co_await prepare_on(c, cql, keyspace);
    } catch (const CqlError&) {  // e.g. its table was dropped meanwhile
    }
  }
}

// PREPARE `cql` again on `c`, which answered Unprepared. Requests that hit Unprepared on one
// connection together (after a restart) share one PREPARE. A statement prepared under another
// keyspace cannot be prepared again faithfully (a v4 PREPARE has no keyspace): that is an
// error, not a silent switch of tables.
asio::awaitable<PreparedPtr> Session::Impl::reprepare(Connection c, PreparedPtr old) {
  co_await keyspace_settled();
  if (!old->keyspace.empty() && old->keyspace != opt.keyspace) {
    throw ClientError(make_error_code(errc::invalid_value),
                      "the server lost prepared statement \"" + old->query +
                          "\", prepared in keyspace \"" + old->keyspace +
                          "\", and the session now uses keyspace \"" + opt.keyspace +
                          "\": prepare it again");
  }
  const std::string& cql = old->query;
  const std::string key = cache_key(old->keyspace, cql);
  for (auto [it, end] = reprepares.equal_range(key); it != end; ++it) {
    if (!(it->second.connection == c)) continue;
    auto state = it->second.state;
    co_await state->done.wait();
    if (state->error) std::rethrow_exception(state->error);
    co_return state->prepared;
  }
  auto state = std::make_shared<PrepareState>(ex);
  auto entry = reprepares.emplace(key, Reprepare{c, state});
  try {
    state->prepared = co_await prepare_on(c, cql, old->keyspace);
  } catch (...) {
    state->error = std::current_exception();
  }
  reprepares.erase(entry);
  state->done.set();
  if (state->error) std::rethrow_exception(state->error);
  if (auto it = prepared.find(key);
      it != prepared.end() && it->second->done.is_set() && !it->second->error) {
    it->second->prepared = state->prepared;  // later prepare() calls get the fresh one
  }
  co_return state->prepared;
}

}  // namespace nosqlc::protocol
