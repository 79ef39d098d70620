// Filter semantics beyond pynosqlc's suite (DESIGN.md's table): or, not, dot paths, the key as
// "_id", null, number and string comparison, and the builder passed to find directly.
#include "compliance_support.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

namespace nosqlc::compliance::detail {
namespace {

using boost::json::array;
using boost::json::object;
using filter::Filter;
using Keys = std::vector<std::string>;

asio::awaitable<Keys> seeded_keys(Context& ctx, const filter::Ast& ast) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  co_return sorted_ids(co_await find_all(col, ast));
}

asio::awaitable<void> or_matches_either_condition(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  auto ast = Filter::or_(Filter::where("status").eq("pending"), Filter::where("age").gt(32));
  BOOST_TEST(sorted_ids(co_await find_all(col, ast)) == keys("f3", "f4"));
  // Overlapping branches yield a document once.
  ast = Filter::or_(Filter::where("status").eq("active"), Filter::where("age").eq(30));
  BOOST_TEST(sorted_ids(co_await find_all(col, ast)) == keys("f1", "f3", "f5"));
}

asio::awaitable<void> not_negates_condition(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("status").eq("active").not_())) ==
             keys("f2", "f4"));
  // not of a compound: everything except the active 30-year-olds.
  auto ast = Filter::where("status").eq("active").and_("age").eq(30).not_();
  BOOST_TEST(sorted_ids(co_await find_all(col, ast)) == keys("f2", "f3", "f4"));
}

asio::awaitable<void> nested_and_or_not(Context& ctx) {
  // (tags contains ts OR email exists) AND NOT score < 80
  auto ast = Filter::and_of(
      Filter::or_(Filter::where("tags").contains("ts"), Filter::where("email").exists()),
      Filter::where("score").lt(80).not_());
  BOOST_TEST(co_await seeded_keys(ctx, ast) == keys("f1", "f5"));
}

asio::awaitable<void> empty_and_matches_all_empty_or_matches_none(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  BOOST_TEST((co_await find_all(col, Filter::and_of_vector({}))).size() == 5u);
  BOOST_TEST((co_await find_all(col, Filter::or_of({}))).empty());
}

asio::awaitable<void> dot_paths_reach_nested_fields(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("n1", R"({"address":{"city":"Paris","zip":"75001"}})"_doc);
  co_await col.store("n2", R"({"address":{"city":"Oslo","geo":{"lat":59}}})"_doc);
  co_await col.store("n3", R"({"address":"Paris"})"_doc);       // not an object: no path through it
  co_await col.store("n4", R"({"address.city":"Paris"})"_doc);  // a dot in a name is no path
  co_await col.store("n5", R"({"address":[{"city":"Paris"}]})"_doc);  // arrays are not indexed
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("address.city").eq("Paris"))) ==
             keys("n1"));
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("address.geo.lat").gte(50))) ==
             keys("n2"));
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("address.zip").exists())) ==
             keys("n1"));
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("address.zip").exists(false))) ==
             keys("n2", "n3", "n4", "n5"));
}

asio::awaitable<void> id_field_is_the_key(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);  // stored without "_id"
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("_id").eq("f2"))) == keys("f2"));
  auto some = Filter::where("_id").in_({"f1", "f4", "zz"});
  BOOST_TEST(sorted_ids(co_await find_all(col, some)) == keys("f1", "f4"));
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("_id").ne("f2"))) ==
             keys("f1", "f3", "f4", "f5"));
  BOOST_TEST((co_await find_all(col, Filter::where("_id").eq("missing"))).empty());
  auto ast = Filter::where("_id").in_({"f1", "f3", "f4"}).and_("status").eq("active").build();
  BOOST_TEST(sorted_ids(co_await find_all(col, ast)) == keys("f1", "f3"));
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("_id").gt("f3"))) == keys("f4", "f5"));
}

asio::awaitable<void> every_find_result_has_its_key_as_id(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("a", R"({"v":1})"_doc);
  co_await col.store("b", R"({"v":2,"_id":"wrong"})"_doc);
  auto id = co_await col.insert(R"({"v":3})"_doc);
  auto docs = co_await find_all(col);
  BOOST_TEST(sorted_ids(docs) == keys("a", "b", id));
}

asio::awaitable<void> eq_null_matches_missing_or_null(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("missing", R"({"a":1})"_doc);
  co_await col.store("null", R"({"a":1,"x":null})"_doc);
  co_await col.store("zero", R"({"a":1,"x":0})"_doc);
  co_await col.store("empty", R"({"a":1,"x":""})"_doc);
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("x").eq(nullptr))) ==
             keys("missing", "null"));
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("x").ne(nullptr))) ==
             keys("empty", "zero"));
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("x").exists())) ==
             keys("empty", "zero"));
}

asio::awaitable<void> numbers_compare_by_value(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("int", R"({"n":30})"_doc);
  co_await col.store("dbl", R"({"n":30.0})"_doc);
  co_await col.store("frac", R"({"n":30.5})"_doc);
  co_await col.store("str", R"({"n":"30"})"_doc);
  co_await col.store("bool", R"({"n":true})"_doc);
  co_await col.store("one", R"({"n":1})"_doc);
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("n").eq(30))) == keys("dbl", "int"));
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("n").eq(30.0))) == keys("dbl", "int"));
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("n").gt(30))) == keys("frac"));
  // Booleans are not numbers: true is neither 1 nor greater than 0.
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("n").eq(1))) == keys("one"));
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("n").gt(0))) ==
             keys("dbl", "frac", "int", "one"));
}

asio::awaitable<void> strings_compare_by_code_point(Context& ctx) {
  auto after_c = co_await seeded_keys(ctx, Filter::where("name").gt("C").build());
  BOOST_TEST(after_c == keys("f3", "f4", "f5"));  // Charlie, Dana, Eve
  auto& col = ctx.collection();
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("name").lte("Bob"))) ==
             keys("f1", "f2"));
  // Upper case sorts before lower case; a number never compares with a string.
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("name").gte("a"))).empty());
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("age").gt("10"))).empty());
  BOOST_TEST(sorted_ids(co_await find_all(col, Filter::where("missing").lt(100))).empty());
}

asio::awaitable<void> eq_compares_arrays_and_objects_deeply(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("a", R"({"v":[1,[2,3]],"o":{"x":1,"y":"z"}})"_doc);
  co_await col.store("b", R"({"v":[1,[2,4]],"o":{"x":1}})"_doc);
  auto v_eq = Filter::where("v").eq(array{1, array{2, 3}});
  BOOST_TEST(sorted_ids(co_await find_all(col, v_eq)) == keys("a"));
  auto o_eq = Filter::where("o").eq(object{{"y", "z"}, {"x", 1}});  // member order is irrelevant
  BOOST_TEST(sorted_ids(co_await find_all(col, o_eq)) == keys("a"));
  auto v_contains = Filter::where("v").contains(array{2, 4});
  BOOST_TEST(sorted_ids(co_await find_all(col, v_contains)) == keys("b"));
}

asio::awaitable<void> find_accepts_a_builder_directly(Context& ctx) {
  auto& col = ctx.collection();
  co_await seed_find_documents(col);
  Filter f = Filter::where("status").eq("active").and_("score").gte(90);
  auto cursor = co_await col.find(f);
  BOOST_TEST(sorted_ids(co_await cursor.documents()) == keys("f3", "f5"));
  // An empty builder is `and []`: everything.
  auto all = co_await col.find(Filter());
  BOOST_TEST((co_await all.documents()).size() == 5u);
}

asio::awaitable<void> find_accepts_pynosqlc_json_filters(Context& ctx) {
  auto json = boost::json::parse(R"({"type":"or","conditions":[
      {"type":"condition","field":"age","op":"lt","value":23},
      {"type":"not","condition":{"type":"condition","field":"tags","op":"exists","value":true}}
  ]})");
  BOOST_TEST(co_await seeded_keys(ctx, filter::Ast::from_json(json)) == keys("f4", "f5"));
}

}  // namespace

std::vector<Case> filter_cases() {
  return {
      {"or_matches_either_condition", or_matches_either_condition},
      {"not_negates_condition", not_negates_condition},
      {"nested_and_or_not", nested_and_or_not},
      {"empty_and_matches_all_empty_or_matches_none", empty_and_matches_all_empty_or_matches_none},
      {"dot_paths_reach_nested_fields", dot_paths_reach_nested_fields},
      {"id_field_is_the_key", id_field_is_the_key},
      {"every_find_result_has_its_key_as_id", every_find_result_has_its_key_as_id},
      {"eq_null_matches_missing_or_null", eq_null_matches_missing_or_null},
      {"numbers_compare_by_value", numbers_compare_by_value},
      {"strings_compare_by_code_point", strings_compare_by_code_point},
      {"eq_compares_arrays_and_objects_deeply", eq_compares_arrays_and_objects_deeply},
      {"find_accepts_a_builder_directly", find_accepts_a_builder_directly},
      {"find_accepts_pynosqlc_json_filters", find_accepts_pynosqlc_json_filters},
  };
}

}  // namespace nosqlc::compliance::detail
