// Pages of a prepared statement, one page prefetched, the state kept on the session's strand.
#include "session_impl.hpp"

#include <asio/detached.hpp>
#include <asio/post.hpp>

namespace nosqlc::protocol {

struct Pager::State {
  std::shared_ptr<Session::Impl> session;
  PreparedPtr prepared;
  std::vector<std::optional<Bytes>> values;
  StatementOptions options;
  Bytes paging_state;
  bool more = true;
  bool started = false;                // the first page was asked for
  std::atomic<bool> cancelled{false};  // set by cancel() from any thread
  // The page being fetched: its result or error once `done` is set.
  struct Fetch {
    explicit Fetch(const asio::any_io_executor& ex) : done(ex) {}
    detail::Signal done;
    std::optional<QueryResult> result;
    std::exception_ptr error;
  };
  std::shared_ptr<Fetch> fetch;

  std::vector<Value> value_views() const {
    std::vector<Value> out;
    out.reserve(values.size());
    for (const auto& v : values)
      out.push_back(v ? Value::of(*v) : Value::null());
    return out;
  }

  // Starts fetching the page at `paging_state` (the first page when `first`). The fetch
  // holds the state, so the paging state and values it views outlive it.
  void start(std::shared_ptr<State> self, bool first) {
    auto f = std::make_shared<Fetch>(session->ex);
    fetch = f;
    started = true;
    // co_spawn keeps the function object (and so its captures) until the coroutine ends.
    asio::co_spawn(
        session->ex,
        [self, f, first]() -> asio::awaitable<void> {
          try {
            std::optional<BytesView> ps;
            if (!first) ps = BytesView(self->paging_state);
            f->result.emplace(co_await Session::Impl::execute(
                self->session, self->prepared, self->value_views(), self->options, ps));
          } catch (...) {
            f->error = std::current_exception();
          }
          f->done.set();
        },
        asio::detached);
  }
};

Pager Session::pages(PreparedPtr prepared, std::vector<std::optional<Bytes>> values,
                     StatementOptions options) {
  auto state = std::make_shared<Pager::State>();
  state->session = impl_;
  state->prepared = std::move(prepared);
  state->values = std::move(values);
  state->options = options;
  return Pager(std::move(state));
}

asio::awaitable<std::optional<QueryResult>> Pager::next() {
  auto s = state_;
  if (!s) co_return std::nullopt;
  auto op = [s]() -> asio::awaitable<std::optional<QueryResult>> {
    if (s->cancelled || !s->more) co_return std::nullopt;
    if (!s->fetch && !s->started) s->start(s, true);
    auto f = s->fetch;
    co_await f->done.wait();
    s->fetch.reset();
    if (s->cancelled) co_return std::nullopt;
    if (f->error) {
      s->more = false;
      std::rethrow_exception(f->error);
    }
    auto ps = f->result->paging_state();
    if (ps && !ps->empty()) {
      s->paging_state.assign(ps->begin(), ps->end());
      s->start(s, false);  // prefetch while the caller works on this page
    } else {
      s->more = false;
    }
    co_return std::move(f->result);
  };
  co_return co_await on_strand(s->session->ex, op());
}

void Pager::start() {
  if (!state_) return;
  asio::post(state_->session->ex, [s = state_] {
    if (!s->fetch && s->more && !s->cancelled && !s->started) s->start(s, true);
  });
}

void Pager::cancel() {
  if (!state_) return;
  state_->cancelled = true;
  try {
    // The prefetched page, if any, is dropped on the strand that owns it.
    asio::post(state_->session->ex, [s = state_] { s->fetch.reset(); });
  } catch (...) {  // out of memory: the page goes with the state
  }
}

// Dropping a pager only raises the flag: a fetch in flight holds the state and lets it go when
// its page arrives; with none, the state (and any prefetched page) goes with the last owner.
// Nothing is posted, so no executor is touched here.
Pager& Pager::operator=(Pager&& other) noexcept {
  if (this != &other) {
    if (state_) state_->cancelled = true;
    state_ = std::move(other.state_);
  }
  return *this;
}

Pager::~Pager() {
  if (state_) state_->cancelled = true;
}

}  // namespace nosqlc::protocol
