// Server events for the user's handler: the control connection receives every event
// (cluster_view.cpp); the handler gets those of the types it asked for.
#include "session_impl.hpp"

#include <algorithm>

namespace nosqlc::protocol {

void Session::Impl::deliver_event(const Event& e) {
  if (!on_event) return;
  static constexpr std::string_view kinds[] = {"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"};
  if (std::find(event_types.begin(), event_types.end(), kinds[e.index()]) == event_types.end()) {
    return;
  }
  try {
    on_event(e);
  } catch (...) {  // the handler's failure is its own
  }
}

void Session::Impl::set_events(EventHandler handler, std::vector<std::string> types) {
  on_event = std::move(handler);
  event_types = std::move(types);
}

}  // namespace nosqlc::protocol
