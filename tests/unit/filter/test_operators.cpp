// contains, in/nin, exists, dot paths and the logical nodes.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <nosqlc/filter/filter.hpp>

#include <memory>
#include <string>
#include <vector>

namespace json = boost::json;
using nosqlc::filter::And;
using nosqlc::filter::Ast;
using nosqlc::filter::lookup;
using nosqlc::filter::make_condition;
using nosqlc::filter::matches;
using nosqlc::filter::Node;
using nosqlc::filter::Not;
using nosqlc::filter::Op;
using nosqlc::filter::Or;

namespace {

struct Row {
  const char* doc;    // JSON object text
  const char* field;  // dot path
  Op op;
  const char* operand;  // JSON text
  bool expected;
};

void run(const Row* rows, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = rows[i];
    BOOST_TEST_CONTEXT("doc " << r.doc << " field " << r.field << " op "
                              << nosqlc::filter::to_string(r.op) << " " << r.operand) {
      const auto doc = json::parse(r.doc).as_object();
      BOOST_TEST(matches(make_condition(r.field, r.op, json::parse(r.operand)), doc) == r.expected);
    }
  }
}

const Row kContains[] = {
    {R"({"f": "hello world"})", "f", Op::contains, R"("lo w")", true},
    {R"({"f": "hello world"})", "f", Op::contains, R"("hello world")", true},
    {R"({"f": "hello world"})", "f", Op::contains, R"("")", true},
    {R"({"f": "hello world"})", "f", Op::contains, R"("Hello")", false},  // case-sensitive
    {R"({"f": "hello world"})", "f", Op::contains, R"("world!")", false},
    {R"({"f": "caf\u00e9 cr\u00e8me"})", "f", Op::contains, R"("\u00e9 cr")", true},
    {R"({"f": "5 apples"})", "f", Op::contains, "5", false},  // operand must be a string
    {R"({"f": "null"})", "f", Op::contains, "null", false},
    {R"({"f": [30, "a"]})", "f", Op::contains, "30.0", true},  // element eq, numbers by value
    {R"({"f": [30, "a"]})", "f", Op::contains, R"("a")", true},
    {R"({"f": [30, "a"]})", "f", Op::contains, R"("30")", false},
    {R"({"f": ["abc"]})", "f", Op::contains, R"("b")", false},  // no substring inside arrays
    {R"({"f": [1]})", "f", Op::contains, "true", false},
    {R"({"f": [[1, 2], {"k": [3]}]})", "f", Op::contains, "[1, 2]", true},
    {R"({"f": [[1, 2], {"k": [3]}]})", "f", Op::contains, R"({"k": [3.0]})", true},
    {R"({"f": [[1, 2], {"k": [3]}]})", "f", Op::contains, "1", false},  // not recursive
    {R"({"f": []})", "f", Op::contains, "null", false},
    {R"({"f": 12345})", "f", Op::contains, "3", false},
    {R"({"f": {"a": 1}})", "f", Op::contains, R"("a")", false},
    {R"({})", "f", Op::contains, "null", false},
    {R"({"f": null})", "f", Op::contains, "null", false},
};

const Row kInNin[] = {
    {R"({"f": 2})", "f", Op::in, "[1, 2, 3]", true},
    {R"({"f": 2.0})", "f", Op::in, "[1, 2, 3]", true},
    {R"({"f": 4})", "f", Op::in, "[1, 2, 3]", false},
    {R"({"f": true})", "f", Op::in, "[1, 0]", false},
    {R"({"f": "b"})", "f", Op::in, R"(["a", "b"])", true},
    {R"({"f": [1, 2]})", "f", Op::in, "[[1, 2], 3]", true},  // whole-value eq, deep
    {R"({"f": [1, 2]})", "f", Op::in, "[1, 2]", false},      // not element-wise
    {R"({"f": 1})", "f", Op::in, "[]", false},
    {R"({})", "f", Op::in, "[1]", false},
    {R"({})", "f", Op::in, "[1, null]", true},  // missing eq null
    {R"({"f": null})", "f", Op::in, "[null]", true},
    {R"({"f": 2})", "f", Op::nin, "[1, 2, 3]", false},
    {R"({"f": 4})", "f", Op::nin, "[1, 2, 3]", true},
    {R"({"f": 1})", "f", Op::nin, "[]", true},
    {R"({})", "f", Op::nin, "[1]", true},
    {R"({})", "f", Op::nin, "[1, null]", false},
    {R"({"f": null})", "f", Op::nin, "[null]", false},
    {R"({"f": "1"})", "f", Op::nin, "[1]", true},
};

const Row kExists[] = {
    {R"({"f": 0})", "f", Op::exists, "true", true},
    {R"({"f": 0})", "f", Op::exists, "false", false},
    {R"({"f": false})", "f", Op::exists, "true", true},  // false is a value
    {R"({"f": ""})", "f", Op::exists, "true", true},
    {R"({"f": []})", "f", Op::exists, "true", true},
    {R"({"f": {}})", "f", Op::exists, "true", true},
    {R"({"f": null})", "f", Op::exists, "true", false},
    {R"({"f": null})", "f", Op::exists, "false", true},
    {R"({})", "f", Op::exists, "true", false},
    {R"({})", "f", Op::exists, "false", true},
    {R"({"g": 1})", "f", Op::exists, "false", true},
};

constexpr const char* kNested =
    R"({"address": {"city": "Paris", "geo": {"lat": 1.5}}, "tags": ["a", "b"],
        "name": "x", "items": [{"id": 1}], "a.b": 7, "n": null})";

const Row kPaths[] = {
    {kNested, "address.city", Op::eq, R"("Paris")", true},
    {kNested, "address.city", Op::ne, R"("London")", true},
    {kNested, "address.geo.lat", Op::gt, "1", true},
    {kNested, "address.geo.lat", Op::lt, "1", false},
    {kNested, "address.geo", Op::eq, R"({"lat": 1.5})", true},
    {kNested, "address", Op::eq, R"({"geo": {"lat": 1.5}, "city": "Paris"})", true},
    {kNested, "address.zip", Op::eq, "null", true},
    {kNested, "address.zip", Op::exists, "true", false},
    // Through a non-object: missing, never an error.
    {kNested, "name.first", Op::eq, R"("x")", false},
    {kNested, "name.first", Op::eq, "null", true},
    {kNested, "name.first", Op::exists, "false", true},
    {kNested, "n.x", Op::exists, "true", false},
    {kNested, "address.city.len", Op::gte, "0", false},
    // Arrays are not indexed, nor searched through.
    {kNested, "tags.0", Op::eq, R"("a")", false},
    {kNested, "tags.0", Op::exists, "true", false},
    {kNested, "items.id", Op::eq, "1", false},
    {kNested, "items.0.id", Op::eq, "1", false},
    {kNested, "tags", Op::contains, R"("b")", true},
    // A key containing a dot is not reachable: "a.b" means a -> b.
    {kNested, "a.b", Op::eq, "7", false},
    {kNested, "a.b", Op::exists, "false", true},
};

Node leaf(const char* field, Op op, json::value v) {
  return make_condition(field, op, v);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(filter_operators)

BOOST_AUTO_TEST_CASE(contains_on_strings_and_arrays) {
  run(kContains, std::size(kContains));
}

BOOST_AUTO_TEST_CASE(in_and_nin) {
  run(kInNin, std::size(kInNin));
}

BOOST_AUTO_TEST_CASE(exists_true_and_false) {
  run(kExists, std::size(kExists));
}

BOOST_AUTO_TEST_CASE(dot_paths) {
  run(kPaths, std::size(kPaths));
}

BOOST_AUTO_TEST_CASE(lookup_returns_the_value_or_null) {
  const auto doc = json::parse(kNested).as_object();
  const auto* city = lookup(doc, {"address", "city"});
  BOOST_REQUIRE(city != nullptr);
  BOOST_TEST(city->as_string() == "Paris");
  const auto* n = lookup(doc, {"n"});
  BOOST_REQUIRE(n != nullptr);  // present null is not missing
  BOOST_TEST(n->is_null());
  BOOST_TEST(lookup(doc, {"name", "first"}) == nullptr);
  BOOST_TEST(lookup(doc, {"tags", "0"}) == nullptr);
  BOOST_TEST(lookup(doc, {"nope"}) == nullptr);
  BOOST_TEST(lookup(doc, {}) == nullptr);
}

BOOST_AUTO_TEST_CASE(condition_path_is_split_once) {
  const Node n = make_condition("a.bc.d", Op::eq, 1);
  const auto& c = std::get<nosqlc::filter::Condition>(n.variant());
  BOOST_TEST(c.field == "a.bc.d");
  BOOST_TEST(c.path == (std::vector<std::string>{"a", "bc", "d"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(empty_and_or_not) {
  const json::object doc{{"a", 1}};
  BOOST_TEST(matches(Ast(), doc));
  BOOST_TEST(matches(Ast(), json::object{}));
  BOOST_TEST(matches(Node(And{}), doc));
  BOOST_TEST(!matches(Node(Or{}), doc));
  BOOST_TEST(!matches(Node(Not{std::make_shared<const Node>(And{})}), doc));
  BOOST_TEST(matches(Node(Not{std::make_shared<const Node>(Or{})}), doc));
}

BOOST_AUTO_TEST_CASE(and_or_not_combine) {
  const json::object doc{{"a", 1}, {"b", "x"}};
  const Node a1 = leaf("a", Op::eq, 1);
  const Node a2 = leaf("a", Op::eq, 2);
  const Node bx = leaf("b", Op::eq, "x");
  BOOST_TEST(matches(Node(And{{a1, bx}}), doc));
  BOOST_TEST(!matches(Node(And{{a1, a2}}), doc));
  BOOST_TEST(!matches(Node(And{{a2, bx}}), doc));  // first false decides too
  BOOST_TEST(matches(Node(Or{{a2, bx}}), doc));
  BOOST_TEST(matches(Node(Or{{a1, a2}}), doc));
  BOOST_TEST(!matches(Node(Or{{a2, leaf("b", Op::eq, "y")}}), doc));
  BOOST_TEST(!matches(Node(Not{std::make_shared<const Node>(a1)}), doc));
  BOOST_TEST(matches(Node(Not{std::make_shared<const Node>(a2)}), doc));
  // not (a == 2 or b == "y") and a == 1
  const Node nested(
      And{{Node(Not{std::make_shared<const Node>(Or{{a2, leaf("b", Op::eq, "y")}})}), a1}});
  BOOST_TEST(matches(nested, doc));
  BOOST_TEST(!matches(nested, json::object{{"a", 1}, {"b", "y"}}));
}

BOOST_AUTO_TEST_CASE(ast_from_json_evaluates) {
  const auto ast = Ast::from_json(json::parse(R"(
    {"type": "or", "conditions": [
      {"type": "and", "conditions": [
        {"type": "condition", "field": "age", "op": "gte", "value": 18},
        {"type": "condition", "field": "age", "op": "lt", "value": 65}]},
      {"type": "condition", "field": "vip", "op": "eq", "value": true}]})"));
  BOOST_TEST(matches(ast, json::object{{"age", 30}}));
  BOOST_TEST(matches(ast, json::object{{"age", 18.0}}));
  BOOST_TEST(!matches(ast, json::object{{"age", 65}}));
  BOOST_TEST(matches(ast, json::object{{"age", 70}, {"vip", true}}));
  BOOST_TEST(!matches(ast, json::object{{"age", "30"}}));
  BOOST_TEST(!matches(ast, json::object{}));
}

BOOST_AUTO_TEST_SUITE_END()
