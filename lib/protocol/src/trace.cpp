#include "nosqlc/protocol/trace.hpp"

#include "row_cells.hpp"

#include <algorithm>

namespace nosqlc::protocol {

using namespace cells;

namespace {
// A version 1 UUID's timestamp (RFC 4122 4.1.4): time_hi, time_mid, time_low.
std::uint64_t uuid_time(const Uuid& u) {
  const auto b = [&](int i) { return static_cast<std::uint64_t>(u[static_cast<std::size_t>(i)]); };
  return ((b(6) & 0x0f) << 56) | (b(7) << 48) | (b(4) << 40) | (b(5) << 32) | (b(0) << 24) |
         (b(1) << 16) | (b(2) << 8) | b(3);
}
}  // namespace

bool read_trace_session(const RowsResult& rows, const std::vector<ColumnSpec>& columns,
                        QueryTrace& out) {
  Columns col(columns);
  for (Row row : rows.rows()) {
    if (auto id = uuid_of(row, col("session_id"))) out.id = *id;
    out.client = inet_of(row, col("client"));
    out.command = text_of(row, col("command"));
    out.coordinator = inet_of(row, col("coordinator"));
    out.duration_us = int_of(row, col("duration"));
    out.request = text_of(row, col("request"));
    out.started_at_ms = timestamp_of(row, col("started_at")).value_or(0);
    out.parameters = text_map_of(row, col("parameters")).value_or(StringMap{});
    return true;
  }
  return false;
}

std::vector<TraceEvent> read_trace_events(const RowsResult& rows,
                                          const std::vector<ColumnSpec>& columns) {
  Columns col(columns);
  const int id = col("event_id"), activity = col("activity"), source = col("source"),
            elapsed = col("source_elapsed"), thread = col("thread");
  std::vector<TraceEvent> out;
  for (Row row : rows.rows()) {
    TraceEvent e;
    e.id = uuid_of(row, id).value_or(Uuid{});
    e.activity = text_of(row, activity);
    e.source = inet_of(row, source);
    e.source_elapsed_us = int_of(row, elapsed).value_or(0);
    e.thread = text_of(row, thread);
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const TraceEvent& a, const TraceEvent& b) {
    return uuid_time(a.id) < uuid_time(b.id);
  });
  return out;
}

}  // namespace nosqlc::protocol
