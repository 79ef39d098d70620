// What system_traces holds: the sessions of traced requests and their events, kept in memory
// by the Store and presented by the system_traces.sessions and .events tables. Cassandra
// writes them as rows with a TTL of a day (tracetype_query_ttl); the sandbox keeps the newest
// kMaxSessions sessions younger than that.
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace nosqlc::sandbox {

// A row of system_traces.events.
struct TraceEvent {
  protocol::Uuid event_id{};  // a time UUID
  std::string activity;
  protocol::Inet source;
  std::int32_t source_elapsed = 0;  // microseconds since the session began
  std::string thread;
};

// A row of system_traces.sessions and its events.
struct TraceSession {
  protocol::Uuid session_id{};
  protocol::Inet client;
  std::string command = "QUERY";
  protocol::Inet coordinator;  // port: the inter-node port, shown as coordinator_port
  std::int32_t duration = 0;   // microseconds
  std::map<std::string, std::string> parameters;
  std::string request;
  std::int64_t started_at = 0;  // milliseconds since the epoch
  std::vector<TraceEvent> events;
};

// Thread-safe.
class TraceLog {
 public:
  static constexpr std::size_t kMaxSessions = 1000;
  // Cassandra's default tracetype_query_ttl: one day.
  static constexpr std::int64_t kTtlMillis = std::int64_t{86400} * 1000;

  // Adds a finished session; the oldest goes beyond kMaxSessions.
  void add(TraceSession session);
  // The sessions started less than a day before `now_millis`, oldest first.
  std::vector<std::shared_ptr<const TraceSession>> sessions(std::int64_t now_millis) const;

 private:
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<const TraceSession>> sessions_;
};

}  // namespace nosqlc::sandbox
