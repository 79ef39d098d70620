// The pynosqlc JSON form: round trips, invalid ASTs with the offending node's path, and the
// nesting bound.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <nosqlc/filter/filter.hpp>

#include <string>
#include <system_error>

namespace json = boost::json;
using nosqlc::filter::Ast;
using nosqlc::filter::errc;
using nosqlc::filter::FilterError;
using nosqlc::filter::Op;

namespace {

// Pynosqlc-shaped ASTs; to_json must give back exactly these values.
const char* const kRoundTrips[] = {
    R"({"type":"condition","field":"age","op":"gt","value":18})",
    R"({"type":"condition","field":"name","op":"eq","value":"Al\u00efce \ud83d\ude00"})",
    R"({"type":"condition","field":"address.city","op":"ne","value":null})",
    R"({"type":"condition","field":"score","op":"gte","value":-2.5e-3})",
    R"({"type":"condition","field":"big","op":"lt","value":18446744073709551615})",
    R"({"type":"condition","field":"small","op":"lte","value":-9223372036854775808})",
    R"({"type":"condition","field":"tags","op":"contains","value":{"k":[1,{"z":null}]}})",
    R"({"type":"condition","field":"status","op":"in","value":["a","b",1,null]})",
    R"({"type":"condition","field":"status","op":"nin","value":[]})",
    R"({"type":"condition","field":"email","op":"exists","value":false})",
    R"({"type":"and","conditions":[]})",
    R"({"type":"or","conditions":[]})",
    R"({"type":"not","condition":{"type":"condition","field":"a","op":"eq","value":true}})",
    R"({"type":"and","conditions":[
        {"type":"condition","field":"age","op":"gte","value":18},
        {"type":"or","conditions":[
          {"type":"condition","field":"city","op":"eq","value":"Paris"},
          {"type":"not","condition":{"type":"and","conditions":[
            {"type":"condition","field":"x.y.z","op":"exists","value":true},
            {"type":"not","condition":{"type":"or","conditions":[]}}]}}]},
        {"type":"condition","field":"n","op":"eq","value":[1,[2,[3]]]}]})",
};

}  // namespace

BOOST_AUTO_TEST_SUITE(filter_json)

BOOST_AUTO_TEST_CASE(round_trips) {
  for (const char* text : kRoundTrips) {
    BOOST_TEST_CONTEXT(text) {
      const json::value original = json::parse(text);
      const Ast ast = Ast::from_json(original);
      const json::value back = ast.to_json();
      BOOST_TEST(back == original);
      BOOST_TEST(Ast::from_json(back).to_json() == original);
    }
  }
}

BOOST_AUTO_TEST_CASE(leaf_serializes_in_pynosqlc_member_order) {
  const auto v = Ast(nosqlc::filter::make_condition("age", Op::in, json::array{1, 2})).to_json();
  BOOST_TEST(json::serialize(v) == R"({"type":"condition","field":"age","op":"in","value":[1,2]})");
  BOOST_TEST(json::serialize(Ast().to_json()) == R"({"type":"and","conditions":[]})");
}

BOOST_AUTO_TEST_CASE(extra_members_are_ignored) {
  const auto ast = Ast::from_json(json::parse(
      R"({"type":"not","comment":"x","condition":
          {"type":"condition","field":"a","op":"eq","value":1,"extra":[true]}})"));
  BOOST_TEST(json::serialize(ast.to_json()) ==
             R"({"type":"not","condition":{"type":"condition","field":"a","op":"eq","value":1}})");
}

BOOST_AUTO_TEST_CASE(typed_ast_from_json) {
  const auto ast =
      Ast::from_json(json::parse(R"({"type":"condition","field":"a.b","op":"nin","value":[1]})"));
  const auto* c = std::get_if<nosqlc::filter::Condition>(&ast.root().variant());
  BOOST_REQUIRE(c != nullptr);
  BOOST_TEST((c->op == Op::nin));
  BOOST_TEST(c->field == "a.b");
  BOOST_TEST(c->path.size() == 2u);
  BOOST_TEST(c->value == json::parse("[1]"));
}

BOOST_AUTO_TEST_CASE(op_names) {
  const std::pair<Op, const char*> names[] = {{Op::eq, "eq"},
                                              {Op::ne, "ne"},
                                              {Op::gt, "gt"},
                                              {Op::gte, "gte"},
                                              {Op::lt, "lt"},
                                              {Op::lte, "lte"},
                                              {Op::contains, "contains"},
                                              {Op::in, "in"},
                                              {Op::nin, "nin"},
                                              {Op::exists, "exists"}};
  for (const auto& [op, name] : names) {
    BOOST_TEST(nosqlc::filter::to_string(op) == name);
    BOOST_TEST((nosqlc::filter::op_from_string(name) == op));
  }
  for (const char* bad : {"EQ", "in_", "", "between", "eq ", "not"}) {
    BOOST_TEST_CONTEXT(bad) {
      BOOST_TEST(!nosqlc::filter::op_from_string(bad).has_value());
    }
  }
}

BOOST_AUTO_TEST_CASE(error_category) {
  const std::error_code ec = errc::invalid_filter;
  BOOST_TEST(ec.category().name() == std::string("nosqlc.filter"));
  BOOST_TEST(ec.message() == "invalid filter");
  BOOST_TEST(&ec.category() == &nosqlc::filter::filter_category());
  const FilterError e("conditions[1]", "unknown op \"between\"");
  BOOST_TEST(e.code() == ec);
  BOOST_TEST(e.node() == "conditions[1]");
  BOOST_TEST(std::string(e.what()) == "invalid filter at conditions[1]: unknown op \"between\"");
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

struct Invalid {
  const char* name;
  const char* json;
  const char* node;     // expected node()
  const char* mention;  // expected substring of what()
};

#define LEAF(field, op, value) \
  R"({"type":"condition","field":)" field R"(,"op":)" op R"(,"value":)" value "}"

const Invalid kInvalid[] = {
    {"root array", "[1]", "", "not an object"},
    {"root string", R"("and")", "", "not an object"},
    {"root null", "null", "", "not an object"},
    {"missing type", R"({"field":"a","op":"eq","value":1})", "", R"(missing member "type")"},
    {"type not a string", R"({"type":1})", "", R"(member "type" is not a string)"},
    {"unknown type", R"({"type":"xor","conditions":[]})", "", R"(unknown type "xor")"},
    {"type case", R"({"type":"AND","conditions":[]})", "", R"(unknown type "AND")"},
    {"unknown op",
     R"({"type":"and","conditions":[)" LEAF(R"("a")", R"("eq")", "1") "," LEAF(
         R"("a")", R"("between")", "[1,2]") "]}",
     "conditions[1]", R"(unknown op "between")"},
    {"op case", LEAF(R"("a")", R"("EQ")", "1"), "", R"(unknown op "EQ")"},
    {"builder spelling of in", LEAF(R"("a")", R"("in_")", "[1]"), "", R"(unknown op "in_")"},
    {"op not a string", LEAF(R"("a")", "1", "1"), "", R"(member "op" is not a string)"},
    {"missing op", R"({"type":"condition","field":"a","value":1})", "", R"(missing member "op")"},
    {"missing field", R"({"type":"condition","op":"eq","value":1})", "",
     R"(missing member "field")"},
    {"field not a string", LEAF(R"(["a"])", R"("eq")", "1"), "",
     R"(member "field" is not a string)"},
    {"field null", LEAF("null", R"("eq")", "1"), "", R"(member "field" is not a string)"},
    {"empty field", LEAF(R"("")", R"("eq")", "1"), "", "empty field"},
    {"empty middle segment", LEAF(R"("a..b")", R"("eq")", "1"), "",
     R"(empty segment in field "a..b")"},
    {"leading dot", LEAF(R"(".a")", R"("eq")", "1"), "", "empty segment"},
    {"trailing dot", LEAF(R"("a.")", R"("eq")", "1"), "", "empty segment"},
    {"missing value", R"({"type":"condition","field":"a","op":"eq"})", "",
     R"(missing member "value")"},
    {"in scalar", LEAF(R"("a")", R"("in")", "1"), "", R"(op "in" needs an array value)"},
    {"in null", LEAF(R"("a")", R"("in")", "null"), "", R"(op "in" needs an array value)"},
    {"nin object", LEAF(R"("a")", R"("nin")", R"({"x":1})"), "",
     R"(op "nin" needs an array value)"},
    {"exists number", LEAF(R"("a")", R"("exists")", "1"), "", R"(op "exists" needs a bool value)"},
    {"exists string", LEAF(R"("a")", R"("exists")", R"("true")"), "", "needs a bool"},
    {"exists null", LEAF(R"("a")", R"("exists")", "null"), "", "needs a bool"},
    {"and without conditions", R"({"type":"and"})", "", R"(missing member "conditions")"},
    {"or conditions object", R"({"type":"or","conditions":{}})", "",
     R"(member "conditions" is not an array)"},
    {"and conditions string", R"({"type":"and","conditions":"x"})", "",
     R"(member "conditions" is not an array)"},
    {"list element not an object",
     R"({"type":"and","conditions":[{"type":"or","conditions":[]},7]})", "conditions[1]",
     "not an object"},
    {"not without condition", R"({"type":"not"})", "", R"(missing member "condition")"},
    {"not with a list", R"({"type":"not","condition":[]})", "condition", "not an object"},
    {"not with conditions member", R"({"type":"not","conditions":[]})", "",
     R"(missing member "condition")"},
    {"nested not in or",
     R"({"type":"or","conditions":[{"type":"and","conditions":[]},
        {"type":"not","condition":)" LEAF(R"("a")", R"("zz")", "1") "}]}",
     "conditions[1].condition", R"(unknown op "zz")"},
    {"list inside not", R"({"type":"not","condition":{"type":"and","conditions":[{"type":"x"}]}})",
     "condition.conditions[0]", R"(unknown type "x")"},
    {"deep list", R"({"type":"and","conditions":[{"type":"or","conditions":[
        {"type":"and","conditions":[]},)" LEAF(R"("a")", R"("in")", "3") "]}]}",
     "conditions[0].conditions[1]", "needs an array"},
};

#undef LEAF

void check_invalid(const json::value& v, const std::string& node, const std::string& mention) {
  try {
    (void)Ast::from_json(v);
    BOOST_ERROR("from_json accepted an invalid AST");
  } catch (const FilterError& e) {
    BOOST_TEST(e.node() == node);
    const std::string what = e.what();
    BOOST_TEST(what.find(mention) != std::string::npos, "what() = " << what);
    const std::string where = node.empty() ? "root" : node;
    BOOST_TEST(what.rfind("invalid filter at " + where + ": ", 0) == 0u, "what() = " << what);
    BOOST_TEST(e.code() == std::error_code(errc::invalid_filter));
  }
}

// `levels` nested nodes: levels-1 `not`s around one leaf.
json::value nested_nots(int levels) {
  json::value v = json::parse(R"({"type":"condition","field":"a","op":"eq","value":1})");
  for (int i = 1; i < levels; ++i) {
    json::object o;
    o["type"] = "not";
    o["condition"] = std::move(v);
    v = std::move(o);
  }
  return v;
}

// `levels` nested `and` nodes, the innermost empty.
json::value nested_ands(int levels) {
  json::value v = json::parse(R"({"type":"and","conditions":[]})");
  for (int i = 1; i < levels; ++i) {
    json::object o;
    o["type"] = "and";
    o["conditions"] = json::array{std::move(v)};
    v = std::move(o);
  }
  return v;
}

std::string repeat_path(const char* step, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i) out += '.';
    out += step;
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(filter_json_invalid)

BOOST_AUTO_TEST_CASE(invalid_asts_name_the_node) {
  for (const auto& c : kInvalid) {
    BOOST_TEST_CONTEXT(c.name << ": " << c.json) {
      check_invalid(json::parse(c.json), c.node, c.mention);
    }
  }
}

BOOST_AUTO_TEST_CASE(make_condition_validates_operands) {
  BOOST_CHECK_THROW(nosqlc::filter::make_condition("a", Op::in, 1), FilterError);
  BOOST_CHECK_THROW(nosqlc::filter::make_condition("a", Op::nin, "x"), FilterError);
  BOOST_CHECK_THROW(nosqlc::filter::make_condition("a", Op::exists, 0), FilterError);
  BOOST_CHECK_THROW(nosqlc::filter::make_condition("", Op::eq, 0), FilterError);
  BOOST_CHECK_THROW(nosqlc::filter::make_condition("a..b", Op::eq, 0), FilterError);
  // Anything else is a valid operand for the other ops.
  BOOST_CHECK_NO_THROW(nosqlc::filter::make_condition("a", Op::gt, json::array{}));
  BOOST_CHECK_NO_THROW(nosqlc::filter::make_condition("a", Op::contains, nullptr));
  BOOST_CHECK_NO_THROW(nosqlc::filter::make_condition("a", Op::in, json::array{}));
}

BOOST_AUTO_TEST_CASE(nesting_up_to_100_levels_is_accepted) {
  const auto ast = Ast::from_json(nested_nots(100));
  BOOST_TEST(!nosqlc::filter::matches(ast, json::object{{"a", 1}}));  // 99 nots: odd count
  BOOST_TEST(nosqlc::filter::matches(ast, json::object{{"a", 2}}));
  BOOST_CHECK_NO_THROW(Ast::from_json(nested_ands(100)));
}

BOOST_AUTO_TEST_CASE(nesting_deeper_than_100_is_rejected) {
  check_invalid(nested_nots(101), repeat_path("condition", 100), "nesting deeper than 100");
  check_invalid(nested_ands(101), repeat_path("conditions[0]", 100), "nesting deeper than 100");
}

BOOST_AUTO_TEST_CASE(hostile_depth_does_not_overflow) {
  // Far deeper than a stack could recurse through. Built in a loop: Boost.JSON's own parser
  // recurses and would overflow first at this depth.
  constexpr int kDepth = 200000;
  json::value v = nested_nots(kDepth);
  BOOST_CHECK_THROW(Ast::from_json(v), FilterError);
  // Dismantle iteratively: the recursive destructor of a value this deep would overflow.
  while (v.is_object() && v.as_object().contains("condition")) {
    json::value inner = std::move(v.as_object()["condition"]);
    v = std::move(inner);
  }
}

BOOST_AUTO_TEST_SUITE_END()
