// A request's trace as the database recorded it (Cassandra: the system_traces sessions and
// events tables, TraceKeyspace.java). Client::read_trace and protocol::Session::read_trace
// return it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nosqlc {

using TraceUuid = std::array<std::uint8_t, 16>;

struct TraceEvent {
  TraceUuid id{};                      // event_id: a time UUID, in the order of the steps
  std::string activity;                // what the node did
  std::string source;                  // the node's address
  std::int32_t source_elapsed_us = 0;  // since the request reached that node
  std::string thread;
};

struct Trace {
  TraceUuid id{};
  std::string client;                       // the client's address
  std::string command;                      // "QUERY", "EXECUTE", ...
  std::string coordinator;                  // the coordinator's address
  std::optional<std::int32_t> duration_us;  // unset until the trace is complete
  std::string request;                      // e.g. "Execute CQL3 query"
  std::int64_t started_at_ms = 0;
  std::map<std::string, std::string> parameters;  // the query, its consistency, page size...
  std::vector<TraceEvent> events;                 // in event_id order
};

}  // namespace nosqlc
