// Every comparison operator against every pair of JSON types (plus a missing field), with the
// expected outcome written out per DESIGN.md, then exact number and string ordering.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <nosqlc/filter/filter.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace json = boost::json;
using nosqlc::filter::make_condition;
using nosqlc::filter::matches;
using nosqlc::filter::Op;

namespace {

struct NamedOp {
  Op op;
  std::string_view name;
};
constexpr std::array<NamedOp, 7> kComparisonOps = {{{Op::eq, "eq"},
                                                    {Op::ne, "ne"},
                                                    {Op::gt, "gt"},
                                                    {Op::gte, "gte"},
                                                    {Op::lt, "lt"},
                                                    {Op::lte, "lte"},
                                                    {Op::contains, "contains"}}};

// True when `op` is one of the space-separated names in `list`.
bool listed(std::string_view list, std::string_view op) {
  while (!list.empty()) {
    const auto sp = list.find(' ');
    if (list.substr(0, sp) == op) return true;
    if (sp == std::string_view::npos) break;
    list.remove_prefix(sp + 1);
  }
  return false;
}

// {"f": field}, or {} when field is null (the missing case).
json::object doc_with(const json::value* field) {
  json::object doc;
  if (field != nullptr) doc["f"] = *field;
  return doc;
}

bool eval(const json::value* field, Op op, const json::value& operand) {
  return matches(make_condition("f", op, operand), doc_with(field));
}

// The array and object used on both sides, so that same-type pairs can be equal.
constexpr const char* kArr = R"([1, 5, "abc", null, {"k": 1}])";
constexpr const char* kObj = R"({"k": 1})";

struct MatrixRow {
  const char* field;     // JSON text, or nullptr for a missing field
  const char* operand;   // JSON text
  const char* matching;  // the ops (of eq ne gt gte lt lte contains) that match
};

// clang-format off
const MatrixRow kMatrix[] = {
    // null field: only eq null; ordering and contains never match null.
    {"null", "null", "eq"},
    {"null", "true", "ne"},
    {"null", "5", "ne"},
    {"null", "5.5", "ne"},
    {"null", R"("abc")", "ne"},
    {"null", kArr, "ne"},
    {"null", kObj, "ne"},
    // booleans: equal to themselves, never ordered, never numbers.
    {"true", "null", "ne"},
    {"true", "true", "eq"},
    {"true", "5", "ne"},
    {"true", "5.5", "ne"},
    {"true", R"("abc")", "ne"},
    {"true", kArr, "ne"},
    {"true", kObj, "ne"},
    // integer field
    {"5", "null", "ne"},
    {"5", "true", "ne"},
    {"5", "5", "eq gte lte"},
    {"5", "5.5", "ne lt lte"},
    {"5", R"("abc")", "ne"},
    {"5", kArr, "ne"},
    {"5", kObj, "ne"},
    // double field
    {"5.5", "null", "ne"},
    {"5.5", "true", "ne"},
    {"5.5", "5", "ne gt gte"},
    {"5.5", "5.5", "eq gte lte"},
    {"5.5", R"("abc")", "ne"},
    {"5.5", kArr, "ne"},
    {"5.5", kObj, "ne"},
    // string field: ordered against strings only; contains a substring.
    {R"("abc")", "null", "ne"},
    {R"("abc")", "true", "ne"},
    {R"("abc")", "5", "ne"},
    {R"("abc")", "5.5", "ne"},
    {R"("abc")", R"("abc")", "eq gte lte contains"},
    {R"("abc")", kArr, "ne"},
    {R"("abc")", kObj, "ne"},
    // array field: contains an element eq the operand; never ordered.
    {kArr, "null", "ne contains"},
    {kArr, "true", "ne"},  // the element 1 is not true
    {kArr, "5", "ne contains"},
    {kArr, "5.5", "ne"},
    {kArr, R"("abc")", "ne contains"},
    {kArr, kArr, "eq"},  // no element is itself an array
    {kArr, kObj, "ne contains"},
    // object field
    {kObj, "null", "ne"},
    {kObj, "true", "ne"},
    {kObj, "5", "ne"},
    {kObj, "5.5", "ne"},
    {kObj, R"("abc")", "ne"},
    {kObj, kArr, "ne"},
    {kObj, kObj, "eq"},
    // missing field: behaves as null for eq/ne, matches nothing else.
    {nullptr, "null", "eq"},
    {nullptr, "true", "ne"},
    {nullptr, "5", "ne"},
    {nullptr, "5.5", "ne"},
    {nullptr, R"("abc")", "ne"},
    {nullptr, kArr, "ne"},
    {nullptr, kObj, "ne"},
};
// clang-format on

}  // namespace

BOOST_AUTO_TEST_SUITE(filter_type_matrix)

BOOST_AUTO_TEST_CASE(every_op_against_every_type_pair) {
  for (const auto& row : kMatrix) {
    const json::value field = row.field ? json::parse(row.field) : json::value();
    const json::value operand = json::parse(row.operand);
    for (const auto& [op, name] : kComparisonOps) {
      BOOST_TEST_CONTEXT("field " << (row.field ? row.field : "<missing>") << " " << name << " "
                                  << row.operand) {
        BOOST_TEST(eval(row.field ? &field : nullptr, op, operand) == listed(row.matching, name));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(matrix_covers_all_pairs) {
  // 8 field kinds (with missing) x 7 operand kinds.
  BOOST_TEST(std::size(kMatrix) == 56u);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

struct NumberRow {
  const char* name;
  json::value a;
  json::value b;
  char order;  // a compared with b: '<', '=' or '>'
};

std::vector<NumberRow> number_rows() {
  constexpr std::int64_t two53 = std::int64_t{1} << 53;
  constexpr auto i64max = std::numeric_limits<std::int64_t>::max();
  constexpr auto i64min = std::numeric_limits<std::int64_t>::min();
  constexpr auto u64max = std::numeric_limits<std::uint64_t>::max();
  return {
      {"30 vs 30.0", json::value(30), json::value(30.0), '='},
      {"0.0 vs -0.0", json::value(0.0), json::value(-0.0), '='},
      {"2^53 int vs 2^53 double", json::value(two53), json::value(9007199254740992.0), '='},
      // 2^53+1 is not a double: a lossy conversion would call these equal.
      {"2^53+1 int vs 2^53 double", json::value(two53 + 1), json::value(9007199254740992.0), '>'},
      {"2^53+1 uint vs 2^53 double", json::value(std::uint64_t{two53 + 1}),
       json::value(9007199254740992.0), '>'},
      {"2^53+1 vs 2^53 ints", json::value(two53 + 1), json::value(two53), '>'},
      {"int64 max vs 2^63 double", json::value(i64max), json::value(9223372036854775808.0), '<'},
      {"int64 min vs -2^63 double", json::value(i64min), json::value(-9223372036854775808.0), '='},
      {"int64 min vs -1e300", json::value(i64min), json::value(-1e300), '>'},
      {"uint64 max vs 2^64 double", json::value(u64max), json::value(18446744073709551616.0), '<'},
      {"uint64 5 vs int64 5", json::value(std::uint64_t{5}), json::value(std::int64_t{5}), '='},
      {"uint64 max vs int64 -1", json::value(u64max), json::value(std::int64_t{-1}), '>'},
      {"uint64 2^63 vs int64 max", json::value(std::uint64_t{1} << 63), json::value(i64max), '>'},
      {"uint64 0 vs -0.5", json::value(std::uint64_t{0}), json::value(-0.5), '>'},
      {"uint64 3 vs 3.5", json::value(std::uint64_t{3}), json::value(3.5), '<'},
      {"-2 vs -2.5", json::value(-2), json::value(-2.5), '>'},
      {"-3 vs -2.5", json::value(-3), json::value(-2.5), '<'},
      {"-2 vs -2.0", json::value(-2), json::value(-2.0), '='},
      {"1e300 vs int64 max", json::value(1e300), json::value(i64max), '>'},
      {"1.5 vs 2.25", json::value(1.5), json::value(2.25), '<'},
  };
}

char reversed(char order) {
  return order == '<' ? '>' : (order == '>' ? '<' : '=');
}

void check_order(const json::value& field, const json::value& operand, char order) {
  BOOST_TEST(eval(&field, Op::eq, operand) == (order == '='));
  BOOST_TEST(eval(&field, Op::ne, operand) == (order != '='));
  BOOST_TEST(eval(&field, Op::gt, operand) == (order == '>'));
  BOOST_TEST(eval(&field, Op::gte, operand) == (order != '<'));
  BOOST_TEST(eval(&field, Op::lt, operand) == (order == '<'));
  BOOST_TEST(eval(&field, Op::lte, operand) == (order != '>'));
}

struct StringRow {
  const char* a;
  const char* b;
  char order;
};

// UTF-8 literals spelled as bytes so the source stays ASCII.
const StringRow kStrings[] = {
    {"a", "b", '<'},
    {"Z", "a", '<'},
    {"", "a", '<'},
    {"abc", "abcd", '<'},
    {"abc", "abc", '='},
    {"z", "\xC3\xA9", '<'},                           // z < U+00E9
    {"\xC3\xA9", "\xE2\x82\xAC", '<'},                // U+00E9 < U+20AC
    {"\xEF\xBD\xA1", "\xF0\x9F\x98\x80", '<'},        // U+FF61 < U+1F600 (UTF-16 says >)
    {"e\xCC\x81", "\xC3\xA9", '<'},                   // no normalization: e+U+0301 != U+00E9
    {"\xC3\xA9t\xC3\xA9", "\xC3\xA9t\xC3\xA9", '='},  // equal non-ASCII
};

}  // namespace

BOOST_AUTO_TEST_SUITE(filter_ordering)

BOOST_AUTO_TEST_CASE(numbers_compare_exactly) {
  for (const auto& row : number_rows()) {
    BOOST_TEST_CONTEXT(row.name) {
      check_order(row.a, row.b, row.order);
      check_order(row.b, row.a, reversed(row.order));
    }
  }
}

BOOST_AUTO_TEST_CASE(booleans_are_not_numbers) {
  const json::value t(true), f(false), one(1), zero(0), one_d(1.0);
  BOOST_TEST(!eval(&t, Op::eq, one));
  BOOST_TEST(!eval(&one, Op::eq, t));
  BOOST_TEST(!eval(&t, Op::eq, one_d));
  BOOST_TEST(!eval(&f, Op::eq, zero));
  BOOST_TEST(eval(&t, Op::ne, one));
  BOOST_TEST(!eval(&t, Op::gte, one));
  BOOST_TEST(!eval(&one, Op::lte, t));
  BOOST_TEST(!eval(&t, Op::gt, f));  // booleans are not ordered at all
}

BOOST_AUTO_TEST_CASE(strings_compare_by_code_point) {
  for (const auto& row : kStrings) {
    BOOST_TEST_CONTEXT(row.a << " vs " << row.b) {
      check_order(json::value(row.a), json::value(row.b), row.order);
      check_order(json::value(row.b), json::value(row.a), reversed(row.order));
    }
  }
}

BOOST_AUTO_TEST_CASE(numeric_strings_are_strings) {
  const json::value s10("10"), s9("9"), n9(9), n10(10);
  BOOST_TEST(eval(&s10, Op::lt, json::value("9")));  // string order, not numeric
  BOOST_TEST(!eval(&s10, Op::gt, n9));
  BOOST_TEST(!eval(&n10, Op::eq, json::value("10")));
  BOOST_TEST(!eval(&s9, Op::lt, n10));
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

struct DeepRow {
  const char* a;
  const char* b;
  bool equal;
};

const DeepRow kDeep[] = {
    {R"([1, [2, {"a": [3.0]}]])", R"([1.0, [2, {"a": [3]}]])", true},
    {R"({"a": 1, "b": 2})", R"({"b": 2.0, "a": 1})", true},
    {R"({"a": {"b": {"c": [true, null, "x"]}}})", R"({"a": {"b": {"c": [true, null, "x"]}}})",
     true},
    {R"({"a": 1})", R"({"a": 1, "b": null})", false},
    {R"({"a": null})", R"({})", false},
    {R"({"a": 1})", R"({"b": 1})", false},
    {R"([1, 2])", R"([2, 1])", false},
    {R"([1, 2])", R"([1, 2, 3])", false},
    {R"([true])", R"([1])", false},
    {R"([])", R"({})", false},
    {R"([[]])", R"([[]])", true},
    {R"({"x": [9007199254740993]})", R"({"x": [9007199254740992.0]})", false},
    {R"({"a": {"b": 1}})", R"({"a": {"b": "1"}})", false},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(filter_deep_equality)

BOOST_AUTO_TEST_CASE(arrays_and_objects_compare_deeply) {
  for (const auto& row : kDeep) {
    BOOST_TEST_CONTEXT(row.a << " vs " << row.b) {
      const json::value a = json::parse(row.a), b = json::parse(row.b);
      BOOST_TEST(eval(&a, Op::eq, b) == row.equal);
      BOOST_TEST(eval(&b, Op::eq, a) == row.equal);
      BOOST_TEST(eval(&a, Op::ne, b) == !row.equal);
      // Containers are never ordered, even when equal.
      BOOST_TEST(!eval(&a, Op::gte, b));
      BOOST_TEST(!eval(&a, Op::lte, b));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
