// Reading a request trace (nosqlc::Trace) from the rows of Cassandra's system_traces.sessions
// and .events (TraceKeyspace.java). Session::read_trace fetches them.
#pragma once

#include "nosqlc/observe/trace.hpp"
#include "nosqlc/protocol/notations.hpp"
#include "nosqlc/protocol/result.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nosqlc::protocol {

using QueryTrace = Trace;  // nosqlc::Trace, in the CQL layer

// The session row of `rows` (a SELECT * FROM system_traces.sessions WHERE session_id = ?) into
// `out`, events untouched; false when there is no row.
bool read_trace_session(const RowsResult& rows, const std::vector<ColumnSpec>& columns,
                        QueryTrace& out);
// The event rows (SELECT * FROM system_traces.events WHERE session_id = ?), sorted by event id
// time (a time UUID's 60-bit timestamp).
std::vector<TraceEvent> read_trace_events(const RowsResult& rows,
                                          const std::vector<ColumnSpec>& columns);

}  // namespace nosqlc::protocol
