// What a document call's options (CallOptions, FindOptions) become in the CQL statements the
// driver runs. Internal to the driver.
#pragma once

#include "nosqlc/nosql/collection.hpp"

#include <nosqlc/protocol/client/session.hpp>

#include <string_view>

namespace nosqlc::cassandra {

// A statement's options for a call: its deadline, consistencies, timestamp and tracing, and
// whether it may run twice (reads, and plain upserts and deletes, which the session's client
// timestamp orders: a retry on another host after an unknown outcome changes nothing).
protocol::StatementOptions statement_options(const CallOptions& call, bool idempotent);
// The same for the pages of a find.
protocol::StatementOptions statement_options(const FindOptions& find);

// The CQL consistency of the document API's.
protocol::Consistency cql_consistency(Consistency c) noexcept;

// Appends the trace id of a traced statement's result to `trace` (when both are there).
void note_trace(TraceIds* trace, const protocol::QueryResult& result);

}  // namespace nosqlc::cassandra
