// Find cases ported from pynosqlc: every operator over the five seed documents. Where
// pynosqlc only checks a lower bound, these check the exact set of keys.
#include "compliance_support.hpp"

#include <boost/json/array.hpp>

namespace nosqlc::compliance::detail {

using boost::json::array;
using filter::Filter;
using Keys = std::vector<std::string>;

asio::awaitable<void> seed_find_documents(Collection& col) {
  co_await col.store(
      "f1", R"({"name":"Alice","age":30,"status":"active","tags":["js","ts"],"score":85})"_doc);
  co_await col.store("f2",
                     R"({"name":"Bob","age":25,"status":"inactive","tags":["py"],"score":70})"_doc);
  co_await col.store(
      "f3", R"({"name":"Charlie","age":35,"status":"active","tags":["js","go"],"score":90})"_doc);
  co_await col.store("f4",
                     R"({"name":"Dana","age":22,"status":"pending","tags":["ts"],"score":60})"_doc);
  co_await col.store(
      "f5",
      R"({"name":"Eve","age":30,"status":"active","score":95,"email":"eve@example.com"})"_doc);
}

namespace {

// Seeds the case's collection and returns the documents `ast` finds.
asio::awaitable<std::vector<Document>> seeded_find(Context& ctx, const filter::Ast& ast) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  co_return co_await find_all(col, ast);
}

asio::awaitable<void> eq_finds_matching_documents(Context& ctx) {
  auto docs = co_await seeded_find(ctx, Filter::where("status").eq("active").build());
  BOOST_TEST(sorted_ids(docs) == keys("f1", "f3", "f5"));
  for (const auto& d : docs)
    BOOST_TEST(d.at("status") == jv("active"));
}

asio::awaitable<void> ne_finds_non_matching_documents(Context& ctx) {
  auto docs = co_await seeded_find(ctx, Filter::where("status").ne("active").build());
  BOOST_TEST(sorted_ids(docs) == keys("f2", "f4"));
  for (const auto& d : docs)
    BOOST_TEST(d.at("status") != jv("active"));
}

asio::awaitable<void> gt_finds_documents_greater_than_value(Context& ctx) {
  auto docs = co_await seeded_find(ctx, Filter::where("age").gt(29).build());
  BOOST_TEST(sorted_ids(docs) == keys("f1", "f3", "f5"));
  for (const auto& d : docs)
    BOOST_TEST(d.at("age").to_number<double>() > 29);
}

asio::awaitable<void> lt_finds_documents_less_than_value(Context& ctx) {
  auto docs = co_await seeded_find(ctx, Filter::where("age").lt(25).build());
  BOOST_TEST(sorted_ids(docs) == keys("f4"));
}

asio::awaitable<void> gte_finds_documents_gte_value(Context& ctx) {
  auto docs = co_await seeded_find(ctx, Filter::where("score").gte(90).build());
  BOOST_TEST(sorted_ids(docs) == keys("f3", "f5"));  // 90 itself included
}

asio::awaitable<void> lte_finds_documents_lte_value(Context& ctx) {
  auto docs = co_await seeded_find(ctx, Filter::where("score").lte(70).build());
  BOOST_TEST(sorted_ids(docs) == keys("f2", "f4"));  // 70 itself included
}

asio::awaitable<void> contains_finds_array_field_containing_value(Context& ctx) {
  auto docs = co_await seeded_find(ctx, Filter::where("tags").contains("js").build());
  BOOST_TEST(sorted_ids(docs) == keys("f1", "f3"));
}

asio::awaitable<void> contains_finds_substring_of_string_field(Context& ctx) {
  auto docs = co_await seeded_find(ctx, Filter::where("name").contains("li").build());
  BOOST_TEST(sorted_ids(docs) == keys("f1", "f3"));  // Alice, Charlie
}

asio::awaitable<void> in_finds_documents_with_field_in_values(Context& ctx) {
  auto ast = Filter::where("status").in_({"active", "pending"}).build();
  auto docs = co_await seeded_find(ctx, ast);
  BOOST_TEST(sorted_ids(docs) == keys("f1", "f3", "f4", "f5"));
}

asio::awaitable<void> nin_finds_documents_with_field_not_in_values(Context& ctx) {
  auto ast = Filter::where("status").nin({"inactive", "pending"}).build();
  auto docs = co_await seeded_find(ctx, ast);
  BOOST_TEST(sorted_ids(docs) == keys("f1", "f3", "f5"));
}

asio::awaitable<void> exists_true_finds_documents_where_field_present(Context& ctx) {
  auto docs = co_await seeded_find(ctx, Filter::where("email").exists(true).build());
  BOOST_TEST(sorted_ids(docs) == keys("f5"));
}

asio::awaitable<void> exists_false_finds_documents_where_field_absent(Context& ctx) {
  auto docs = co_await seeded_find(ctx, Filter::where("email").exists(false).build());
  BOOST_TEST(sorted_ids(docs) == keys("f1", "f2", "f3", "f4"));
  for (const auto& d : docs)
    BOOST_TEST(!d.contains("email"));
}

asio::awaitable<void> compound_and_applies_both_conditions(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto older = Filter::where("status").eq("active").and_("age").gt(29).build();
  BOOST_TEST(sorted_ids(co_await find_all(col, older)) == keys("f1", "f3", "f5"));
  // A second condition that removes some of the first's matches.
  auto high = Filter::where("status").eq("active").and_("score").gt(86).build();
  BOOST_TEST(sorted_ids(co_await find_all(col, high)) == keys("f3", "f5"));
  auto three = Filter::where("status").eq("active").and_("age").eq(30).and_("score").lt(90).build();
  BOOST_TEST(sorted_ids(co_await find_all(col, three)) == keys("f1"));
}

asio::awaitable<void> cursor_iteration_with_next(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto cursor = co_await col.find(Filter::where("status").eq("active").build());
  std::vector<Document> docs;
  while (co_await cursor.next())
    docs.push_back(cursor.document());
  BOOST_TEST(sorted_ids(docs) == keys("f1", "f3", "f5"));
  BOOST_TEST(!(co_await cursor.next()));  // stays at the end
  co_await cursor.close();
}

asio::awaitable<void> find_without_filter_returns_everything(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  BOOST_TEST(sorted_ids(co_await find_all(col)) == keys("f1", "f2", "f3", "f4", "f5"));
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter().build())) ==
             keys("f1", "f2", "f3", "f4", "f5"));
}

asio::awaitable<void> find_on_empty_collection_returns_nothing(Context& ctx) {
  auto& col = ctx.collection();
  BOOST_TEST((co_await find_all(col)).empty());
  BOOST_TEST((co_await find_all(col, Filter::where("a").eq(1).build())).empty());
}

asio::awaitable<void> find_results_carry_id_and_stored_fields(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto docs = co_await find_all(col, Filter::where("name").eq("Alice").build());
  BOOST_TEST_REQUIRE(docs.size() == 1u);
  auto expected = *co_await col.get("f1");
  BOOST_TEST(docs[0] == expected);
  BOOST_TEST(docs[0].at("_id") == jv("f1"));
}

asio::awaitable<void> find_reflects_updates_and_deletes(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  co_await col.update("f2", R"({"status":"active"})"_doc);
  co_await col.del("f1");
  auto docs = co_await find_all(col, Filter::where("status").eq("active").build());
  BOOST_TEST(sorted_ids(docs) == keys("f2", "f3", "f5"));
}

}  // namespace

std::vector<Case> find_cases() {
  return {
      {"eq_finds_matching_documents", eq_finds_matching_documents},
      {"ne_finds_non_matching_documents", ne_finds_non_matching_documents},
      {"gt_finds_documents_greater_than_value", gt_finds_documents_greater_than_value},
      {"lt_finds_documents_less_than_value", lt_finds_documents_less_than_value},
      {"gte_finds_documents_gte_value", gte_finds_documents_gte_value},
      {"lte_finds_documents_lte_value", lte_finds_documents_lte_value},
      {"contains_finds_array_field_containing_value", contains_finds_array_field_containing_value},
      {"contains_finds_substring_of_string_field", contains_finds_substring_of_string_field},
      {"in_finds_documents_with_field_in_values", in_finds_documents_with_field_in_values},
      {"nin_finds_documents_with_field_not_in_values",
       nin_finds_documents_with_field_not_in_values},
      {"exists_true_finds_documents_where_field_present",
       exists_true_finds_documents_where_field_present},
      {"exists_false_finds_documents_where_field_absent",
       exists_false_finds_documents_where_field_absent},
      {"compound_and_applies_both_conditions", compound_and_applies_both_conditions},
      {"cursor_iteration_with_next", cursor_iteration_with_next},
      {"find_without_filter_returns_everything", find_without_filter_returns_everything},
      {"find_on_empty_collection_returns_nothing", find_on_empty_collection_returns_nothing},
      {"find_results_carry_id_and_stored_fields", find_results_carry_id_and_stored_fields},
      {"find_reflects_updates_and_deletes", find_reflects_updates_and_deletes},
  };
}

}  // namespace nosqlc::compliance::detail
