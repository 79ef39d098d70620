// nosqlc-sandbox: an in-memory CQL v4 server of one or more loopback nodes. Prints
// "listening on HOST:PORT" per node once they accept connections, serves until SIGINT or
// SIGTERM, then exits 0. A flag or value it cannot use (out of range, unknown, or options
// that do not go together) exits 2 with one line on stderr naming it; failing to serve (an
// address in use) exits 1.
#include <nosqlc/sandbox/server.hpp>

#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::size_t kMaxNodes = 254;  // 127.0.0.1 .. 127.0.0.254 (Server's own limit)
constexpr std::size_t kMaxThreads = 256;
constexpr long kMaxLatencyMs = 3'600'000;  // an hour: a longer delay is a typo

constexpr const char* kUsage =
    R"(usage: nosqlc-sandbox [options]
  --host ADDR          address of node 1 (default 127.0.0.1); node i listens on ADDR + i - 1
  --port N             port of every node, 0 to 65535 (default 9042; 0 picks a free one)
  --nodes N            number of nodes, 1 to 254 (default 1), in data centre datacenter1
  --dc NAME:N[:R]      a data centre of N nodes over R racks (default 1), named rack1..rackR;
                       repeat for several, in address order (replaces --nodes)
  --num-tokens N       tokens per node, 1 to 256 (default 16; 1 splits the ring evenly)
  --auth USER:PASS     require PasswordAuthenticator logins; repeat for several users
                       (visible to every local user in ps: prefer the two below)
  --auth-file FILE     the same, one USER:PASS per line (blank lines and # comments skipped)
  NOSQLC_SANDBOX_AUTH  environment variable: one USER:PASS, added to the above
  --tls-cert FILE      PEM certificate (with --tls-key): serve TLS only
  --tls-key FILE       PEM private key
  --threads N          I/O threads, 1 to 256 (default 1)
  The tables sandbox.nodes and sandbox.node_stats show the nodes and what each coordinated;
  UPDATE/INSERT/DELETE on sandbox.nodes stop, restart, slow, add and remove nodes.
  fault injection, on every node:
  --latency-ms N       delay every answer by N ms (0 to 3600000)
  --silent             never answer anything
  --close-after N      close each connection after it answered N statements (N >= 1)
  --error KIND         answer EXECUTE and BATCH with Overloaded, Unavailable, ReadTimeout,
                       WriteTimeout, IsBootstrapping, TruncateError or ServerError (any
                       case; read_timeout works too) ...
  --error-share X      ... for this share of them (0 to 1, default 1)
  --clock-skew-ms LIST the nodes' clock skews in ms, comma-separated in node order (one
                       value: every node), each -86400000 to 86400000: the timestamps of
                       writes without a client timestamp (e.g. --clock-skew-ms -1000,0,1000)
  UPDATE sandbox.nodes SET latency_ms, silent, error, error_share, close_after or
  clock_skew_ms WHERE address = '...' changes them on one node while it runs.
  A keyed request (or a scan's ranges) whose consistency level the replicas up cannot meet
  is answered Unavailable, as Cassandra answers it.
)";

// Exits 2 with one line on stderr.
[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "nosqlc-sandbox: " << message << " (see --help)\n";
  std::exit(2);
}

// One login from "USER:PASS" (the password may hold ':'). `source` names where it came from
// in the error, which never repeats the text itself.
nosqlc::sandbox::Credentials login(std::string_view text, const std::string& source) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) usage_error(source + " wants USER:PASS");
  return {std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

void read_auth_file(const std::string& path, std::vector<nosqlc::sandbox::Credentials>& users) {
  std::ifstream in(path);
  if (!in) usage_error("--auth-file: cannot read '" + path + "'");
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    users.push_back(login(line, "--auth-file line " + std::to_string(n)));
  }
  if (in.bad()) usage_error("--auth-file: reading '" + path + "' failed");
}

// The integer value of `flag`, which must lie in [lo, hi].
template <class T>
T number(std::string_view flag, std::string_view text, T lo, T hi) {
  long long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty() ||
      v < static_cast<long long>(lo) || v > static_cast<long long>(hi)) {
    usage_error(std::string(flag) + " wants an integer from " + std::to_string(lo) + " to " +
                std::to_string(hi) + ", got '" + std::string(text) + "'");
  }
  return static_cast<T>(v);
}

// NAME:N[:R] of --dc.
nosqlc::sandbox::DataCentre data_centre(std::string_view text) {
  nosqlc::sandbox::DataCentre dc;
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    usage_error("--dc wants NAME:NODES[:RACKS], got '" + std::string(text) + "'");
  }
  dc.name = std::string(text.substr(0, colon));
  std::string_view rest = text.substr(colon + 1);
  auto second = rest.find(':');
  dc.nodes = number<std::size_t>("--dc nodes", rest.substr(0, second), 1, kMaxNodes);
  if (second != std::string_view::npos) {
    dc.racks = number<std::size_t>("--dc racks", rest.substr(second + 1), 1, dc.nodes);
  }
  return dc;
}

// The values of --clock-skew-ms: comma-separated milliseconds, each within a day either way.
std::vector<std::chrono::milliseconds> clock_skews(std::string_view text) {
  constexpr long long kMax = nosqlc::sandbox::kMaxClockSkew.count();
  std::vector<std::chrono::milliseconds> out;
  for (std::size_t start = 0;;) {
    std::size_t comma = text.find(',', start);
    std::string_view item = text.substr(start, comma - start);
    long long v = 0;
    auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || p != item.data() + item.size() || v < -kMax ||
        v > kMax) {
      usage_error("--clock-skew-ms wants comma-separated integers from " + std::to_string(-kMax) +
                  " to " + std::to_string(kMax) + ", got '" + std::string(item) + "'");
    }
    out.emplace_back(v);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

nosqlc::sandbox::ServerOptions parse(int argc, char** argv) {
  nosqlc::sandbox::ServerOptions o;
  bool nodes_given = false;
  std::vector<std::chrono::milliseconds> skews;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) usage_error("missing value for " + std::string(a));
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (a == "--host") {
      o.host = value();
    } else if (a == "--port") {
      o.port = number<std::uint16_t>(a, value(), 0, 65535);
    } else if (a == "--nodes") {
      o.nodes = number<std::size_t>(a, value(), 1, kMaxNodes);
      nodes_given = true;
    } else if (a == "--dc") {
      o.dcs.push_back(data_centre(value()));
    } else if (a == "--num-tokens") {
      o.num_tokens = number<std::size_t>(a, value(), 1, 256);
    } else if (a == "--threads") {
      o.threads = number<std::size_t>(a, value(), 1, kMaxThreads);
    } else if (a == "--auth") {
      o.users.push_back(login(value(), "--auth"));
    } else if (a == "--auth-file") {
      read_auth_file(std::string(value()), o.users);
    } else if (a == "--tls-cert") {
      o.tls_cert = value();
      if (o.tls_cert.empty()) usage_error("--tls-cert wants a file name");
    } else if (a == "--tls-key") {
      o.tls_key = value();
      if (o.tls_key.empty()) usage_error("--tls-key wants a file name");
    } else if (a == "--latency-ms") {
      o.faults.latency = std::chrono::milliseconds(number<long>(a, value(), 0, kMaxLatencyMs));
    } else if (a == "--silent") {
      o.faults.silent = true;
    } else if (a == "--close-after") {
      o.faults.close_after =
          number<std::size_t>(a, value(), 1, std::numeric_limits<std::int32_t>::max());
    } else if (a == "--error") {
      std::string_view v = value();
      auto kind = nosqlc::sandbox::fault_error_code(v);
      if (!kind) {
        usage_error("--error wants one of " + std::string(nosqlc::sandbox::fault_error_names) +
                    ", got '" + std::string(v) + "'");
      }
      o.faults.error = *kind;
    } else if (a == "--error-share") {
      std::string_view text = value();
      double share = -1;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), share);
      if (text.empty() || ec != std::errc() || p != text.data() + text.size() ||
          !(share >= 0 && share <= 1)) {
        usage_error("--error-share wants a number from 0 to 1, got '" + std::string(text) + "'");
      }
      o.faults.error_share = share;
    } else if (a == "--clock-skew-ms") {
      skews = clock_skews(value());
    } else {
      // The flag without its value: `--auth=user:pass` mistyped must not print the password.
      usage_error("unknown option " + std::string(a.substr(0, a.find('='))));
    }
  }
  if (o.tls_cert.empty() != o.tls_key.empty()) usage_error("--tls-cert and --tls-key go together");
  if (nodes_given && !o.dcs.empty()) usage_error("--nodes and --dc do not go together");
  std::size_t nodes = o.dcs.empty() ? o.nodes : 0;
  for (const auto& dc : o.dcs)
    nodes += dc.nodes;
  if (skews.size() == 1) {
    o.faults.clock_skew = skews.front();
  } else if (!skews.empty()) {
    if (skews.size() != nodes) {
      usage_error("--clock-skew-ms wants one value or one per node (" + std::to_string(nodes) +
                  "), got " + std::to_string(skews.size()));
    }
    for (auto skew : skews) {
      o.node_faults.push_back(o.faults);
      o.node_faults.back().clock_skew = skew;
    }
  }
  if (const char* env = std::getenv("NOSQLC_SANDBOX_AUTH"); env != nullptr && *env != '\0') {
    o.users.push_back(login(env, "NOSQLC_SANDBOX_AUTH"));
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  auto options = parse(argc, argv);
  // Block the signals before any thread starts, so that only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    nosqlc::sandbox::Server server(std::move(options));
    for (std::size_t i = 0; i < server.node_count(); ++i) {
      auto a = server.address(i);
      bool v6 = a.host.find(':') != std::string::npos;
      std::cout << "listening on " << (v6 ? "[" + a.host + "]" : a.host) << ":" << a.port << "\n";
    }
    std::cout.flush();
    int sig = 0;
    sigwait(&signals, &sig);
  } catch (const std::invalid_argument& e) {  // options that do not go together
    std::cerr << "nosqlc-sandbox: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "nosqlc-sandbox: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
