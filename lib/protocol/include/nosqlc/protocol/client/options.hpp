// Settings of the CQL client: one connection's, and a session's (a pool over several hosts).
// Defaults are those the DataStax drivers agree on.
#pragma once

#include "nosqlc/observe/log.hpp"
#include "nosqlc/observe/metrics.hpp"
#include "nosqlc/observe/tracker.hpp"
#include "nosqlc/protocol/cluster/hosts.hpp"
#include "nosqlc/protocol/frame.hpp"
#include "nosqlc/protocol/notations.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nosqlc::protocol {

struct Endpoint {
  std::string host;  // a name or an IPv4/IPv6 address (without brackets)
  std::uint16_t port = 9042;
  bool operator==(const Endpoint&) const = default;
};
std::string to_string(const Endpoint& e);  // "host:port", "[v6]:port"

struct TlsOptions {
  bool enabled = false;
  std::string ca_file;    // PEM; empty: the system's default CAs
  std::string cert_file;  // PEM client certificate, optional (with key_file)
  std::string key_file;
  bool verify = true;  // verify the server's certificate and host name; off only explicitly
};

struct Credentials {
  std::string username;
  std::string password;
};

struct ConnectionOptions {
  TlsOptions tls;
  std::optional<Credentials> credentials;  // for PasswordAuthenticator (SASL PLAIN)
  // lz4 when the server offers it and the build has it. Off by default, as in the DataStax
  // drivers: measured on small documents it costs more CPU than it saves (see the README).
  bool compression = false;
  std::chrono::milliseconds connect_timeout{5000};  // TCP, TLS and the handshake together
  std::chrono::milliseconds request_timeout{12000};
  std::chrono::milliseconds heartbeat_interval{30000};  // 0 disables heartbeats
  std::size_t max_streams = 32768;                      // requests in flight on one socket
  std::size_t max_orphans = 1024;  // timed-out requests awaiting a late answer before closing
  std::size_t max_frame = kDefaultMaxBody;
  // Where the connection adds its traffic (bytes, requests, errors, latencies); null: not
  // counted. A session gives the connections to one host one shared set.
  std::shared_ptr<HostCounters> counters;
};

struct SessionOptions {
  std::vector<Endpoint> contact_points;
  ConnectionOptions connection;
  std::string keyspace;       // USE'd (quoted: exact case) on every connection when not empty
  std::size_t pool_size = 1;  // connections per host
  // 0: connections live on the executor given to Session::connect, which must not run
  // handlers on two threads at once (nosqlc starts no thread). N (at most 64): the session runs
  // N threads of its own, one event loop each, and spreads its connections over them.
  std::size_t io_threads = 0;
  std::chrono::milliseconds reconnect_base{1000};
  std::chrono::milliseconds reconnect_max{600000};
  // ---- The cluster (contact points only seed it: the session discovers every node) ----
  // The data centre whose hosts serve requests; empty: the data centre of the contact point
  // the session reached first.
  std::string local_dc;
  // How many hosts of each remote data centre may serve requests once no local host can; 0:
  // never (the default, as LOCAL_ONE and LOCAL_QUORUM mean).
  std::size_t allow_remote_dc = 0;
  // When set, only the hosts it accepts are used (an allow list); called on the session's
  // strand whenever the cluster changes.
  std::function<bool(const HostInfo&)> host_filter;
  // Maps the address a node advertises (system.peers) to the one to dial; contact points are
  // dialled as given. Called on the session's strand.
  std::function<Endpoint(const Endpoint&)> address_translator;
  // The system tables are read again this often (and after each topology or keyspace event).
  std::chrono::milliseconds topology_refresh{60000};
  Consistency consistency = Consistency::local_one;
  Consistency serial_consistency = Consistency::serial;
  std::int32_t page_size = 5000;
  // ---- Fault tolerance (see retry_policy.hpp for what is retried where) ----
  // Bounds a whole operation, its retries and speculative executions included; 0: no bound
  // beyond the request timeout of each attempt (connection.request_timeout) and max_retries.
  std::chrono::milliseconds deadline{0};
  std::size_t max_retries = 3;  // attempts after the first, over every host of the plan
  // Speculative execution of idempotent statements: when an attempt has not answered after
  // `speculative_delay` (or, with speculative_percentile > 0, after that percentile of the
  // host's recent latencies), another attempt starts on the next host, at most
  // `speculative_max` of them; the first answer wins. Off while speculative_max is 0.
  std::size_t speculative_max = 0;
  std::chrono::milliseconds speculative_delay{0};
  double speculative_percentile = 0;  // e.g. 99: that percentile of the host's latencies
  // Every request carries a client-side timestamp (strictly increasing per session), so that
  // a client's writes are ordered by its own clock, not by their coordinators'; off: the
  // coordinator stamps them.
  bool client_timestamps = true;
  // Called, from any thread, with what a person should know about: the clock going back
  // further than a second behind the timestamps already given out. Null: not told.
  std::function<void(const std::string&)> on_warning;
  // ---- Observability ----
  // The session's log (log.hpp): its own sink and least level; unset: the process-wide ones.
  LogSink log_sink;
  std::optional<LogLevel> log_level;
  // Told of every operation's start, attempts and end (tracker.hpp); null: none.
  std::shared_ptr<RequestTracker> tracker;
};

// Per-statement overrides of the session's settings.
struct StatementOptions {
  std::optional<Consistency> consistency;
  std::optional<Consistency> serial_consistency;
  std::optional<std::int32_t> page_size;  // 0 or negative: no paging
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<std::int64_t> timestamp;  // microseconds since the epoch
  // Whether running the statement twice does no harm, so that it may be retried on another
  // host after an unknown outcome (a lost connection, a timeout) and executed speculatively.
  // Default: true for a SELECT, false otherwise.
  std::optional<bool> idempotent;
  // Bounds the operation with its retries (default: SessionOptions::deadline); `timeout`
  // bounds each attempt.
  std::optional<std::chrono::milliseconds> deadline;
  // The serialized partition key to route a prepared statement by, when its PREPARED result
  // names no partition key marker (`WHERE pk IN ?` over keys of one replica set): the
  // request then goes to that key's replicas first. Ignored for unprepared statements.
  std::optional<Bytes> routing_key;
  // The token to route by instead (a token range's end, for a scan of that range).
  std::optional<std::int64_t> routing_token;
  // Asks the server to trace the statement (the tracing flag): QueryResult::tracing_id()
  // then names the trace, which Session::read_trace reads. Cassandra traces cost it writes:
  // for a request now and then, not every one.
  bool trace = false;
};

}  // namespace nosqlc::protocol
