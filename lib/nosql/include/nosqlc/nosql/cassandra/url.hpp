// The Cassandra driver's URL:
//   nosqlc:cassandra:host[:port][,host[:port]...]/keyspace[?option=value&...]
// (also with the pynosqlc: and jsnosqlc: prefixes). IPv6 hosts go in brackets.
#pragma once

#include "nosqlc/nosql/driver.hpp"

#include <nosqlc/protocol/client/options.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::cassandra {

struct HostPort {
  std::string host;  // without brackets
  std::uint16_t port = 9042;
  bool operator==(const HostPort&) const = default;
};

inline constexpr std::size_t kDefaultMaxDocumentBytes = 8'000'000;

struct CassandraUrl {
  std::vector<HostPort> hosts;
  std::string keyspace;  // folded to lower case
  // Options, defaults as the DataStax drivers have them.
  std::string consistency = "LOCAL_ONE";  // upper case, a valid CQL consistency name
  std::string serial_consistency = "SERIAL";
  std::int32_t page_size = 5000;
  bool compression = false;  // lz4 when the server offers it and the build has it
  bool tls = false;
  std::string tls_ca, tls_cert, tls_key;
  bool tls_verify = true;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{12000};  // per attempt
  // Bounds each operation with its retries (0: no bound beyond the attempts' own).
  std::chrono::milliseconds deadline{0};
  std::size_t max_retries = 3;
  // Speculative executions of idempotent statements (reads, store, delete): at most
  // speculative_max more attempts, each after speculative_delay_ms without an answer (or,
  // with speculative_percentile, after that percentile of the host's latencies). 0: off.
  std::size_t speculative_max = 0;
  std::chrono::milliseconds speculative_delay{0};
  double speculative_percentile = 0;
  bool client_timestamps = true;
  // The client's least log level (unset: the process-wide level; see observability.hpp).
  std::optional<LogLevel> log_level;
  // Token ranges a full-scan find reads at once (0: chosen from the number of hosts), and
  // into how many parts each range of the ring is cut.
  std::size_t scan_concurrency = 0;
  std::size_t scan_split = 1;
  std::size_t pool_size = 1;
  // Event loops of the client's own that run its connections (0: the connections run on the
  // executor that called get_client, and nosqlc starts no thread).
  std::size_t io_threads = 1;
  // The data centre whose hosts serve requests; empty: the first contact point's.
  std::string local_dc;
  // Hosts per remote data centre used when no local host can serve; 0: never.
  std::size_t allow_remote_dc = 0;
  // When not empty, only these hosts (addresses as the cluster advertises them) are used.
  std::vector<std::string> allowed_hosts;
  // Creates the keyspace and each collection's table on first use, as pynosqlc does; when
  // false, a missing keyspace or table is collection_not_found instead.
  bool auto_create = true;
  // The largest document (its JSON text) that store, insert and update write. The default
  // keeps an update's compare-and-set, which sends the old and the new text in one frame,
  // under Cassandra's default 16 MiB frame (native_transport_max_frame_size) and mutation
  // (max_mutation_size) limits, with room for a 64 KiB key.
  std::size_t max_document_bytes = kDefaultMaxDocumentBytes;
  // CQL replication map for a keyspace the driver creates, e.g. {"class":"SimpleStrategy",
  // "replication_factor":"1"}.
  std::map<std::string, std::string> replication{{"class", "SimpleStrategy"},
                                                 {"replication_factor", "1"}};
};

// Parses `url`. Throws nosqlc::Error(invalid_url) naming the part at fault: a missing or
// invalid host, port, keyspace, an unknown or repeated option, or a bad option value.
CassandraUrl parse_url(std::string_view url);

// True for a Cassandra unquoted identifier: [A-Za-z][A-Za-z0-9_]{0,47}.
bool is_identifier(std::string_view name) noexcept;

// The CQL session `url` asks for, logging in with `properties`' "username" and "password"
// when a username is given.
protocol::SessionOptions session_options(const CassandraUrl& url, const Properties& properties);

// The replication map as CQL: {'class': 'SimpleStrategy', 'replication_factor': '1'}.
std::string replication_cql(const std::map<std::string, std::string>& replication);

}  // namespace nosqlc::cassandra
