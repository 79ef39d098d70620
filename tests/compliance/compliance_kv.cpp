// Key-value cases: store, get, delete, and the values a document can hold.
#include "compliance_support.hpp"

#include <boost/json/array.hpp>

#include <limits>

namespace nosqlc::compliance::detail {
namespace {

using boost::json::array;

asio::awaitable<void> store_and_get_retrieves_document(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("kv-1", R"({"name":"Alice","age":30})"_doc);
  auto doc = co_await col.get("kv-1");
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(doc->at("name") == jv("Alice"));
  BOOST_TEST(doc->at("age") == 30);
  BOOST_TEST(doc->size() == 3u);  // name, age and _id: nothing else appears
}

asio::awaitable<void> get_returns_nullopt_for_missing_key(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("present", R"({"x":1})"_doc);
  auto doc = co_await col.get("kv-nonexistent");
  BOOST_TEST(!doc.has_value());
}

asio::awaitable<void> store_overwrites_existing_document(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("kv-upsert", R"({"name":"Bob","age":25,"old":true})"_doc);
  co_await col.store("kv-upsert", R"({"name":"Bob","age":26})"_doc);
  auto doc = co_await col.get("kv-upsert");
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(doc->at("age") == 26);
  // store replaces the whole document; it does not merge.
  BOOST_TEST(!doc->contains("old"));
}

asio::awaitable<void> delete_removes_document(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("kv-del", R"({"name":"ToDelete"})"_doc);
  co_await col.store("kv-keep", R"({"name":"ToKeep"})"_doc);
  BOOST_TEST((co_await col.get("kv-del")).has_value());
  co_await col.del("kv-del");
  BOOST_TEST(!(co_await col.get("kv-del")).has_value());
  BOOST_TEST((co_await col.get("kv-keep")).has_value());
}

asio::awaitable<void> delete_missing_key_is_a_noop(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("other", R"({"x":1})"_doc);
  co_await col.del("kv-missing");
  co_await col.del("kv-missing");
  BOOST_TEST((co_await col.get("other")).has_value());
}

asio::awaitable<void> get_sets_id_to_key_for_document_without_id(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("no-id", R"({"v":1})"_doc);
  auto doc = co_await col.get("no-id");
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST_REQUIRE(doc->contains("_id"));
  BOOST_TEST(doc->at("_id") == jv("no-id"));
}

asio::awaitable<void> get_id_is_the_key_even_if_document_says_otherwise(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("real-key", R"({"_id":"other-key","v":1})"_doc);
  auto doc = co_await col.get("real-key");
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(doc->at("_id") == jv("real-key"));
  BOOST_TEST(!(co_await col.get("other-key")).has_value());
}

asio::awaitable<void> values_of_every_json_type_round_trip(Context& ctx) {
  auto& col = ctx.collection();
  Document doc{{"s", "text with \"quotes\", \\ and \xC3\xA9\xE2\x82\xAC"},
               {"i", -42},
               {"big", 9007199254740993LL},
               {"d", 2.5},
               {"t", true},
               {"f", false},
               {"n", nullptr},
               {"a", array{1, "two", array{3}, boost::json::object{{"four", 4}}}},
               {"o", boost::json::object{{"inner", boost::json::object{{"deep", "x"}}}}},
               {"empty_a", array{}},
               {"empty_o", boost::json::object{}}};
  co_await col.store("types", doc);
  auto got = co_await col.get("types");
  BOOST_TEST_REQUIRE(got.has_value());
  BOOST_TEST(without_id(*got) == doc);
  BOOST_TEST(got->at("t").is_bool());
  BOOST_TEST(got->at("d").as_double() == 2.5);
}

asio::awaitable<void> keys_with_unusual_characters_round_trip(Context& ctx) {
  auto& col = ctx.collection();
  const std::string odd_keys[] = {"a b",        "quote'key",    "dq\"key",
                                  "semi;colon", "slash/back\\", "caf\xC3\xA9",
                                  "UPPER",      "upper",        std::string(200, 'k')};
  int n = 0;
  for (const auto& k : odd_keys) {
    Document doc{{"n", n++}};
    co_await col.store(k, std::move(doc));
  }
  n = 0;
  for (const auto& k : odd_keys) {
    auto doc = co_await col.get(k);
    BOOST_TEST_REQUIRE(doc.has_value(), "key " << k);
    BOOST_TEST(doc->at("n") == n++, "key " << k);
    BOOST_TEST(doc->at("_id") == jv(std::string_view(k)));
  }
}

asio::awaitable<void> empty_key_is_invalid_argument(Context& ctx) {
  auto& col = ctx.collection();
  co_await expect_error(col.get(""), errc::invalid_argument, "get(\"\")");
  co_await expect_error(col.store("", R"({"x":1})"_doc), errc::invalid_argument, "store(\"\")");
  co_await expect_error(col.del(""), errc::invalid_argument, "del(\"\")");
  co_await expect_error(col.update("", R"({"x":1})"_doc), errc::invalid_argument, "update(\"\")");
  BOOST_TEST((co_await find_all(col)).empty());
}

asio::awaitable<void> non_finite_numbers_are_invalid_argument(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("finite", R"({"x":1})"_doc);
  Document inf{{"a", Document{{"b", std::numeric_limits<double>::infinity()}}}};
  Document nan{{"list", boost::json::array{1, std::numeric_limits<double>::quiet_NaN()}}};
  co_await expect_error(col.store("inf", inf), errc::invalid_argument, "store(infinity)");
  co_await expect_error(col.insert(nan), errc::invalid_argument, "insert(NaN)");
  co_await expect_error(col.update("finite", inf), errc::invalid_argument, "update(infinity)");
  auto all = co_await find_all(col);
  BOOST_TEST_REQUIRE(all.size() == 1u);  // neither stored, nor the update applied
  BOOST_TEST(all[0].at("x") == 1);
  BOOST_TEST(!all[0].contains("a"));
}

// {"a":{"a":...{"a":1}}} with `depth` objects.
Document nested(std::size_t depth) {
  boost::json::value inner(1);
  for (std::size_t i = 1; i < depth; ++i)
    inner = boost::json::object{{"a", std::move(inner)}};
  return Document{{"a", std::move(inner)}};
}

// One depth limit for every driver, for writing and reading: what one driver stores, every
// driver stores and reads back; one level more is refused before anything is written.
asio::awaitable<void> documents_nest_to_the_shared_limit_and_no_deeper(Context& ctx) {
  auto& col = ctx.collection();
  Document deepest = nested(kMaxDocumentDepth);
  co_await col.store("deepest", deepest);
  auto got = co_await col.get("deepest");
  BOOST_TEST_REQUIRE(got.has_value());
  BOOST_TEST(without_id(*got) == deepest);
  BOOST_TEST((co_await find_all(col)).size() == 1u);
  Document deeper = nested(kMaxDocumentDepth + 1);
  co_await expect_error(col.store("deeper", deeper), errc::invalid_argument, "store(513 deep)");
  co_await expect_error(col.insert(deeper), errc::invalid_argument, "insert(513 deep)");
  Document deep_patch{{"b", deeper.at("a")}};  // not inside co_await: g++ 12's braced-list bug
  co_await expect_error(col.update("deepest", deep_patch), errc::invalid_argument,
                        "update(513 deep)");
  auto all = co_await find_all(col);
  BOOST_TEST_REQUIRE(all.size() == 1u);  // nothing stored, the update not applied
  BOOST_TEST(!all[0].contains("b"));
}

asio::awaitable<void> stored_document_is_a_copy(Context& ctx) {
  auto& col = ctx.collection();
  Document doc{{"v", 1}};
  co_await col.store("copy", doc);
  doc["v"] = 2;
  auto got = co_await col.get("copy");
  BOOST_TEST_REQUIRE(got.has_value());
  BOOST_TEST(got->at("v") == 1);
  (*got)["v"] = 3;  // a result is the caller's: changing it changes nothing stored
  auto again = co_await col.get("copy");
  BOOST_TEST(again->at("v") == 1);
}

}  // namespace

std::vector<Case> kv_cases() {
  return {
      {"store_and_get_retrieves_document", store_and_get_retrieves_document},
      {"get_returns_nullopt_for_missing_key", get_returns_nullopt_for_missing_key},
      {"store_overwrites_existing_document", store_overwrites_existing_document},
      {"delete_removes_document", delete_removes_document},
      {"delete_missing_key_is_a_noop", delete_missing_key_is_a_noop},
      {"get_sets_id_to_key_for_document_without_id", get_sets_id_to_key_for_document_without_id},
      {"get_id_is_the_key_even_if_document_says_otherwise",
       get_id_is_the_key_even_if_document_says_otherwise},
      {"values_of_every_json_type_round_trip", values_of_every_json_type_round_trip},
      {"keys_with_unusual_characters_round_trip", keys_with_unusual_characters_round_trip},
      {"empty_key_is_invalid_argument", empty_key_is_invalid_argument},
      {"non_finite_numbers_are_invalid_argument", non_finite_numbers_are_invalid_argument},
      {"documents_nest_to_the_shared_limit_and_no_deeper",
       documents_nest_to_the_shared_limit_and_no_deeper},
      {"stored_document_is_a_copy", stored_document_is_a_copy},
  };
}

}  // namespace nosqlc::compliance::detail
