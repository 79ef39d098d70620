// Document cases: insert with generated keys, update as a shallow merge.
#include "compliance_support.hpp"

#include <boost/json/array.hpp>

#include <set>

namespace nosqlc::compliance::detail {
namespace {

using boost::json::array;
using boost::json::object;

// The pattern [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}, checked by
// hand: std::regex trips GCC 12's -Wmaybe-uninitialized in sanitizer builds.
bool is_uuid_v4(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (i == 8 || i == 13 || i == 18 || i == 23)
                  ? c == '-'
                  : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!ok) return false;
  }
  return s[14] == '4' && std::string_view("89ab").find(s[19]) != std::string_view::npos;
}

asio::awaitable<void> insert_returns_an_id(Context& ctx) {
  auto id = co_await ctx.collection().insert(R"({"name":"Charlie","status":"active"})"_doc);
  BOOST_TEST(!id.empty());
}

asio::awaitable<void> insert_returns_a_uuid_v4(Context& ctx) {
  auto id = co_await ctx.collection().insert(R"({"name":"Charlie"})"_doc);
  BOOST_TEST(is_uuid_v4(id), "not a lower-case UUIDv4: " << id);
}

asio::awaitable<void> inserted_document_retrievable_by_id(Context& ctx) {
  auto& col = ctx.collection();
  auto id = co_await col.insert(R"({"name":"Dana","score":99})"_doc);
  auto doc = co_await col.get(id);
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(doc->at("name") == jv("Dana"));
  BOOST_TEST(doc->at("score") == 99);
  BOOST_TEST(doc->at("_id") == jv(id));
}

asio::awaitable<void> inserted_id_is_stored_in_the_document(Context& ctx) {
  auto& col = ctx.collection();
  auto id = co_await col.insert(R"({"name":"Ivy"})"_doc);
  // Visible through find as well as get: the key is written into the stored document.
  auto docs = co_await find_all(col);
  BOOST_TEST_REQUIRE(docs.size() == 1u);
  BOOST_TEST(docs[0].at("_id") == jv(id));
  BOOST_TEST(docs[0].at("name") == jv("Ivy"));
}

asio::awaitable<void> insert_replaces_a_caller_supplied_id(Context& ctx) {
  auto& col = ctx.collection();
  auto id = co_await col.insert(R"({"_id":"mine","v":1})"_doc);
  BOOST_TEST(id != std::string("mine"));
  BOOST_TEST(is_uuid_v4(id), "not a UUIDv4: " << id);
  auto doc = co_await col.get(id);
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(doc->at("_id") == jv(id));
  BOOST_TEST(!(co_await col.get("mine")).has_value());
}

asio::awaitable<void> two_inserts_produce_different_ids(Context& ctx) {
  auto& col = ctx.collection();
  auto id1 = co_await col.insert(R"({"name":"E1"})"_doc);
  auto id2 = co_await col.insert(R"({"name":"E2"})"_doc);
  BOOST_TEST(id1 != id2);
  std::set<std::string> ids{id1, id2};
  for (int i = 0; i < 50; ++i) {
    Document doc{{"i", i}};
    ids.insert(co_await col.insert(std::move(doc)));
  }
  BOOST_TEST(ids.size() == 52u);
  BOOST_TEST((co_await find_all(col)).size() == 52u);
}

asio::awaitable<void> update_patches_fields_without_destroying_others(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("upd-1", R"({"name":"Frank","age":40,"country":"AU"})"_doc);
  co_await col.update("upd-1", R"({"age":41})"_doc);
  auto doc = co_await col.get("upd-1");
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST(doc->at("age") == 41);
  BOOST_TEST(doc->at("name") == jv("Frank"));
  BOOST_TEST(doc->at("country") == jv("AU"));
  BOOST_TEST(doc->at("_id") == jv("upd-1"));
}

asio::awaitable<void> update_adds_new_fields(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("upd-add", R"({"a":1})"_doc);
  co_await col.update("upd-add", R"({"b":"two","c":[3]})"_doc);
  auto doc = co_await col.get("upd-add");
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST((without_id(*doc) == object{{"a", 1}, {"b", "two"}, {"c", array{3}}}));
}

asio::awaitable<void> update_replaces_nested_objects_whole(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("upd-nested", R"({"name":"G","address":{"city":"Paris","zip":"75001"}})"_doc);
  co_await col.update("upd-nested", R"({"address":{"city":"Oslo"}})"_doc);
  auto doc = co_await col.get("upd-nested");
  BOOST_TEST_REQUIRE(doc.has_value());
  // Shallow: the patch's object replaces the stored one, "zip" is gone.
  BOOST_TEST((doc->at("address") == object{{"city", "Oslo"}}));
  BOOST_TEST(doc->at("name") == jv("G"));
}

asio::awaitable<void> update_with_empty_patch_keeps_document(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("upd-empty", R"({"a":1,"b":2})"_doc);
  co_await col.update("upd-empty", Document{});
  auto doc = co_await col.get("upd-empty");
  BOOST_TEST_REQUIRE(doc.has_value());
  BOOST_TEST((without_id(*doc) == object{{"a", 1}, {"b", 2}}));
}

asio::awaitable<void> update_of_missing_key_is_document_not_found(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("exists", R"({"a":1})"_doc);
  co_await expect_error(col.update("missing", R"({"a":2})"_doc), errc::document_not_found,
                        "update(missing)");
  // A failed update must not create the document.
  BOOST_TEST(!(co_await col.get("missing")).has_value());
  BOOST_TEST((co_await find_all(col)).size() == 1u);
}

asio::awaitable<void> update_after_delete_is_document_not_found(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("gone", R"({"a":1})"_doc);
  co_await col.del("gone");
  co_await expect_error(col.update("gone", R"({"a":2})"_doc), errc::document_not_found,
                        "update(deleted)");
  BOOST_TEST(!(co_await col.get("gone")).has_value());
}

}  // namespace

std::vector<Case> document_cases() {
  return {
      {"insert_returns_an_id", insert_returns_an_id},
      {"insert_returns_a_uuid_v4", insert_returns_a_uuid_v4},
      {"inserted_document_retrievable_by_id", inserted_document_retrievable_by_id},
      {"inserted_id_is_stored_in_the_document", inserted_id_is_stored_in_the_document},
      {"insert_replaces_a_caller_supplied_id", insert_replaces_a_caller_supplied_id},
      {"two_inserts_produce_different_ids", two_inserts_produce_different_ids},
      {"update_patches_fields_without_destroying_others",
       update_patches_fields_without_destroying_others},
      {"update_adds_new_fields", update_adds_new_fields},
      {"update_replaces_nested_objects_whole", update_replaces_nested_objects_whole},
      {"update_with_empty_patch_keeps_document", update_with_empty_patch_keeps_document},
      {"update_of_missing_key_is_document_not_found", update_of_missing_key_is_document_not_found},
      {"update_after_delete_is_document_not_found", update_after_delete_is_document_not_found},
  };
}

}  // namespace nosqlc::compliance::detail
