// The quickstart of DESIGN.md: every Collection operation once, printing each result.
// Usage: quickstart [URL]   (default: nosqlc:memory:)
#include <nosqlc/nosql/memory.hpp>
#include <nosqlc/nosql/nosql.hpp>

#include <boost/json/serialize.hpp>

#include <iostream>
#include <string>

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
  std::cout << "stored:   " << boost::json::serialize(*doc) << "\n";

  nosqlc::Document gadget{{"item", "gadget"}, {"qty", 2}, {"status", "pending"}};
  auto key = co_await orders.insert(gadget);
  std::cout << "inserted: " << key << "\n";

  nosqlc::Document patch{{"qty", 10}, {"status", "shipped"}};
  co_await orders.update("order-001", patch);
  std::cout << "updated:  " << boost::json::serialize(*co_await orders.get("order-001")) << "\n";

  auto cursor = co_await orders.find(Filter::where("status").eq("pending").build());
  while (co_await cursor.next()) {
    std::cout << "found:    " << boost::json::serialize(cursor.document()) << "\n";
  }

  co_await orders.del("order-001");
  auto gone = co_await orders.get("order-001");
  std::cout << "deleted:  order-001 is " << (gone ? "still there" : "gone") << "\n";
  co_await client->close();
}

}  // namespace

int main(int argc, char** argv) {
  std::string url = argc > 1 ? argv[1] : "nosqlc:memory:";
  try {
    nosqlc::block_on(quickstart(url));
  } catch (const std::exception& e) {
    std::cerr << "quickstart: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
