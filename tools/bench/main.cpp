// nosqlc-bench: workloads against a nosqlc database (by default an embedded sandbox), with
// throughput, latency, client CPU and memory figures measured in the run.
#include <nosqlc/bench/plot_svg.hpp>
#include <nosqlc/bench/report.hpp>
#include <nosqlc/bench/runner.hpp>
#include <nosqlc/bench/sandbox_child.hpp>
#include <nosqlc/nosql/async.hpp>
#include <nosqlc/nosql/cassandra.hpp>
#include <nosqlc/nosql/memory.hpp>
#include <nosqlc/nosql/nosql.hpp>

#include <boost/json/serialize.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <vector>

namespace {

using namespace nosqlc::bench;

// A login from NOSQLC_USERNAME and NOSQLC_PASSWORD, as the nosqlc CLI takes it.
nosqlc::Properties login_from_env() {
  nosqlc::Properties p;
  const char* user = std::getenv("NOSQLC_USERNAME");
  const char* pass = std::getenv("NOSQLC_PASSWORD");
  if (user && *user) {
    p["username"] = user;
    p["password"] = pass ? pass : "";
  }
  return p;
}

// Runs the workloads and prints their figures; with `plot`, writes the plot of them there too.
asio::awaitable<int> run_all(std::string url, const Options& o, const SandboxChild* child,
                             std::ofstream* plot) {
  auto client = co_await nosqlc::DriverManager::get_client(url, login_from_env());
  Runner runner(*client, o, url, login_from_env());
  if (!o.json) print_table_header(std::cout);
  int code = 0;
  std::vector<Result> results;
  for (Workload w : o.workloads) {
    co_await runner.prepare(w);
    double server_before = child ? child->cpu_seconds() : 0;
    Result r = co_await runner.run(w);
    std::optional<double> server_cpu;
    if (child) server_cpu = child->cpu_seconds() - server_before;
    if (o.json) {
      std::cout << boost::json::serialize(to_json(r, o, server_cpu)) << std::endl;
    } else {
      print_table_row(std::cout, r, server_cpu);
      std::cout.flush();
    }
    if (r.errors > 0) code = 1;
    if (plot) results.push_back(std::move(r));
  }
  co_await runner.cleanup();
  co_await client->close();
  if (plot) {
    *plot << plot_svg(results, o);
    plot->close();
    if (!*plot) throw std::runtime_error("cannot write the plot to " + *o.plot);
  }
  co_return code;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse_options(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const UsageError& e) {
    std::cerr << "nosqlc-bench: " << e.what() << "\n" << usage_text();
    return 2;
  }
  if (o.help) {
    std::cout << usage_text();
    return 0;
  }
  try {
    // Opened before the run, so that a path that cannot be written fails at once.
    std::ofstream plot;
    if (o.plot) {
      plot.open(*o.plot, std::ios::binary | std::ios::trunc);
      if (!plot) {
        throw std::runtime_error("cannot write the plot to " + *o.plot + ": " +
                                 std::strerror(errno));
      }
    }
    // The child is forked before this process starts any thread.
    std::optional<SandboxChild> child;
    std::string url;
    if (o.url) {
      url = *o.url;
    } else {
      child.emplace(o.sandbox_threads, o.sandbox_nodes);
      url = "nosqlc:cassandra:127.0.0.1:" + std::to_string(child->port()) + "/nosqlc_bench";
      if (o.sandbox_nodes > 1) {
        url += "?replication=SimpleStrategy:" +
               std::to_string(std::min<std::size_t>(o.sandbox_nodes, 3));
      }
      if (!o.json) std::cout << "embedded sandbox on 127.0.0.1:" << child->port() << "\n";
    }
    if (o.io_threads) {
      url += (url.find('?') == std::string::npos ? "?" : "&");
      url += "io_threads=" + std::to_string(*o.io_threads);
    }
    return nosqlc::block_on(run_all(url, o, child ? &*child : nullptr, o.plot ? &plot : nullptr));
  } catch (const std::exception& e) {
    std::cerr << "nosqlc-bench: " << e.what() << "\n";
    return 3;
  }
}
