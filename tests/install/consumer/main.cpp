// A program built against an installed nosqlc through find_package(nosqlc).
#include <nosqlc/nosql/memory.hpp>
#include <nosqlc/nosql/nosql.hpp>

namespace {

asio::awaitable<int> run() {
  auto client = co_await nosqlc::DriverManager::get_client("nosqlc:memory:");
  auto& things = client->get_collection("things");
  nosqlc::Document doc{{"a", 1}};
  auto key = co_await things.insert(doc);
  auto got = co_await things.get(key);
  co_return got && got->at("a").as_int64() == 1 && got->at("_id").as_string() == key ? 0 : 1;
}

}  // namespace

int main() {
  return nosqlc::block_on(run());
}
