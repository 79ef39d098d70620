// What a client's metrics look like: a short workload against an embedded three-node sandbox
// (or the URL given), with a failing read on the way, then the Prometheus text a service would
// serve at /metrics. The README's example scrape is this program's output.
//   usage: metrics [URL]
#include <nosqlc/nosql/cassandra.hpp>
#include <nosqlc/nosql/nosql.hpp>
#include <nosqlc/sandbox/server.hpp>

#include <iostream>
#include <optional>
#include <string>

namespace {

asio::awaitable<void> workload(std::string url) {
  auto client = co_await nosqlc::DriverManager::get_client(url);
  auto& col = client->get_collection("metrics_demo");
  for (int i = 0; i < 20; ++i) {
    nosqlc::Document doc{{"n", i}};
    co_await col.store("k" + std::to_string(i), std::move(doc));
  }
  for (int i = 0; i < 20; ++i)
    (void)co_await col.get("k" + std::to_string(i));
  // A read no replica can serve: counted as an error of its kind.
  const nosqlc::CallOptions three{.consistency = nosqlc::Consistency::three};
  (void)co_await nosqlc::attempt(col.get("k0", three));
  std::cout << nosqlc::write_prometheus(client->metrics());
  co_await client->close();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::optional<nosqlc::sandbox::Server> sandbox;
    std::string url;
    if (argc > 1) {
      url = argv[1];
    } else {
      nosqlc::sandbox::ServerOptions options;
      options.port = 0;
      options.nodes = 3;
      sandbox.emplace(options);
      url = "nosqlc:cassandra:127.0.0.1:" + std::to_string(sandbox->port()) + "/metrics_demo";
    }
    nosqlc::block_on(workload(url));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "metrics: " << e.what() << "\n";
    return 1;
  }
}
