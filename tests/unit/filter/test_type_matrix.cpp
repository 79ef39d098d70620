// Every operator against every pair of JSON types (plus a missing field), with the expected
// outcome written out per DESIGN.md, then exact number and string ordering.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <nosqlc/filter/filter.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  const char* matching;  // the ops of kComparisonOps or kMembershipOps that match
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

// in / nin: a field of each kind against a one-element operand of each kind. The values are
// those of kMatrix, except that the number is 30 and 30.0, so that int and double are equal.
// `matching` is "in" or "nin": exactly one of them matches (field eq the element or not).
constexpr const char* kInt = "30";
constexpr const char* kDouble = "30.0";
// [kArr] and [kObj]: lists whose one element is the array or the object.
constexpr const char* kListOfArr = R"([[1, 5, "abc", null, {"k": 1}]])";
constexpr const char* kListOfObj = R"([{"k": 1}])";

// clang-format off
const MatrixRow kMembership[] = {
    // null field: eq only null.
    {"null", "[null]", "in"},
    {"null", "[true]", "nin"},
    {"null", "[30]", "nin"},
    {"null", "[30.0]", "nin"},
    {"null", R"(["abc"])", "nin"},
    {"null", kListOfArr, "nin"},  // null inside the element: no
    {"null", kListOfObj, "nin"},
    // booleans are not numbers.
    {"true", "[null]", "nin"},
    {"true", "[true]", "in"},
    {"true", "[30]", "nin"},
    {"true", "[30.0]", "nin"},
    {"true", R"(["abc"])", "nin"},
    {"true", kListOfArr, "nin"},
    {"true", kListOfObj, "nin"},
    // int field: 30 == 30.0.
    {kInt, "[null]", "nin"},
    {kInt, "[true]", "nin"},
    {kInt, "[30]", "in"},
    {kInt, "[30.0]", "in"},
    {kInt, R"(["abc"])", "nin"},
    {kInt, kListOfArr, "nin"},
    {kInt, kListOfObj, "nin"},
    // double field
    {kDouble, "[null]", "nin"},
    {kDouble, "[true]", "nin"},
    {kDouble, "[30]", "in"},
    {kDouble, "[30.0]", "in"},
    {kDouble, R"(["abc"])", "nin"},
    {kDouble, kListOfArr, "nin"},
    {kDouble, kListOfObj, "nin"},
    // string field: whole-value eq, never searched for inside an array element.
    {R"("abc")", "[null]", "nin"},
    {R"("abc")", "[true]", "nin"},
    {R"("abc")", "[30]", "nin"},
    {R"("abc")", "[30.0]", "nin"},
    {R"("abc")", R"(["abc"])", "in"},
    {R"("abc")", kListOfArr, "nin"},
    {R"("abc")", kListOfObj, "nin"},
    // array field: deep eq with an array element; its own elements are not compared.
    {kArr, "[null]", "nin"},
    {kArr, "[true]", "nin"},
    {kArr, "[30]", "nin"},
    {kArr, "[30.0]", "nin"},
    {kArr, R"(["abc"])", "nin"},
    {kArr, kListOfArr, "in"},
    {kArr, kListOfObj, "nin"},
    // object field
    {kObj, "[null]", "nin"},
    {kObj, "[true]", "nin"},
    {kObj, "[30]", "nin"},
    {kObj, "[30.0]", "nin"},
    {kObj, R"(["abc"])", "nin"},
    {kObj, kListOfArr, "nin"},  // holds {"k": 1}: not flattened
    {kObj, kListOfObj, "in"},
    // missing field: eq null only.
    {nullptr, "[null]", "in"},
    {nullptr, "[true]", "nin"},
    {nullptr, "[30]", "nin"},
    {nullptr, "[30.0]", "nin"},
    {nullptr, R"(["abc"])", "nin"},
    {nullptr, kListOfArr, "nin"},
    {nullptr, kListOfObj, "nin"},
};

// The same fields against lists of several elements, and the finer points of eq.
constexpr const char* kAllKinds =
    R"([null, true, 30, 30.0, "abc", [1, 5, "abc", null, {"k": 1}], {"k": 1}])";
// One near miss of each kind: no field of kMembership equals any of them.
constexpr const char* kNearMisses =
    R"([false, 31, 30.5, "ab", "30", [1, 5, "abc", null], {"k": 2}, {"k": 1, "j": 1}])";

const MatrixRow kMembershipLists[] = {
    {"null", kAllKinds, "in"},
    {"true", kAllKinds, "in"},
    {kInt, kAllKinds, "in"},
    {kDouble, kAllKinds, "in"},
    {R"("abc")", kAllKinds, "in"},
    {kArr, kAllKinds, "in"},
    {kObj, kAllKinds, "in"},
    {nullptr, kAllKinds, "in"},  // through the null element
    {"null", kNearMisses, "nin"},
    {"true", kNearMisses, "nin"},
    {kInt, kNearMisses, "nin"},
    {kDouble, kNearMisses, "nin"},
    {R"("abc")", kNearMisses, "nin"},
    {kArr, kNearMisses, "nin"},
    {kObj, kNearMisses, "nin"},
    {nullptr, kNearMisses, "nin"},
    {"null", "[]", "nin"},
    {"true", "[]", "nin"},
    {kInt, "[]", "nin"},
    {kDouble, "[]", "nin"},
    {R"("abc")", "[]", "nin"},
    {kArr, "[]", "nin"},
    {kObj, "[]", "nin"},
    {nullptr, "[]", "nin"},
    // numbers by value
    {"30", "[1, 30.0]", "in"},
    {"30.0", "[1, 30]", "in"},
    {"-0.0", "[0]", "in"},
    {"30.5", "[30, 31]", "nin"},
    {"9007199254740993", "[9007199254740992.0]", "nin"},  // 2^53+1 is not rounded
    // booleans are not numbers, either way round
    {"true", "[1, 1.0]", "nin"},
    {"false", "[0, 0.0, null]", "nin"},
    {"1", "[true]", "nin"},
    {"0.0", "[false]", "nin"},
    {"false", "[0, false]", "in"},
    // deep equality of arrays and objects
    {R"([1, [2, {"a": 3}]])", R"([[1.0, [2, {"a": 3.0}]]])", "in"},
    {R"({"a": 1, "b": [2]})", R"([{"b": [2.0], "a": 1}])", "in"},
    {"[1, 2]", "[[2, 1]]", "nin"},
    {"[1, 2]", "[1, 2]", "nin"},  // not element-wise
    {"[[1]]", "[[1]]", "nin"},    // the element is [1]
    {"[[1]]", "[[[1]]]", "in"},
    {R"({"a": 1})", R"([{"a": 1, "b": null}])", "nin"},
    {R"({"a": null})", "[{}]", "nin"},
    {"[]", "[[]]", "in"},
    {"{}", "[{}]", "in"},
    {"[]", "[{}]", "nin"},
    {"[true]", "[[1]]", "nin"},
};

// exists: true matches a present, non-null field; false a missing or null one.
struct ExistsRow {
  const char* field;  // JSON text, or nullptr for a missing field
  bool exists_true;
  bool exists_false;
};

const ExistsRow kExists[] = {
    {"null", false, true},
    {"true", true, false},
    {kInt, true, false},
    {kDouble, true, false},
    {R"("abc")", true, false},
    {kArr, true, false},
    {kObj, true, false},
    {nullptr, false, true},
};

// Values that are "falsy" elsewhere are still present.
const ExistsRow kExistsFalsy[] = {
    {"false", true, false},
    {"0", true, false},
    {"0.0", true, false},
    {R"("")", true, false},
    {R"("null")", true, false},
    {"[]", true, false},
    {"[null]", true, false},
    {"{}", true, false},
    {R"({"f": null})", true, false},
};
// clang-format on

constexpr std::array<NamedOp, 2> kMembershipOps = {{{Op::in, "in"}, {Op::nin, "nin"}}};

// The JSON type of a field (nullptr: missing) or operand, as the matrices name them.
enum class Kind { null, boolean, integer, floating, string, array, object, missing };
constexpr int kKinds = 8;
constexpr std::array<std::string_view, kKinds> kKindNames = {
    "null", "bool", "int", "double", "string", "array", "object", "missing"};

std::ostream& operator<<(std::ostream& os, Kind k) {
  return os << kKindNames[static_cast<std::size_t>(k)];
}

Kind kind_of(const char* text) {
  if (text == nullptr) return Kind::missing;
  switch (json::parse(text).kind()) {
    case json::kind::null:
      return Kind::null;
    case json::kind::bool_:
      return Kind::boolean;
    case json::kind::int64:
    case json::kind::uint64:
      return Kind::integer;
    case json::kind::double_:
      return Kind::floating;
    case json::kind::string:
      return Kind::string;
    case json::kind::array:
      return Kind::array;
    case json::kind::object:
      return Kind::object;
  }
  return Kind::missing;
}

// The kind of the one element of a JSON array text.
Kind element_kind(const char* text) {
  const json::array a = json::parse(text).as_array();
  BOOST_TEST_REQUIRE(a.size() == 1u, text);
  return kind_of(json::serialize(a[0]).c_str());
}

// Each (field kind, operand kind) pair once, and all 8 x 7 of them: an operand is never missing.
template <class OperandKind>
void check_all_pairs_once(const MatrixRow* rows, std::size_t n, OperandKind operand_kind) {
  std::set<std::pair<Kind, Kind>> seen;
  for (std::size_t i = 0; i < n; ++i) {
    const auto pair = std::make_pair(kind_of(rows[i].field), operand_kind(rows[i].operand));
    BOOST_TEST_CONTEXT("row " << i << ": field " << (rows[i].field ? rows[i].field : "<missing>")
                              << " operand " << rows[i].operand) {
      BOOST_TEST(pair.second != Kind::missing);
      BOOST_TEST(seen.insert(pair).second, "duplicate pair");
    }
  }
  BOOST_TEST(seen.size() == std::size_t{kKinds} * (kKinds - 1));
  for (int f = 0; f < kKinds; ++f) {
    for (int o = 0; o + 1 < kKinds; ++o) {
      BOOST_TEST(seen.count({static_cast<Kind>(f), static_cast<Kind>(o)}) == 1u,
                 "missing pair " << static_cast<Kind>(f) << " x " << static_cast<Kind>(o));
    }
  }
}

void check_rows(const MatrixRow* rows, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const auto& row = rows[i];
    const json::value field = row.field ? json::parse(row.field) : json::value();
    const json::value operand = json::parse(row.operand);
    for (const auto& [op, name] : kMembershipOps) {
      BOOST_TEST_CONTEXT("field " << (row.field ? row.field : "<missing>") << " " << name << " "
                                  << row.operand) {
        BOOST_TEST(eval(row.field ? &field : nullptr, op, operand) == listed(row.matching, name));
      }
    }
  }
}

void check_exists(const ExistsRow* rows, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const auto& row = rows[i];
    const json::value field = row.field ? json::parse(row.field) : json::value();
    const json::value* f = row.field ? &field : nullptr;
    BOOST_TEST_CONTEXT("field " << (row.field ? row.field : "<missing>")) {
      BOOST_TEST(eval(f, Op::exists, json::value(true)) == row.exists_true);
      BOOST_TEST(eval(f, Op::exists, json::value(false)) == row.exists_false);
    }
  }
}

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

BOOST_AUTO_TEST_CASE(in_and_nin_against_every_type_pair) {
  check_rows(kMembership, std::size(kMembership));
}

BOOST_AUTO_TEST_CASE(in_and_nin_against_lists) {
  check_rows(kMembershipLists, std::size(kMembershipLists));
}

BOOST_AUTO_TEST_CASE(exists_against_every_type) {
  check_exists(kExists, std::size(kExists));
  check_exists(kExistsFalsy, std::size(kExistsFalsy));
}

BOOST_AUTO_TEST_CASE(matrix_covers_all_pairs) {
  BOOST_TEST_CONTEXT("comparison ops") {
    check_all_pairs_once(kMatrix, std::size(kMatrix), kind_of);
  }
  BOOST_TEST_CONTEXT("in / nin") {
    check_all_pairs_once(kMembership, std::size(kMembership), element_kind);
  }
  BOOST_TEST_CONTEXT("exists") {
    std::set<Kind> seen;
    for (const auto& row : kExists)
      BOOST_TEST(seen.insert(kind_of(row.field)).second, "duplicate kind");
    BOOST_TEST(seen.size() == std::size_t{kKinds});
  }
  // Together the matrices name every operator once.
  std::set<Op> ops;
  for (const auto& [op, name] : kComparisonOps)
    BOOST_TEST(ops.insert(op).second);
  for (const auto& [op, name] : kMembershipOps)
    BOOST_TEST(ops.insert(op).second);
  BOOST_TEST(ops.insert(Op::exists).second);
  for (int i = 0; i <= static_cast<int>(Op::exists); ++i)
    BOOST_TEST(ops.count(static_cast<Op>(i)) == 1u, nosqlc::filter::to_string(static_cast<Op>(i)));
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
