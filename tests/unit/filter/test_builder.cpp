// The fluent builder: the exact pynosqlc JSON it produces, and its errors.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <nosqlc/filter/filter.hpp>

#include <string>
#include <utility>

namespace json = boost::json;
using nosqlc::filter::Ast;
using nosqlc::filter::Filter;
using nosqlc::filter::FilterError;
using nosqlc::filter::matches;

namespace {

std::string text(const Ast& ast) {
  return json::serialize(ast.to_json());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(filter_builder)

BOOST_AUTO_TEST_CASE(one_condition_is_the_leaf) {
  BOOST_TEST(text(Filter::where("age").gt(18).build()) ==
             R"({"type":"condition","field":"age","op":"gt","value":18})");
}

BOOST_AUTO_TEST_CASE(zero_conditions_is_empty_and) {
  BOOST_TEST(text(Filter().build()) == R"({"type":"and","conditions":[]})");
  BOOST_TEST(matches(Filter().build(), json::object{{"x", 1}}));
}

BOOST_AUTO_TEST_CASE(chained_conditions_are_an_and) {
  const Ast ast = Filter::where("name").eq("Alice").and_("age").gt(18).build();
  BOOST_TEST(text(ast) == R"({"type":"and","conditions":[)"
                          R"({"type":"condition","field":"name","op":"eq","value":"Alice"},)"
                          R"({"type":"condition","field":"age","op":"gt","value":18}]})");
  BOOST_TEST(matches(ast, json::object{{"name", "Alice"}, {"age", 30}}));
  BOOST_TEST(!matches(ast, json::object{{"name", "Alice"}, {"age", 18}}));
  BOOST_TEST(!matches(ast, json::object{{"name", "Bob"}, {"age", 30}}));
}

BOOST_AUTO_TEST_CASE(every_operator_is_spelled_as_pynosqlc) {
  const Ast ast = Filter::where("a")
                      .eq(1)
                      .and_("b")
                      .ne(nullptr)
                      .and_("c")
                      .gt(1.5)
                      .and_("d")
                      .gte(-1)
                      .and_("e")
                      .lt("m")
                      .and_("f")
                      .lte(true)
                      .and_("g.h")
                      .contains("x")
                      .and_("i")
                      .in_({1, "two", nullptr})
                      .and_("j")
                      .nin(json::array{})
                      .and_("k")
                      .exists()
                      .and_("l")
                      .exists(false)
                      .build();
  const json::value expected = json::parse(R"({"type":"and","conditions":[
      {"type":"condition","field":"a","op":"eq","value":1},
      {"type":"condition","field":"b","op":"ne","value":null},
      {"type":"condition","field":"c","op":"gt","value":1.5},
      {"type":"condition","field":"d","op":"gte","value":-1},
      {"type":"condition","field":"e","op":"lt","value":"m"},
      {"type":"condition","field":"f","op":"lte","value":true},
      {"type":"condition","field":"g.h","op":"contains","value":"x"},
      {"type":"condition","field":"i","op":"in","value":[1,"two",null]},
      {"type":"condition","field":"j","op":"nin","value":[]},
      {"type":"condition","field":"k","op":"exists","value":true},
      {"type":"condition","field":"l","op":"exists","value":false}]})");
  BOOST_TEST(ast.to_json() == expected);
  // Same order as written, and the builder's output is a valid pynosqlc AST.
  BOOST_TEST(Ast::from_json(ast.to_json()).to_json() == expected);
}

BOOST_AUTO_TEST_CASE(not_wraps_build) {
  BOOST_TEST(text(Filter::where("a").eq(1).not_()) ==
             R"({"type":"not","condition":{"type":"condition","field":"a","op":"eq","value":1}})");
  BOOST_TEST(text(Filter::where("a").eq(1).and_("b").eq(2).not_()) ==
             R"({"type":"not","condition":{"type":"and","conditions":[)"
             R"({"type":"condition","field":"a","op":"eq","value":1},)"
             R"({"type":"condition","field":"b","op":"eq","value":2}]}})");
  const Ast none = Filter().not_();
  BOOST_TEST(text(none) == R"({"type":"not","condition":{"type":"and","conditions":[]}})");
  BOOST_TEST(!matches(none, json::object{}));
  const Ast not_a = Filter::where("a").eq(1).not_();
  BOOST_TEST(!matches(not_a, json::object{{"a", 1}}));
  BOOST_TEST(matches(not_a, json::object{{"a", 2}}));
  BOOST_TEST(matches(not_a, json::object{}));
}

BOOST_AUTO_TEST_CASE(or_of_mixed_asts_and_filters) {
  const Filter two = Filter::where("a").eq(1).and_("b").eq(2);
  const Ast leaf = Filter::where("c").lt(0).build();
  const Ast ast = Filter::or_(two, leaf, Filter::where("d").exists());
  BOOST_TEST(text(ast) == R"({"type":"or","conditions":[)"
                          R"({"type":"and","conditions":[)"
                          R"({"type":"condition","field":"a","op":"eq","value":1},)"
                          R"({"type":"condition","field":"b","op":"eq","value":2}]},)"
                          R"({"type":"condition","field":"c","op":"lt","value":0},)"
                          R"({"type":"condition","field":"d","op":"exists","value":true}]})");
  BOOST_TEST(matches(ast, json::object{{"a", 1}, {"b", 2}}));
  BOOST_TEST(!matches(ast, json::object{{"a", 1}, {"b", 3}}));
  BOOST_TEST(matches(ast, json::object{{"c", -1}}));
  BOOST_TEST(matches(ast, json::object{{"d", 0}}));
  BOOST_TEST(!matches(ast, json::object{{"d", nullptr}}));
  // An empty Filter inside or_ is `and []`, which matches everything.
  BOOST_TEST(matches(Filter::or_(Filter(), leaf), json::object{{"c", 5}}));
}

BOOST_AUTO_TEST_CASE(or_and_and_of_no_arguments) {
  BOOST_TEST(text(Filter::or_()) == R"({"type":"or","conditions":[]})");
  BOOST_TEST(!matches(Filter::or_(), json::object{}));
  BOOST_TEST(text(Filter::and_of()) == R"({"type":"and","conditions":[]})");
  BOOST_TEST(text(Filter::or_of({})) == R"({"type":"or","conditions":[]})");
}

BOOST_AUTO_TEST_CASE(and_of_and_nesting) {
  const Ast inner = Filter::or_(Filter::where("x").eq(1), Filter::where("x").eq(2));
  const Ast ast = Filter::and_of(inner, Filter::where("y").ne("z").not_());
  BOOST_TEST(
      text(ast) ==
      R"({"type":"and","conditions":[)"
      R"({"type":"or","conditions":[)"
      R"({"type":"condition","field":"x","op":"eq","value":1},)"
      R"({"type":"condition","field":"x","op":"eq","value":2}]},)"
      R"({"type":"not","condition":{"type":"condition","field":"y","op":"ne","value":"z"}}]})");
  BOOST_TEST(matches(ast, json::object{{"x", 2}, {"y", "z"}}));
  BOOST_TEST(!matches(ast, json::object{{"x", 2}, {"y", "w"}}));
  BOOST_TEST(!matches(ast, json::object{{"x", 3}, {"y", "z"}}));
}

BOOST_AUTO_TEST_CASE(build_is_repeatable) {
  const Filter f = Filter::where("a").eq(1).and_("b").eq(2);
  BOOST_TEST(f.build().to_json() == f.build().to_json());
  BOOST_TEST(f.not_().to_json() == f.not_().to_json());
}

BOOST_AUTO_TEST_CASE(in_and_nin_evaluate) {
  const Ast in = Filter::where("s").in_({"a", "b"}).build();
  BOOST_TEST(matches(in, json::object{{"s", "b"}}));
  BOOST_TEST(!matches(in, json::object{{"s", "c"}}));
  BOOST_TEST(!matches(in, json::object{}));
  const Ast nin = Filter::where("s").nin({"a", "b"}).build();
  BOOST_TEST(!matches(nin, json::object{{"s", "b"}}));
  BOOST_TEST(matches(nin, json::object{}));
}

BOOST_AUTO_TEST_CASE(bad_field_throws_at_the_operator) {
  // where() itself only records the field; the operator validates it.
  auto empty = Filter::where("");
  BOOST_CHECK_THROW(std::move(empty).eq(1), FilterError);
  auto dots = Filter::where("a..b");
  BOOST_CHECK_THROW(std::move(dots).exists(), FilterError);
  BOOST_CHECK_THROW(Filter::where(".a").gt(1), FilterError);
  BOOST_CHECK_THROW(Filter::where("a.").in_({1}), FilterError);
  auto later = Filter::where("ok").eq(1).and_("x..");
  BOOST_CHECK_THROW(std::move(later).lt(3), FilterError);
  try {
    (void)Filter::where("a..b").eq(1);
    BOOST_ERROR("no throw");
  } catch (const FilterError& e) {
    BOOST_TEST(std::string(e.what()).find("a..b") != std::string::npos, e.what());
    BOOST_TEST(e.code() == std::error_code(nosqlc::filter::errc::invalid_filter));
  }
}

BOOST_AUTO_TEST_CASE(dot_path_fields) {
  const Ast ast = Filter::where("address.city").eq("Paris").and_("address.geo.lat").gt(1).build();
  BOOST_TEST(
      matches(ast, json::parse(R"({"address":{"city":"Paris","geo":{"lat":2}}})").as_object()));
  BOOST_TEST(
      !matches(ast, json::parse(R"({"address":{"city":"Paris","geo":[{"lat":2}]}})").as_object()));
  BOOST_TEST(!matches(ast, json::parse(R"({"address":"Paris"})").as_object()));
}

BOOST_AUTO_TEST_SUITE_END()
