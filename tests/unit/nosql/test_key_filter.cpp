#include <nosqlc/nosql/cassandra/key_filter.hpp>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using nosqlc::cassandra::key_restriction;
using nosqlc::filter::Ast;
using nosqlc::filter::Filter;
using Keys = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(cassandra_key_filter)

BOOST_AUTO_TEST_CASE(id_eq_and_in_are_pushed_down) {
  auto eq = key_restriction(Filter::where("_id").eq("k1").build());
  BOOST_TEST_REQUIRE(eq.has_value());
  BOOST_TEST((*eq == Keys{"k1"}));

  auto in = key_restriction(Filter::where("_id").in_({"b", "a", "b", 7}).build());
  BOOST_TEST_REQUIRE(in.has_value());
  BOOST_TEST((*in == Keys{"a", "b"}));  // sorted, deduplicated, non-strings dropped
}

BOOST_AUTO_TEST_CASE(inside_a_root_and) {
  auto one = key_restriction(Filter::where("status").eq("x").and_("_id").eq("k").build());
  BOOST_TEST_REQUIRE(one.has_value());
  BOOST_TEST((*one == Keys{"k"}));

  auto both = key_restriction(
      Filter::where("_id").in_({"a", "b", "c"}).and_("_id").in_({"c", "b", "z"}).build());
  BOOST_TEST_REQUIRE(both.has_value());
  BOOST_TEST((*both == Keys{"b", "c"}));
}

BOOST_AUTO_TEST_CASE(non_string_operand_matches_no_key) {
  auto none = key_restriction(Filter::where("_id").eq(5).build());
  BOOST_TEST_REQUIRE(none.has_value());
  BOOST_TEST(none->empty());
}

BOOST_AUTO_TEST_CASE(other_shapes_need_a_scan) {
  BOOST_TEST(!key_restriction(Ast{}).has_value());
  BOOST_TEST(!key_restriction(Filter::where("status").eq("x").build()).has_value());
  BOOST_TEST(!key_restriction(Filter::where("_id").ne("k").build()).has_value());
  BOOST_TEST(!key_restriction(Filter::where("_id").gt("k").build()).has_value());
  // Under or / not the key set is not a bound.
  BOOST_TEST(!key_restriction(Filter::or_(Filter::where("_id").eq("a"), Filter::where("q").eq(1)))
                  .has_value());
  BOOST_TEST(!key_restriction(Filter::where("_id").eq("a").not_()).has_value());
  // A nested field named like the key is not the key.
  BOOST_TEST(!key_restriction(Filter::where("x._id").eq("a").build()).has_value());
}

BOOST_AUTO_TEST_CASE(from_pynosqlc_json) {
  auto ast = Ast::from_json(boost::json::parse(
      R"({"type":"and","conditions":[{"type":"condition","field":"_id","op":"in","value":["x","y"]},
          {"type":"condition","field":"qty","op":"gt","value":3}]})"));
  auto keys = key_restriction(ast);
  BOOST_TEST_REQUIRE(keys.has_value());
  BOOST_TEST((*keys == Keys{"x", "y"}));
}

BOOST_AUTO_TEST_SUITE_END()
