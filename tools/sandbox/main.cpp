// nosqlc-sandbox: an in-memory CQL v4 server of one or more loopback nodes. Prints
// "listening on HOST:PORT" per node once they accept connections, serves until SIGINT or
// SIGTERM, then exits 0.
#include <nosqlc/sandbox/server.hpp>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

namespace {

constexpr const char* kUsage =
    R"(usage: nosqlc-sandbox [options]
  --host ADDR          address of node 1 (default 127.0.0.1); node i listens on ADDR + i - 1
  --port N             port of every node (default 9042; 0 picks a free one)
  --nodes N            number of nodes (default 1)
  --auth USER:PASS     require PasswordAuthenticator logins; repeat for several users
  --tls-cert FILE      PEM certificate (with --tls-key): serve TLS only
  --tls-key FILE       PEM private key
  --threads N          I/O threads (default 1)
  fault injection, on every node:
  --latency-ms N       delay every answer by N ms
  --silent             never answer anything
  --close-after N      close each connection after it answered N statements
  --error KIND         answer EXECUTE and BATCH with overloaded, unavailable, read_timeout
                       or write_timeout ...
  --error-share X      ... for this share of them (0 to 1, default 1)
)";

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "nosqlc-sandbox: " << message << "\n" << kUsage;
  std::exit(2);
}

template <class T>
T number(std::string_view flag, std::string_view text) {
  T v{};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) {
    usage_error("bad value for " + std::string(flag) + ": " + std::string(text));
  }
  return v;
}

nosqlc::sandbox::ServerOptions parse(int argc, char** argv) {
  using nosqlc::protocol::ServerErrorCode;
  nosqlc::sandbox::ServerOptions o;
  o.faults.error_share = 1;
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
      o.port = number<std::uint16_t>(a, value());
    } else if (a == "--nodes") {
      o.nodes = number<std::size_t>(a, value());
    } else if (a == "--threads") {
      o.threads = number<std::size_t>(a, value());
    } else if (a == "--auth") {
      std::string_view v = value();
      auto colon = v.find(':');
      if (colon == std::string_view::npos || colon == 0) usage_error("--auth wants USER:PASS");
      o.users.push_back({std::string(v.substr(0, colon)), std::string(v.substr(colon + 1))});
    } else if (a == "--tls-cert") {
      o.tls_cert = value();
    } else if (a == "--tls-key") {
      o.tls_key = value();
    } else if (a == "--latency-ms") {
      o.faults.latency = std::chrono::milliseconds(number<long>(a, value()));
    } else if (a == "--silent") {
      o.faults.silent = true;
    } else if (a == "--close-after") {
      o.faults.close_after = number<std::size_t>(a, value());
    } else if (a == "--error") {
      std::string_view v = value();
      if (v == "overloaded") {
        o.faults.error = ServerErrorCode::overloaded;
      } else if (v == "unavailable") {
        o.faults.error = ServerErrorCode::unavailable;
      } else if (v == "read_timeout") {
        o.faults.error = ServerErrorCode::read_timeout;
      } else if (v == "write_timeout") {
        o.faults.error = ServerErrorCode::write_timeout;
      } else {
        usage_error("unknown error kind: " + std::string(v));
      }
    } else if (a == "--error-share") {
      std::string text(value());
      char* end = nullptr;
      double share = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size() || !(share >= 0 && share <= 1)) {
        usage_error("--error-share wants a number from 0 to 1");
      }
      o.faults.error_share = share;
    } else {
      usage_error("unknown option " + std::string(a));
    }
  }
  if (o.tls_cert.empty() != o.tls_key.empty()) usage_error("--tls-cert and --tls-key go together");
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
  } catch (const std::exception& e) {
    std::cerr << "nosqlc-sandbox: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
