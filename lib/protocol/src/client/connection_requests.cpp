// A connection's requests: how a caller's request reaches the multiplexer (inline on the
// connection's executor, through the inbox from elsewhere, or queued for a stream id), how
// deadlines are kept, and how the waiting coroutines are resumed.
#include "connection_impl.hpp"

#include <asio/dispatch.hpp>
#include <asio/post.hpp>

namespace nosqlc::protocol {

using Impl = Connection::Impl;
using Waiter = Connection::Waiter;
using detail::Resume;

// ---- MultiplexerSink ----

void Impl::on_reply(void* waiter, ReplyPtr reply) {
  auto* w = static_cast<Waiter*>(waiter);
  w->reply = std::move(reply);
  completed.push_back(w);
}

void Impl::on_failure(void* waiter, std::error_code code, const std::string& message) {
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

void Impl::on_event(const Event& e, const ReplyPtr&) {
  if (!on_event_handler) return;
  try {
    on_event_handler(e);
  } catch (...) {  // the handler's failure is its own, not the connection's
  }
}

// ---- Completion ----

// Resumes the coroutines answered since the last call. Never from inside the multiplexer,
// which the resumed coroutines may call into.
void Impl::resume_completed() {
  std::vector<Waiter*> ready;
  ready.swap(completed);
  for (Waiter* w : ready)
    finish(w);
  if (completed.empty()) completed.swap(ready);  // keep the capacity
  completed.clear();
}

void Impl::finish(Waiter* w) {
  if (w->done) return;
  w->done = true;
  if (w->cancel_state) w->cancel_state->waiter = nullptr;
  if (w->stream >= 0) in_flight_count.store(mux.in_flight(), std::memory_order_relaxed);
  if (opt.counters) count(*w);
  deliver(*w, false);
}

void Impl::count(const Waiter& w) {
  auto& c = *opt.counters;
  c.requests.fetch_add(1, std::memory_order_relaxed);
  if (w.code) {  // (compared only then: the category lookup costs an answered request)
    if (w.code == client_errc::timeout) c.timeouts.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (!w.reply) return;
  if (std::holds_alternative<ServerError>(w.reply->message)) {
    c.errors.fetch_add(1, std::memory_order_relaxed);
  }
  if (w.deadline == Clock::time_point::max()) return;  // no bound: no start to tell
  // Submitted at deadline - timeout (wait_for's deadline is now + timeout).
  c.latency.record(
      std::chrono::duration_cast<std::chrono::microseconds>(input_at - (w.deadline - w.timeout)));
}

namespace {
// The resumption with its arguments, on the coroutine's executor.
struct Completion {
  Resume resume;
  std::exception_ptr error;
  ReplyPtr reply;
  void operator()() { std::move(resume)(std::move(error), std::move(reply)); }
};
}  // namespace

void Impl::deliver(Waiter& w, bool post) {
  std::exception_ptr error;
  if (w.code) {
    error = std::make_exception_ptr(ClientError(w.code, w.message));
  } else if (w.errors_throw) {
    if (const auto* err = std::get_if<ServerError>(&w.reply->message)) {
      error = std::make_exception_ptr(CqlError(*err));
    }
  }
  auto ex = asio::get_associated_executor(*w.resume);
  Completion c{std::move(*w.resume), std::move(error), std::move(w.reply)};
  w.resume.reset();
  // `w` may be gone from here on. On this executor it runs here; a caller on another
  // executor is resumed there.
  if (post) {
    asio::post(ex, std::move(c));
  } else {
    asio::dispatch(ex, std::move(c));
  }
}

// Completions found outside commit_input (an encoding failure) are resumed from a handler
// of their own.
void Impl::post_resume() {
  asio::post(ex, [self = shared_from_this()] { self->resume_completed(); });
}

// ---- Submission ----

void Impl::start(Waiter* w) {
  if (!open) {
    w->code =
        make_error_code(closed_by_owner ? client_errc::closed : client_errc::connection_error);
    w->message = "connection to " + where() + " is closed: " + close_reason;
    // Not inline: an operation does not complete inside its initiation.
    w->done = true;
    if (w->cancel_state) w->cancel_state->waiter = nullptr;
    deliver(*w, true);
    return;
  }
  if (!id_waiters.empty() || !submit(w)) {
    if (!w->done) id_waiters.push_back(w);
    arm(w->deadline);
  }
}

bool Impl::submit(Waiter* w) {
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

void Impl::submit_waiting() {
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

void Impl::take_inbox() {
  {
    std::lock_guard lock(inbox_mutex);
    taken.swap(inbox);  // both keep their capacity: no allocation per batch
    inbox_posted = false;
  }
  for (Waiter* w : taken)
    start(w);
  taken.clear();
}

// One posted handler takes every request that arrived meanwhile.
void Impl::enqueue_from_elsewhere(Waiter* w) {
  bool post_now = false;
  {
    std::lock_guard lock(inbox_mutex);
    inbox.push_back(w);
    post_now = !std::exchange(inbox_posted, true);
  }
  if (post_now) asio::post(ex, [self = shared_from_this()] { self->take_inbox(); });
}

void Impl::cancel(Waiter* w) {
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

void Impl::arm(Clock::time_point at) {
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

void Impl::on_tick() {
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
    w->message =
        "no stream id free on " + where() + " within " + std::to_string(w->timeout.count()) + " ms";
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

// ---- The caller's side ----

asio::awaitable<ReplyPtr> Impl::wait_for(const Request& request, Clock::time_point deadline,
                                         std::chrono::milliseconds timeout, bool errors_throw) {
  Waiter waiter;
  waiter.request = &request;
  waiter.deadline = deadline;
  waiter.timeout = timeout;
  waiter.errors_throw = errors_throw;
  // The initiation, and the Waiter in it, stay in the awaiting coroutine's frame until it
  // resumes: a request costs no frame of its own.
  auto initiation = [this, w = std::move(waiter)](Resume resume) mutable {
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
    if (detail::runs_here(ex)) {
      start(&w);
    } else {
      enqueue_from_elsewhere(&w);
    }
  };
  return asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr, ReplyPtr)>(
      std::move(initiation), asio::use_awaitable);
}

}  // namespace nosqlc::protocol
