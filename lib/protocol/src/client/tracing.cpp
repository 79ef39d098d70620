// Reading a request's trace back from system_traces.
#include "nosqlc/protocol/values.hpp"
#include "session_impl.hpp"

#include <asio/redirect_error.hpp>

namespace nosqlc::protocol {

asio::awaitable<QueryTrace> Session::read_trace(Uuid id, std::chrono::milliseconds max_wait) {
  const auto deadline = detail::deadline_after(max_wait);
  Bytes key;
  encode_uuid(id, key);
  StatementOptions one;
  one.consistency = Consistency::one;
  one.idempotent = true;
  auto pause = std::chrono::milliseconds(5);
  QueryTrace trace;
  for (;;) {
    std::vector<Value> values{Value::of(key)};
    QueryResult s = co_await query(
        "SELECT session_id, client, command, coordinator, duration, parameters, request, "
        "started_at FROM system_traces.sessions WHERE session_id = ?",
        values, one);
    const bool found = s.rows() && read_trace_session(*s.rows(), s.columns(), trace);
    if (found && trace.duration_us) break;
    if (std::chrono::steady_clock::now() + pause > deadline) {
      throw ClientError(make_error_code(client_errc::timeout),
                        std::string("trace ") + (found ? "still incomplete" : "not found") +
                            " after " + std::to_string(max_wait.count()) + " ms");
    }
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(pause);
    std::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    pause *= 2;
  }
  std::vector<Value> values{Value::of(key)};
  QueryResult e = co_await query(
      "SELECT event_id, activity, source, source_elapsed, thread FROM system_traces.events "
      "WHERE session_id = ?",
      values, one);
  if (e.rows()) trace.events = read_trace_events(*e.rows(), e.columns());
  co_return trace;
}

}  // namespace nosqlc::protocol
