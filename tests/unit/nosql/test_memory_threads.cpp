// The memory driver used from several threads at once, each with its own event loop: no
// patch lost, no document torn, every write visible afterwards. (The compliance suite runs on
// one thread, where the memory driver never interleaves.) Run under TSan to see races.
#include <nosqlc/nosql/async.hpp>
#include <nosqlc/nosql/client.hpp>
#include <nosqlc/nosql/driver_manager.hpp>
#include <nosqlc/nosql/memory.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 4;
constexpr int kRounds = 500;

asio::awaitable<void> worker(nosqlc::Collection& col, int t, std::atomic<int>& torn) {
  const std::string mine = "t" + std::to_string(t);
  for (int i = 0; i < kRounds; ++i) {
    // Everyone patches one shared document, each thread its own member.
    nosqlc::Document patch;
    patch[mine] = i;
    co_await col.update("shared", patch);
    // Each thread's own documents: stored whole, read back whole.
    nosqlc::Document d;
    d["a"] = i;
    d["b"] = i;
    co_await col.store(mine + "-" + std::to_string(i), d);
    auto back = co_await col.get(mine + "-" + std::to_string(i));
    if (!back || back->at("a") != back->at("b")) ++torn;
    if (i % 50 == 0) {
      auto cursor = co_await col.find(nosqlc::filter::Ast{});
      for (const auto& doc : co_await cursor.documents()) {
        if (doc.contains("a") && doc.at("a") != doc.at("b")) ++torn;
      }
    }
    if (i % 2 == 1) co_await col.del(mine + "-" + std::to_string(i));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(memory_driver_threads)

BOOST_AUTO_TEST_CASE(threads_with_their_own_loops_share_one_client) {
  auto client = nosqlc::block_on(nosqlc::DriverManager::get_client("nosqlc:memory:"));
  auto& col = client->get_collection("shared_col");
  nosqlc::Document start;
  start["created"] = true;
  nosqlc::block_on(col.store("shared", start));

  std::atomic<int> torn{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        // Each thread looks the collection up itself: get_collection races too.
        nosqlc::block_on(worker(client->get_collection("shared_col"), t, torn));
      } catch (...) {
        ++failures;
      }
    });
  }
  for (auto& th : threads)
    th.join();
  BOOST_TEST(failures.load() == 0);
  BOOST_TEST(torn.load() == 0);

  auto shared = nosqlc::block_on(col.get("shared"));
  BOOST_REQUIRE(shared.has_value());
  BOOST_TEST(shared->at("created") == boost::json::value(true));
  for (int t = 0; t < kThreads; ++t) {  // every thread's last patch is there
    BOOST_TEST(shared->at("t" + std::to_string(t)) == boost::json::value(kRounds - 1));
  }
  auto cursor = nosqlc::block_on(col.find(nosqlc::filter::Ast{}));
  auto all = nosqlc::block_on(cursor.documents());
  // The shared document and each thread's even-numbered documents.
  BOOST_TEST(all.size() == 1u + kThreads * (kRounds / 2));
  nosqlc::block_on(client->close());
}

BOOST_AUTO_TEST_SUITE_END()
