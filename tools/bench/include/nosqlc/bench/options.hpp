// nosqlc-bench's command line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nosqlc::bench {

enum class Workload { store, get, mixed, find_scan };
// Which API the timed operations use: the document API, or the CQL session under it with the
// same prepared statements (store, get and mixed only), so that the document layer's cost shows.
enum class Api { document, raw };
std::string_view name_of(Workload w) noexcept;

struct Options {
  std::optional<std::string> url;  // none: an embedded sandbox in a child process
  std::vector<Workload> workloads{Workload::store, Workload::get, Workload::mixed,
                                  Workload::find_scan};
  std::size_t concurrency = 256;                // operations in flight
  std::optional<std::uint64_t> ops;             // per workload; default 100,000 unless --duration
  std::uint64_t docs = 10'000;                  // documents get/mixed read from, find-scan scans
  std::size_t doc_bytes = 200;                  // JSON size of each document
  std::optional<double> duration;               // seconds per workload
  std::optional<std::int32_t> page_size;        // find-scan's page size (default: the driver's)
  std::size_t sandbox_threads = 1;              // I/O threads of the embedded sandbox
  std::size_t sandbox_nodes = 1;                // nodes of the embedded sandbox (127.0.0.1 ..)
  std::optional<std::size_t> scan_concurrency;  // find-scan's token ranges in flight
  // find-scan: latency every sandbox node adds to its answers during the scan (set through
  // sandbox.nodes, 0 again afterwards): the round trips of a real network.
  std::optional<int> scan_latency_ms;
  Api api = Api::document;
  std::optional<std::size_t> io_threads;  // the client's (Cassandra URL option io_threads)
  bool json = false;
  std::optional<std::string> plot;  // SVG file of the latency by percentile, written at the end
  bool help = false;
};

// A bad command line; what() says what is wrong.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses the arguments after the program name. Throws UsageError.
Options parse_options(const std::vector<std::string>& args);
const char* usage_text() noexcept;

}  // namespace nosqlc::bench
