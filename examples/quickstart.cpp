// The quickstart of the README: every Collection operation once, printing each result.
// Usage: quickstart [[--url] URL]
// Without a URL it starts an embedded sandbox (an in-memory CQL server) on a free loopback
// port and connects to it with the Cassandra driver, through the real protocol stack. Any
// nosqlc URL works too: nosqlc:memory:, or nosqlc:cassandra:host:9042/keyspace for a real
// Cassandra.
#include <nosqlc/nosql/cassandra.hpp>
#include <nosqlc/nosql/memory.hpp>
#include <nosqlc/nosql/nosql.hpp>
#include <nosqlc/sandbox/server.hpp>

#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

asio::awaitable<void> quickstart(std::string url) {
  using nosqlc::Filter;
  auto client = co_await nosqlc::DriverManager::get_client(url);
  std::cout << "connected: " << client->url() << "\n";
  auto& orders = client->get_collection("orders");

  // Documents are built in statements of their own: g++ 12 rejects a braced JSON literal
  // inside a co_await expression ("array used as initializer", a compiler bug).
  nosqlc::Document order{{"item", "widget"}, {"qty", 5}, {"status", "pending"}};
  co_await orders.store("order-001", order);
  auto doc = co_await orders.get("order-001");
  if (!doc) throw std::runtime_error("order-001 was stored but get() did not find it");
  std::cout << "stored:   " << nosqlc::json_text(*doc) << "\n";

  nosqlc::Document gadget{{"item", "gadget"}, {"qty", 2}, {"status", "pending"}};
  auto key = co_await orders.insert(gadget);
  std::cout << "inserted: " << key << "\n";

  nosqlc::Document patch{{"qty", 10}, {"status", "shipped"}};
  co_await orders.update("order-001", patch);
  auto updated = co_await orders.get("order-001");
  if (!updated) throw std::runtime_error("order-001 was updated but get() did not find it");
  std::cout << "updated:  " << nosqlc::json_text(*updated) << "\n";

  auto cursor = co_await orders.find(Filter::where("status").eq("pending").build());
  while (co_await cursor.next()) {
    std::cout << "found:    " << nosqlc::json_text(cursor.document()) << "\n";
  }

  co_await orders.del("order-001");
  auto gone = co_await orders.get("order-001");
  std::cout << "deleted:  order-001 is " << (gone ? "still there" : "gone") << "\n";
  co_await client->close();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::optional<nosqlc::sandbox::Server> sandbox;
    std::string url;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && (args[0] == "--url" || args[0].starts_with("--url="))) {
      if (args[0] == "--url") {
        args.erase(args.begin());
      } else {
        args[0] = args[0].substr(6);
      }
      if (args.empty() || args[0].empty()) {
        std::cerr << "quickstart: --url needs a URL\n";
        return 2;
      }
    }
    if (args.size() > 1 || (!args.empty() && args[0].starts_with("-"))) {
      std::cerr << "usage: quickstart [[--url] URL]\n";
      return 2;
    }
    if (!args.empty()) {
      url = args[0];
    } else {
      nosqlc::sandbox::ServerOptions options;
      options.port = 0;  // a free port on 127.0.0.1
      sandbox.emplace(options);
      url = "nosqlc:cassandra:127.0.0.1:" + std::to_string(sandbox->port()) + "/quickstart";
      std::cout << "embedded sandbox listening on 127.0.0.1:" << sandbox->port() << "\n";
    }
    nosqlc::block_on(quickstart(url));
  } catch (const std::exception& e) {
    std::cerr << "quickstart: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
