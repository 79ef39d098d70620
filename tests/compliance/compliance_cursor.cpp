// Cursor cases: the cursor's state machine as a driver delivers it, limits, result sizes
// beyond one batch, and results that are the caller's own copies.
#include "compliance_support.hpp"

#include <map>

namespace nosqlc::compliance::detail {
namespace {

using filter::Filter;
using Keys = std::vector<std::string>;

asio::awaitable<void> document_before_next_is_invalid_state(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto cursor = co_await col.find();
  expect_error_now([&] { (void)cursor.document(); }, errc::invalid_state, "document() first");
  BOOST_TEST_REQUIRE(co_await cursor.next());
  BOOST_TEST(cursor.document().contains("_id"));
  co_await cursor.close();
}

asio::awaitable<void> document_after_end_is_invalid_state(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("only", R"({"v":1})"_doc);
  auto cursor = co_await col.find();
  BOOST_TEST_REQUIRE(co_await cursor.next());
  BOOST_TEST(!(co_await cursor.next()));
  expect_error_now([&] { (void)cursor.document(); }, errc::invalid_state, "document() at end");
  BOOST_TEST(!(co_await cursor.next()));
  co_await cursor.close();
}

asio::awaitable<void> documents_drains_the_rest(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto cursor = co_await col.find();
  BOOST_TEST_REQUIRE(co_await cursor.next());
  std::string first(cursor.document().at("_id").as_string());
  auto rest = co_await cursor.documents();
  BOOST_TEST(rest.size() == 4u);
  auto ids = sorted_ids(rest);
  BOOST_TEST((std::find(ids.begin(), ids.end(), first) == ids.end()));  // current one excluded
  ids.push_back(first);
  std::sort(ids.begin(), ids.end());
  BOOST_TEST(ids == keys("f1", "f2", "f3", "f4", "f5"));
  BOOST_TEST(!(co_await cursor.next()));
  BOOST_TEST((co_await cursor.documents()).empty());
  co_await cursor.close();
}

asio::awaitable<void> next_after_close_is_invalid_state(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto cursor = co_await col.find();
  BOOST_TEST_REQUIRE(co_await cursor.next());
  co_await cursor.close();
  BOOST_TEST(cursor.is_closed());
  co_await expect_error(cursor.next(), errc::invalid_state, "next() after close");
  co_await expect_error(cursor.documents(), errc::invalid_state, "documents() after close");
  expect_error_now([&] { (void)cursor.document(); }, errc::invalid_state, "document() after close");
  co_await cursor.close();  // closing twice is a no-op
}

asio::awaitable<void> close_before_next_is_fine(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto cursor = co_await col.find();
  co_await cursor.close();
  co_await expect_error(cursor.next(), errc::invalid_state, "next() after close");
  // The collection stays usable after abandoning a cursor.
  BOOST_TEST((co_await find_all(col)).size() == 5u);
}

asio::awaitable<void> limit_caps_the_results(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto two = co_await find_all(col, filter::Ast{}, FindOptions{.limit = 2});
  BOOST_TEST(two.size() == 2u);
  auto ids = sorted_ids(two);
  BOOST_TEST((std::adjacent_find(ids.begin(), ids.end()) == ids.end()));  // distinct
  auto active = co_await find_all(col, Filter::where("status").eq("active"), {.limit = 2});
  BOOST_TEST(active.size() == 2u);
  for (const auto& d : active)
    BOOST_TEST(d.at("status") == jv("active"));
  BOOST_TEST((co_await find_all(col, filter::Ast{}, {.limit = 0})).empty());
  BOOST_TEST((co_await find_all(col, filter::Ast{}, {.limit = 100})).size() == 5u);
}

asio::awaitable<void> page_size_does_not_change_results(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  for (std::int32_t page : {1, 2, 3, 5, 1000}) {
    auto docs = co_await find_all(col, filter::Ast{}, {.page_size = page});
    BOOST_TEST(sorted_ids(docs) == keys("f1", "f2", "f3", "f4", "f5"), "page_size " << page);
  }
  auto limited = co_await find_all(col, filter::Ast{}, {.limit = 3, .page_size = 2});
  BOOST_TEST(limited.size() == 3u);
  co_await expect_error(col.find(filter::Ast{}, {.page_size = 0}), errc::invalid_argument,
                        "page_size 0");
  co_await expect_error(col.find(filter::Ast{}, {.page_size = -1}), errc::invalid_argument,
                        "page_size -1");
}

asio::awaitable<void> many_documents_are_each_yielded_once(Context& ctx) {
  auto& col = ctx.collection();
  constexpr int kCount = 2500;  // more than one batch of any driver's default
  for (int i = 0; i < kCount; ++i) {
    Document doc{{"i", i}, {"even", i % 2 == 0}};
    co_await col.store("k" + std::to_string(i), std::move(doc));
  }
  std::map<std::string, int> seen;
  auto cursor = co_await col.find();
  while (co_await cursor.next()) {
    const auto& doc = cursor.document();
    ++seen[std::string(doc.at("_id").as_string())];
    BOOST_TEST(doc.at("_id") == jv("k" + std::to_string(doc.at("i").as_int64())));
  }
  co_await cursor.close();
  BOOST_TEST(seen.size() == std::size_t{kCount});
  bool once = std::all_of(seen.begin(), seen.end(), [](const auto& kv) { return kv.second == 1; });
  BOOST_TEST(once);
  // A filter matching a sparse subset spread over every batch.
  auto spread = Filter::where("i").in_({0, 999, 1000, 1001, 2499});
  auto sparse = co_await find_all(col, spread);
  BOOST_TEST(sorted_ids(sparse) == keys("k0", "k1000", "k1001", "k2499", "k999"));
  auto even = co_await find_all(col, Filter::where("even").eq(true));
  BOOST_TEST(even.size() == std::size_t{kCount / 2});
  auto limited = co_await find_all(col, filter::Ast{}, {.limit = 1500, .page_size = 700});
  BOOST_TEST(limited.size() == 1500u);
}

asio::awaitable<void> find_returns_copies(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto docs = co_await find_all(col, Filter::where("_id").eq("f1"));
  BOOST_TEST_REQUIRE(docs.size() == 1u);
  docs[0]["name"] = "Mallory";
  docs[0]["tags"].as_array().push_back("rust");
  docs[0].erase("age");
  auto stored = co_await col.get("f1");
  BOOST_TEST_REQUIRE(stored.has_value());
  BOOST_TEST(stored->at("name") == jv("Alice"));
  BOOST_TEST(stored->at("tags").as_array().size() == 2u);
  BOOST_TEST(stored->contains("age"));
  // The same through a cursor's current document, copied and changed.
  auto cursor = co_await col.find(Filter::where("_id").eq("f2"));
  BOOST_TEST_REQUIRE(co_await cursor.next());
  Document copy = cursor.document();
  copy["name"] = "Changed";
  co_await cursor.close();
  BOOST_TEST((co_await col.get("f2"))->at("name") == jv("Bob"));
}

asio::awaitable<void> cursor_can_be_moved(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto cursor = co_await col.find();
  BOOST_TEST_REQUIRE(co_await cursor.next());
  std::string first(cursor.document().at("_id").as_string());
  Cursor moved = std::move(cursor);
  BOOST_TEST(moved.document().at("_id") == jv(first));
  BOOST_TEST((co_await moved.documents()).size() == 4u);
  co_await moved.close();
}

asio::awaitable<void> two_cursors_at_once(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto a = co_await col.find();
  auto b = co_await col.find(Filter::where("status").eq("active"));
  std::vector<Document> da, db;
  bool more_a = true, more_b = true;
  while (more_a || more_b) {  // interleaved
    if (more_a && (more_a = co_await a.next())) da.push_back(a.document());
    if (more_b && (more_b = co_await b.next())) db.push_back(b.document());
  }
  BOOST_TEST(da.size() == 5u);
  BOOST_TEST(sorted_ids(db) == keys("f1", "f3", "f5"));
  co_await a.close();
  co_await b.close();
}

}  // namespace

std::vector<Case> cursor_cases() {
  return {
      {"document_before_next_is_invalid_state", document_before_next_is_invalid_state},
      {"document_after_end_is_invalid_state", document_after_end_is_invalid_state},
      {"documents_drains_the_rest", documents_drains_the_rest},
      {"next_after_close_is_invalid_state", next_after_close_is_invalid_state},
      {"close_before_next_is_fine", close_before_next_is_fine},
      {"limit_caps_the_results", limit_caps_the_results},
      {"page_size_does_not_change_results", page_size_does_not_change_results},
      {"many_documents_are_each_yielded_once", many_documents_are_each_yielded_once},
      {"find_returns_copies", find_returns_copies},
      {"cursor_can_be_moved", cursor_can_be_moved},
      {"two_cursors_at_once", two_cursors_at_once},
  };
}

}  // namespace nosqlc::compliance::detail
