// The attempts of one operation: retries by the retry policy, the operation's deadline, and
// speculative executions racing on several hosts.
#include "session_impl.hpp"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/redirect_error.hpp>
#include <asio/strand.hpp>

#include <algorithm>

namespace nosqlc::protocol {
namespace {

using Clock = std::chrono::steady_clock;

std::string message_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const CqlError& err) {
    return std::string(to_string(err.server_code())) + ": " + err.what();
  } catch (const std::exception& err) {
    return err.what();
  } catch (...) {
    return "unknown error";
  }
}

bool is_timeout(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const ClientError& err) {
    return err.code() == client_errc::timeout;
  } catch (...) {
    return false;
  }
}

// Throws `failure`, with the attempts named when there were several, and the host for a
// failure of the client's own (a server's error is left as the server worded it).
[[noreturn]] void fail(const std::exception_ptr& failure, const Attempts& tries,
                       const std::string& why = {}) {
  try {
    std::rethrow_exception(failure);
  } catch (ClientError& e) {
    if (tries.count > 1 || !why.empty()) {
      e.append(" (" + (why.empty() ? std::string() : why + "; ") + std::to_string(tries.count) +
               (tries.count == 1 ? " attempt: " : " attempts: ") + tries.log + ")");
    } else if (dynamic_cast<CqlError*>(&e) == nullptr && !tries.used.empty()) {
      e.append(" (host " + to_string(tries.used.back()) + ")");
    }
    throw;
  }
}

// The prepared ids `request` refers to, pointed at the statement `fresh` replaces.
void repoint(Request& request, const Bytes& old_id, const PreparedPtr& fresh) {
  if (auto* e = std::get_if<Execute>(&request)) {
    e->id = fresh->id;
  } else if (auto* b = std::get_if<Batch>(&request)) {
    for (auto& s : b->statements) {
      if (auto* id = std::get_if<BytesView>(&s.statement);
          id && std::equal(id->begin(), id->end(), old_id.begin(), old_id.end())) {
        *id = fresh->id;
      }
    }
  }
}

}  // namespace

Execution Session::Impl::execution_for(const StatementOptions& o, bool idempotent) const {
  Execution how;
  how.idempotent = o.idempotent.value_or(idempotent);
  how.attempt_timeout = o.timeout;
  const auto d = o.deadline.value_or(opt.deadline);
  if (d.count() > 0) how.deadline = detail::deadline_after(d);
  return how;
}

asio::awaitable<ReplyPtr> Session::Impl::run(std::shared_ptr<Impl> self, Request& request,
                                             std::span<PreparedPtr> statements, RouteHint hint,
                                             Execution how, std::optional<Connection> c,
                                             std::exception_ptr failure) {
  Clock::time_point started;
  if (self->opt.tracker) {
    how.id = self->op_ids.fetch_add(1, std::memory_order_relaxed) + 1;
    started = Clock::now();
    self->track_start(how.id, request, statements);
  }
  std::exception_ptr outcome;
  try {
    ReplyPtr reply;
    if (!failure && how.idempotent && self->opt.speculative_max > 0) {
      reply = co_await race(self, request, {statements.begin(), statements.end()}, hint, how);
    } else {
      Attempts tries;
      if (c) {
        tries.used.push_back(c->endpoint());
        tries.count = 1;
      }
      reply = co_await run_attempts(self, request, statements, hint, how, tries, std::move(c),
                                    std::move(failure));
    }
    if (how.id != 0) self->track_end(how.id, started, nullptr);
    co_return reply;
  } catch (...) {
    outcome = std::current_exception();
  }
  self->count_failure(outcome);
  if (how.id != 0) self->track_end(how.id, started, outcome);
  std::rethrow_exception(outcome);
}

asio::awaitable<ReplyPtr> Session::Impl::run_attempts(std::shared_ptr<Impl> self, Request& request,
                                                      std::span<PreparedPtr> statements,
                                                      RouteHint hint, Execution how,
                                                      Attempts& tries, std::optional<Connection> c,
                                                      std::exception_ptr failure) {
  std::exception_ptr last;  // the last attempt's failure
  for (;;) {
    if (failure) {
      last = failure;
      if (!tries.log.empty()) tries.log += "; ";
      tries.log += (c ? to_string(c->endpoint()) : std::string("?")) + ": " + message_of(failure);
      if (c && self->log.enabled(LogLevel::debug)) {
        // A timed-out request's stream id stays reserved (orphaned) until its late answer.
        const bool orphaned = is_timeout(failure);
        self->log.debug("request",
                        "attempt failed: " + message_of(failure) +
                            (orphaned ? " (its stream id stays orphaned until the answer)" : ""),
                        to_string(c->endpoint()));
      }
      const RetryVerdict verdict = retry_verdict(failure, how.idempotent, tries.counts);
      if (verdict == RetryVerdict::rethrow) fail(failure, tries);
      if (verdict == RetryVerdict::reprepare) {
        // The server lost the statement (a restart): prepare it there again, same host. Not a
        // retry (nothing ran), but once per statement.
        if (tries.reprepares++ >= statements.size()) fail(failure, tries);
        self->op_reprepares.fetch_add(1, std::memory_order_relaxed);
        Bytes id;
        try {
          std::rethrow_exception(failure);
        } catch (const CqlError& e) {
          id = e.unprepared_id();
        }
        auto it = std::find_if(statements.begin(), statements.end(),
                               [&](const PreparedPtr& p) { return p->id == id; });
        if (it == statements.end()) fail(failure, tries);  // not ours: retrying cannot help
        auto fresh = co_await on_strand(self->ex, self->reprepare(*c, *it));
        repoint(request, id, fresh);
        *it = std::move(fresh);
      } else {
        if (tries.retries++ >= self->opt.max_retries) {
          fail(failure, tries, "max_retries " + std::to_string(self->opt.max_retries) + " reached");
        }
        self->op_retries.fetch_add(1, std::memory_order_relaxed);
        if (self->log.enabled(LogLevel::debug)) {
          self->log.debug(
              "request",
              std::string(verdict == RetryVerdict::same_host ? "retrying on the same host"
                                                             : "retrying on another host") +
                  " after: " + message_of(failure),
              to_string(c->endpoint()));
        }
        if (verdict == RetryVerdict::next_host || !c->is_open()) c.reset();
      }
      failure = nullptr;
    }
    if (!c) {
      if (tries.used.empty()) {
        c = co_await self->pick_anywhere(hint);  // waits for a first connection
      } else {
        c = self->try_pick(hint, tries.used);
        if (!c) {
          if (last) fail(last, tries, "no other host to try");
          fail(std::make_exception_ptr(ClientError(make_error_code(client_errc::connection_error),
                                                   "no other host to try")),
               tries);
        }
      }
      tries.used.push_back(c->endpoint());
    }
    std::optional<std::chrono::milliseconds> timeout = how.attempt_timeout;
    if (how.deadline != Clock::time_point::max()) {
      const auto now = Clock::now();
      if (now >= how.deadline) {
        fail(std::make_exception_ptr(ClientError(make_error_code(client_errc::timeout),
                                                 "the operation's deadline passed")),
             tries);
      }
      auto left = std::chrono::ceil<std::chrono::milliseconds>(how.deadline - now);
      timeout = std::min(left, timeout.value_or(self->opt.connection.request_timeout));
    }
    if (how.id != 0) self->track_attempt(how, tries, c->endpoint());
    how.speculative = false;
    ++tries.count;
    const bool timed = self->opt.speculative_percentile > 0 && how.idempotent;
    const auto started = timed ? Clock::now() : Clock::time_point{};
    try {
      auto reply = co_await c->request(request, timeout);
      if (!reply->extras.warnings.empty()) self->log_warnings(*reply, c->endpoint());
      if (timed) {
        self->latency_of(c->endpoint())
            .record(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
      }
      co_return reply;
    } catch (...) {
      failure = std::current_exception();
    }
  }
}

// Each lane is run_attempts() on the shared Attempts, so that no two lanes pick one host; the
// first answer wins, the other lanes are cancelled (their stream ids stay reserved until
// their answers come) and waited for, since their requests view the caller's values.
asio::awaitable<ReplyPtr> Session::Impl::race(std::shared_ptr<Impl> self, const Request& request,
                                              std::vector<PreparedPtr> statements, RouteHint hint,
                                              Execution how) {
  struct Lane {
    Request request;
    std::vector<PreparedPtr> statements;
    asio::cancellation_signal cancel;
  };
  struct State {
    explicit State(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    Attempts tries;
    std::vector<std::unique_ptr<Lane>> lanes;
    std::size_t running = 0;
    bool finished = false;
    ReplyPtr reply;
    std::exception_ptr error;
  };
  auto strand = asio::make_strand(co_await asio::this_coro::executor);
  auto op = [](std::shared_ptr<Impl> impl, const Request& req, std::vector<PreparedPtr> sts,
               RouteHint h, Execution e) -> asio::awaitable<ReplyPtr> {
    auto ex = co_await asio::this_coro::executor;
    auto st = std::make_shared<State>(ex);
    auto start_lane = [&] {
      auto lane = std::make_unique<Lane>();
      lane->request = req;
      lane->statements = sts;
      Lane& l = *lane;
      st->lanes.push_back(std::move(lane));
      ++st->running;
      auto body = [](std::shared_ptr<Impl> i, std::shared_ptr<State> s, Lane* ln, RouteHint rh,
                     Execution lane_how) -> asio::awaitable<ReplyPtr> {
        co_return co_await run_attempts(std::move(i), ln->request, ln->statements, rh, lane_how,
                                        s->tries, std::nullopt, nullptr);
      };
      asio::co_spawn(ex, body(impl, st, &l, h, e),
                     asio::bind_cancellation_slot(
                         l.cancel.slot(), [st](std::exception_ptr failure, ReplyPtr reply) {
                           --st->running;
                           if (!st->finished) {
                             if (!failure) {
                               st->reply = std::move(reply);
                               st->finished = true;
                               for (auto& other : st->lanes)
                                 other->cancel.emit(asio::cancellation_type::terminal);
                             } else {
                               st->error = failure;
                               // A lane ends only once its retries are spent: that is the
                               // operation's outcome, unless another lane still runs.
                               if (st->running == 0) st->finished = true;
                             }
                           }
                           if (st->finished) st->timer.cancel();
                         }));
    };
    start_lane();
    for (std::size_t k = 0; k < impl->opt.speculative_max && !st->finished; ++k) {
      const Endpoint busy = st->tries.used.empty() ? Endpoint{} : st->tries.used.back();
      st->timer.expires_after(impl->speculative_delay_after(busy));
      std::error_code ec;
      co_await st->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (st->finished) break;
      if (e.deadline != Clock::time_point::max() && Clock::now() >= e.deadline) break;
      impl->op_speculative.fetch_add(1, std::memory_order_relaxed);
      if (impl->log.enabled(LogLevel::debug)) {
        impl->log.debug("request", "speculative execution " + std::to_string(k + 1) +
                                       ": no answer yet from " + to_string(busy));
      }
      e.speculative = true;
      start_lane();
    }
    while (!st->finished || st->running > 0) {
      st->timer.expires_at(Clock::time_point::max());
      std::error_code ec;
      co_await st->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (st->reply) co_return st->reply;
    fail(st->error, st->tries);
  };
  co_return co_await asio::co_spawn(strand, op(self, request, std::move(statements), hint, how),
                                    asio::use_awaitable);
}

detail::LatencyHistogram& Session::Impl::latency_of(const Endpoint& host) {
  std::lock_guard lock(latency_mutex);
  auto& h = latencies[to_string(host)];
  if (!h) h = std::make_unique<detail::LatencyHistogram>();
  return *h;
}

// The constant delay, or the busy host's latency at the percentile asked for once it has
// answered enough requests to say (at least 1 ms: never a burst of attempts at once).
std::chrono::milliseconds Session::Impl::speculative_delay_after(const Endpoint& busy) {
  if (opt.speculative_percentile > 0 && !busy.host.empty()) {
    if (auto p = latency_of(busy).percentile(opt.speculative_percentile)) {
      return std::max(std::chrono::milliseconds(1),
                      std::chrono::ceil<std::chrono::milliseconds>(*p));
    }
  }
  return opt.speculative_delay;
}

}  // namespace nosqlc::protocol
