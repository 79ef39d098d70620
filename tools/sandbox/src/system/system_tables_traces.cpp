// system_traces.sessions and .events (Cassandra 4.0's TraceKeyspace): the traced requests the
// Store's TraceLog holds, a partition per session and, in events, a row per event clustered
// by its time UUID. Every node sees every session, as a replicated keyspace would show them.
#include "system/system_tables_internal.hpp"
#include "system/trace_log.hpp"

namespace nosqlc::sandbox::systables {

std::vector<SystemRow> trace_sessions_rows(const SystemTable& t, const Store& store,
                                           const ClusterInfo&, std::size_t) {
  std::vector<SystemRow> rows;
  for (const auto& s : store.traces().sessions(store.now_micros() / 1000)) {
    RowBuilder b(t);
    b.set("session_id", uuid_cell(s->session_id))
        .set("client", inet_cell(s->client))
        .set("command", text_cell(s->command))
        .set("coordinator", inet_cell(s->coordinator))
        .set("coordinator_port", int_cell(s->coordinator.port))
        .set("duration", int_cell(s->duration))
        .set("parameters", text_map_cell(s->parameters))
        .set("request", text_cell(s->request))
        .set("started_at", timestamp_cell(s->started_at));
    rows.push_back(b.take());
  }
  return rows;
}

std::vector<SystemRow> trace_events_rows(const SystemTable& t, const Store& store,
                                         const ClusterInfo&, std::size_t) {
  std::vector<SystemRow> rows;
  for (const auto& s : store.traces().sessions(store.now_micros() / 1000)) {
    for (const TraceEvent& e : s->events) {
      RowBuilder b(t);
      b.set("session_id", uuid_cell(s->session_id))
          .set("event_id", uuid_cell(e.event_id))
          .set("activity", text_cell(e.activity))
          .set("source", inet_cell(e.source))
          .set("source_elapsed", int_cell(e.source_elapsed))
          .set("source_port", int_cell(e.source.port))
          .set("thread", text_cell(e.thread));
      rows.push_back(b.take());
    }
  }
  return rows;
}

}  // namespace nosqlc::sandbox::systables
