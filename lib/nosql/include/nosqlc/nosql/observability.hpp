// What a service needs to see into nosqlc: the log sink (nosqlc/observe/log.hpp), metrics
// (metrics.hpp: Client::metrics(), write_prometheus), the request tracker (tracker.hpp) and
// traces (trace.hpp: Client::read_trace), and how a client is given them.
#pragma once

#include <nosqlc/observe/log.hpp>
#include <nosqlc/observe/metrics.hpp>
#include <nosqlc/observe/trace.hpp>
#include <nosqlc/observe/tracker.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nosqlc {

// Where a traced call (CallOptions::trace, FindOptions::trace) leaves the ids of its traces:
// one per request the call made ("xxxxxxxx-xxxx-...", for Client::read_trace).
struct TraceIds {
  std::vector<std::string> ids;
};

// What a client reports to, fixed when it connects (DriverManager::get_client): its log sink
// and least level (unset: the process-wide ones), and a tracker told of every request. Drivers
// without requests of their own to report (the memory driver) use none of them.
struct ClientObservers {
  LogSink log_sink{};
  std::optional<LogLevel> log_level{};
  std::shared_ptr<RequestTracker> tracker{};
};

}  // namespace nosqlc
