// What --trace and -v print after a command: the requests' traces and the client's figures.
#include "nosqlc/cli/commands.hpp"

#include <ostream>

namespace nosqlc::cli {

asio::awaitable<void> print_traces(Client& client, const TraceIds& ids, std::ostream& err,
                                   std::size_t max) {
  const std::size_t n = std::min(max, ids.ids.size());
  for (std::size_t i = 0; i < n; ++i) {
    Trace t = co_await client.read_trace(ids.ids[i]);
    err << "nosqlc: trace " << ids.ids[i] << ": " << t.request << " on " << t.coordinator << ", "
        << t.duration_us.value_or(0) << " us";
    if (auto q = t.parameters.find("query"); q != t.parameters.end()) {
      err << ": " << q->second;
    }
    err << '\n';
    for (const auto& e : t.events) {
      err << "  " << e.source_elapsed_us << " us  " << e.source << "  " << e.activity << '\n';
    }
  }
  if (ids.ids.size() > n) {
    err << "nosqlc: " << ids.ids.size() - n << " more request"
        << (ids.ids.size() - n == 1 ? "" : "s") << " traced (not shown)\n";
  }
}

std::string stats_line(const Metrics& m) {
  std::string s = "nosqlc: stats: requests " + std::to_string(m.requests) + ", errors " +
                  std::to_string(m.errors) + ", retries " + std::to_string(m.retries) +
                  ", speculative " + std::to_string(m.speculative_executions) + ", timeouts " +
                  std::to_string(m.timeouts);
  // Latencies are the hosts' (the client keeps them per host).
  for (const auto& h : m.hosts) {
    s += "; " + h.address + ": " + std::to_string(h.requests) + " requests, p50 " +
         std::to_string(h.latency.p50_us) + " us, p99 " + std::to_string(h.latency.p99_us) +
         " us, max " + std::to_string(h.latency.max_us) + " us";
  }
  s += "; sent " + std::to_string(m.bytes_sent) + " B, received " +
       std::to_string(m.bytes_received) + " B";
  return s;
}

}  // namespace nosqlc::cli
