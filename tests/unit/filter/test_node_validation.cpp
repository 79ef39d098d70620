// Nodes built directly through the public constructors: each invalid shape is rejected with
// invalid_filter, moved-from nodes stay valid, nesting is bounded as in from_json, and nodes
// cannot be assigned (which could make a cycle).
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <nosqlc/filter/filter.hpp>

#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace json = boost::json;
using nosqlc::filter::And;
using nosqlc::filter::Ast;
using nosqlc::filter::Condition;
using nosqlc::filter::errc;
using nosqlc::filter::Filter;
using nosqlc::filter::FilterError;
using nosqlc::filter::make_condition;
using nosqlc::filter::matches;
using nosqlc::filter::Node;
using nosqlc::filter::Not;
using nosqlc::filter::Op;
using nosqlc::filter::Or;

// Assigning to a node that some `not` shares could make it its own descendant.
static_assert(!std::is_copy_assignable_v<Node>);
static_assert(!std::is_move_assignable_v<Node>);
static_assert(std::is_nothrow_move_constructible_v<Node>);
// The values callers hold stay assignable.
static_assert(std::is_copy_assignable_v<Ast>);
static_assert(std::is_nothrow_move_assignable_v<Ast>);
static_assert(std::is_copy_assignable_v<Filter>);
static_assert(std::is_nothrow_move_assignable_v<Filter>);

namespace {

using Path = std::vector<std::string>;

Condition leaf(std::string field, Path path, Op op, json::value value) {
  Condition c;
  c.field = std::move(field);
  c.path = std::move(path);
  c.op = op;
  c.value = std::move(value);
  return c;
}

void check_rejected(const std::function<Node()>& build, const std::string& mention) {
  try {
    (void)build();
    BOOST_ERROR("an invalid node was built");
  } catch (const FilterError& e) {
    BOOST_TEST(e.node() == "");  // the node under construction
    const std::string what = e.what();
    BOOST_TEST(what.rfind("invalid filter at root: ", 0) == 0u, "what() = " << what);
    BOOST_TEST(what.find(mention) != std::string::npos, "what() = " << what);
    BOOST_TEST(e.code() == std::error_code(errc::invalid_filter));
  }
}

struct BadLeaf {
  const char* name;
  const char* field;
  Path path;
  Op op;
  const char* operand;  // JSON text
  const char* mention;
};

const BadLeaf kBadLeaves[] = {
    {"empty field", "", Path{}, Op::eq, "1", "empty field"},
    {"empty field, path given", "", Path{"a"}, Op::eq, "1", "empty field"},
    {"empty path", "a", Path{}, Op::eq, "1", R"(path is not field "a" split at dots)"},
    {"path too short", "a.b", Path{"a"}, Op::eq, "1", "path is not field"},
    {"path too long", "a", Path{"a", "b"}, Op::eq, "1", "path is not field"},
    {"path reordered", "a.b", Path{"b", "a"}, Op::eq, "1", "path is not field"},
    {"path of another field", "a", Path{"b"}, Op::eq, "1", "path is not field"},
    {"path joined", "a.b", Path{"a.b"}, Op::eq, "1", "path is not field"},
    {"empty segment", "a..b", Path{"a", "", "b"}, Op::eq, "1", R"(empty segment in field "a..b")"},
    {"leading dot", ".a", Path{"", "a"}, Op::eq, "1", "empty segment"},
    {"trailing dot", "a.", Path{"a", ""}, Op::eq, "1", "empty segment"},
    {"in scalar", "a", Path{"a"}, Op::in, "1", R"(op "in" needs an array value, got number)"},
    {"in null", "a", Path{"a"}, Op::in, "null", R"(op "in" needs an array value, got null)"},
    {"in object", "a", Path{"a"}, Op::in, R"({"x":[1]})", "needs an array value, got object"},
    {"nin string", "a", Path{"a"}, Op::nin, R"("x")", R"(op "nin" needs an array value)"},
    {"exists number", "a", Path{"a"}, Op::exists, "1", R"(op "exists" needs a bool value)"},
    {"exists null", "a", Path{"a"}, Op::exists, "null", "needs a bool value, got null"},
    {"exists array", "a", Path{"a"}, Op::exists, "[true]", "needs a bool value, got array"},
    {"op past the last", "a", Path{"a"}, static_cast<Op>(10), "1", "unknown op 10"},
    {"op 255", "a", Path{"a"}, static_cast<Op>(255), "1", "unknown op 255"},
};

// `levels` nested nodes: levels-1 `not`s around one leaf. Ast holds the partial tree because
// a Node cannot be assigned.
Node nested_nots(int levels) {
  Ast a(make_condition("a", Op::eq, 1));
  for (int i = 1; i < levels; ++i)
    a = Ast(Node(Not{std::make_shared<const Node>(a.root())}));
  return a.root();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(filter_node_validation)

BOOST_AUTO_TEST_CASE(invalid_leaves_are_rejected) {
  for (const auto& c : kBadLeaves) {
    BOOST_TEST_CONTEXT(c.name) {
      check_rejected([&] { return Node(leaf(c.field, c.path, c.op, json::parse(c.operand))); },
                     c.mention);
    }
  }
}

BOOST_AUTO_TEST_CASE(valid_leaves_built_directly_behave_as_make_condition) {
  const Node in(leaf("a.b", Path{"a", "b"}, Op::in, json::array{1, "x"}));
  BOOST_TEST(matches(in, json::object{{"a", json::object{{"b", "x"}}}}));
  BOOST_TEST(!matches(in, json::object{{"a", json::object{{"b", 2}}}}));
  BOOST_TEST(Ast(in).to_json() ==
             Ast(make_condition("a.b", Op::in, json::array{1, "x"})).to_json());
  BOOST_CHECK_NO_THROW(Node(leaf("x", Path{"x"}, Op::exists, false)));
  BOOST_CHECK_NO_THROW(Node(leaf("x", Path{"x"}, Op::gt, json::array{})));
  BOOST_CHECK_NO_THROW(Node(leaf("x", Path{"x"}, Op::nin, json::array{})));
}

BOOST_AUTO_TEST_CASE(not_needs_a_child) {
  check_rejected([] { return Node(Not{}); }, R"("not" with a null condition)");
  check_rejected([] { return Node(Not{std::shared_ptr<const Node>()}); }, "null condition");
  check_rejected([] { return Node(Not{nullptr}); }, "null condition");
}

BOOST_AUTO_TEST_CASE(invalid_children_cannot_reach_a_list) {
  // The child is a Node, so it is rejected when it is built, before any list holds it.
  const Node ok = make_condition("a", Op::eq, 1);
  BOOST_CHECK_THROW((Node(And{{ok, Node(Not{})}})), FilterError);
  BOOST_CHECK_THROW((Node(Or{{Node(leaf("a", Path{"a"}, Op::in, 1)), ok}})), FilterError);
  BOOST_CHECK_THROW(Node(Not{std::make_shared<const Node>(leaf("", Path{}, Op::eq, 1))}),
                    FilterError);
}

BOOST_AUTO_TEST_CASE(moved_from_nodes_are_empty_and) {
  const json::value empty_and = json::parse(R"({"type":"and","conditions":[]})");
  const json::object doc{{"a", 2}};
  // A moved-from `not` would otherwise hold a null child, a moved-from leaf an empty field.
  Node n(Not{std::make_shared<const Node>(make_condition("a", Op::eq, 1))});
  Node leaf_node = make_condition("a.b", Op::in, json::array{1});
  const Node took_not(std::move(n));
  const Node took_leaf(std::move(leaf_node));
  BOOST_TEST(matches(took_not, doc));
  BOOST_TEST(Ast(took_leaf).to_json() ==
             Ast(make_condition("a.b", Op::in, json::array{1})).to_json());

  BOOST_TEST(Ast(n).to_json() == empty_and);
  BOOST_TEST(Ast(leaf_node).to_json() == empty_and);
  const Node list(And{{n, leaf_node}});
  const Node either(Or{{leaf_node}});
  const Node negated(Not{std::make_shared<const Node>(n)});
  BOOST_TEST(matches(list, doc));
  BOOST_TEST(matches(either, doc));
  BOOST_TEST(!matches(negated, doc));
  for (const Node* node : {&list, &either, &negated}) {
    const json::value j = Ast(*node).to_json();
    BOOST_TEST(Ast::from_json(j).to_json() == j);
  }
}

BOOST_AUTO_TEST_CASE(asts_assign_and_move) {
  Ast a = Filter::where("a").eq(1).build();
  Ast b = Filter::where("b").eq(2).build();
  a = b;
  BOOST_TEST(a.to_json() == b.to_json());
  BOOST_TEST(matches(a, json::object{{"b", 2}}));
  a = std::move(b);
  BOOST_TEST(matches(a, json::object{{"b", 2}}));
  BOOST_TEST(!matches(a, json::object{{"b", 3}}));
  BOOST_TEST(b.to_json() == Ast().to_json());  // moved-from: `and []`
  const Ast c(std::move(a));
  BOOST_TEST(matches(c, json::object{{"b", 2}}));
  BOOST_TEST(a.to_json() == Ast().to_json());
  const Ast& self = a;
  a = self;  // self-assignment keeps the value
  BOOST_TEST(a.to_json() == Ast().to_json());

  Filter f = Filter::where("x").eq(1);
  Filter g = Filter::where("y").eq(2).and_("z").eq(3);
  f = g;
  BOOST_TEST(f.build().to_json() == g.build().to_json());
  f = std::move(g);
  BOOST_TEST(matches(f.build(), json::object{{"y", 2}, {"z", 3}}));
}

BOOST_AUTO_TEST_CASE(nesting_is_bounded_as_in_from_json) {
  const Node deepest = nested_nots(100);
  BOOST_TEST(!matches(deepest, json::object{{"a", 1}}));  // 99 nots
  check_rejected([&] { return Node(Not{std::make_shared<const Node>(deepest)}); },
                 "nesting deeper than 100");
  check_rejected(
      [&] {
        return Node(And{{make_condition("b", Op::eq, 1), deepest}});
      },
      "nesting deeper than 100");
  check_rejected([&] { return Node(Or{{deepest}}); }, "nesting deeper than 100");

  Ast ands;
  for (int i = 1; i < 100; ++i)
    ands = Ast(Node(And{{ands.root()}}));
  check_rejected([&] { return Node(And{{ands.root()}}); }, "nesting deeper than 100");
  // The same bound as the parser's: a tree at the limit round-trips.
  BOOST_CHECK_NO_THROW(Ast::from_json(Ast(deepest).to_json()));
  BOOST_CHECK_NO_THROW(Ast::from_json(ands.to_json()));
}

BOOST_AUTO_TEST_CASE(builder_nesting_is_bounded) {
  // A loop cannot build a tree too deep for the recursive evaluator, printer or destructor.
  Ast ast = Filter::where("a").eq(1).build();
  int levels = 1;
  try {
    for (; levels < 1000; ++levels)
      ast = Filter::and_of(ast);
    BOOST_ERROR("no depth bound");
  } catch (const FilterError& e) {
    BOOST_TEST(std::string(e.what()).find("nesting deeper than 100") != std::string::npos);
  }
  BOOST_TEST(levels == 100);
  BOOST_TEST(matches(ast, json::object{{"a", 1}}));  // unchanged by the failed step
}

// Operands are walked by the evaluator (deep equality), to_json and copies: bounded like
// documents, and refused before anything copies them.
BOOST_AUTO_TEST_CASE(operand_values_are_bounded_like_documents) {
  using nosqlc::filter::kMaxValueDepth;
  json::monotonic_resource arena;  // freed at once, not by a recursive destructor
  auto nested_array = [&](std::size_t depth) {
    json::value v = json::array(&arena);
    for (std::size_t i = 1; i < depth; ++i) {
      json::array a(&arena);
      a.push_back(std::move(v));
      v = std::move(a);
    }
    return v;
  };
  json::value at_limit = nested_array(kMaxValueDepth);
  BOOST_CHECK_NO_THROW(make_condition("a", Op::eq, at_limit));
  json::value deep = nested_array(200'000);
  try {
    // Moved, not copied: a copy recurses as deep as the value nests.
    (void)make_condition("a", Op::contains, std::move(deep));
    BOOST_ERROR("no error for an operand 200,000 levels deep");
  } catch (const FilterError& e) {
    BOOST_TEST(std::string(e.what()).find("value nested deeper than 512") != std::string::npos,
               e.what());
  }
  json::object leaf(&arena);
  leaf["type"] = "condition";
  leaf["field"] = "a";
  leaf["op"] = "eq";
  leaf["value"] = nested_array(200'000);
  json::object root(&arena);
  root["type"] = "not";
  root["condition"] = std::move(leaf);
  json::value root_value(std::move(root));  // moved: from_json(object) would copy it
  try {
    (void)Ast::from_json(root_value);
    BOOST_ERROR("no error from from_json");
  } catch (const FilterError& e) {
    BOOST_TEST(e.node() == "condition");
  }
}

BOOST_AUTO_TEST_SUITE_END()
