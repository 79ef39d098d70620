// Server events for the session's handler: one connection REGISTERs, another takes over when
// it closes.
#include "session_impl.hpp"

#include <asio/detached.hpp>
#include <asio/post.hpp>

#include <algorithm>

namespace nosqlc::protocol {

// Called on a connection's executor; the handler and the types are the strand's.
EventHandler Session::Impl::event_forwarder() {
  std::weak_ptr<Impl> weak = shared_from_this();
  return [weak](const Event& e) {
    auto self = weak.lock();
    if (!self) return;
    asio::post(self->ex, [self, e] {
      if (!self->on_event) return;
      // A connection registered for earlier types may still send those.
      static constexpr std::string_view kinds[] = {"TOPOLOGY_CHANGE", "STATUS_CHANGE",
                                                   "SCHEMA_CHANGE"};
      const auto& types = self->event_types;
      if (std::find(types.begin(), types.end(), kinds[e.index()]) == types.end()) return;
      self->on_event(e);
    });
  };
}

// REGISTERs for `event_types` on one open connection unless one already is registered.
asio::awaitable<void> Session::Impl::register_events(std::shared_ptr<Impl> self) {
  if (self->registering || self->event_types.empty()) co_return;
  self->registering = true;
  detail::ScopeExit done([&self] { self->registering = false; });
  while (!self->closed && !(self->events_on && self->events_on->is_open())) {
    self->events_on.reset();
    std::optional<Connection> candidate;
    for (const auto& slot : self->slots) {
      if (slot->connection && slot->connection->is_open()) {
        candidate = *slot->connection;
        break;
      }
    }
    if (!candidate) co_return;  // the next connection to open registers
    Register r;
    r.events = self->event_types;
    try {
      co_await candidate->request(r);
      // on_event may have changed the types meanwhile: register those instead.
      if (r.events == self->event_types) self->events_on = std::move(candidate);
    } catch (const CqlError&) {
      co_return;  // the server refuses these event types: retrying cannot help
    } catch (const std::exception&) {
      candidate->close();  // its slot reconnects; try another connection
    }
  }
}

void Session::Impl::want_events() {
  if (event_types.empty() || closed) return;
  asio::co_spawn(ex, register_events(shared_from_this()), asio::detached);
}

void Session::Impl::set_events(EventHandler handler, std::vector<std::string> types) {
  on_event = std::move(handler);
  const bool changed = types != event_types;
  event_types = std::move(types);
  if (changed && events_on) {
    events_on.reset();  // a connection cannot unregister: the next one registers anew
  }
  want_events();
}

}  // namespace nosqlc::protocol
