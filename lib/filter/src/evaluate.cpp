// In-memory evaluation of an AST against one JSON document.
#include <nosqlc/filter/filter.hpp>

#include <cmath>
#include <compare>

namespace nosqlc::filter {

namespace {

namespace json = boost::json;

// 2^63 and 2^64 are exact doubles; every double in [-2^63, 2^63) converts to int64 exactly
// once truncated, and likewise [0, 2^64) to uint64.
constexpr double kTwo63 = 9223372036854775808.0;
constexpr double kTwo64 = 18446744073709551616.0;

template <class I>
std::partial_ordering compare_int_double(I i, double d, double lo, double hi) noexcept {
  if (std::isnan(d)) return std::partial_ordering::unordered;
  if (d < lo) return std::partial_ordering::greater;
  if (d >= hi) return std::partial_ordering::less;
  const double t = std::trunc(d);
  const auto ti = static_cast<I>(t);
  if (i != ti) return i <=> ti;
  // i == trunc(d), so the fractional part decides.
  return t <=> d;
}

std::partial_ordering reverse(std::partial_ordering o) noexcept {
  return 0 <=> o;
}

// Exact comparison of two JSON numbers: integers are never rounded through double.
std::partial_ordering compare_numbers(const json::value& a, const json::value& b) noexcept {
  using json::kind;
  switch (a.kind()) {
    case kind::int64: {
      const std::int64_t x = a.get_int64();
      if (b.is_int64()) return x <=> b.get_int64();
      if (b.is_uint64()) {
        return x < 0 ? std::partial_ordering::less
                     : static_cast<std::uint64_t>(x) <=> b.get_uint64();
      }
      return compare_int_double(x, b.get_double(), -kTwo63, kTwo63);
    }
    case kind::uint64: {
      const std::uint64_t x = a.get_uint64();
      if (b.is_uint64()) return x <=> b.get_uint64();
      if (b.is_int64()) {
        const std::int64_t y = b.get_int64();
        return y < 0 ? std::partial_ordering::greater : x <=> static_cast<std::uint64_t>(y);
      }
      return compare_int_double(x, b.get_double(), 0.0, kTwo64);
    }
    default:
      if (b.is_double()) return a.get_double() <=> b.get_double();
      return reverse(compare_numbers(b, a));
  }
}

bool values_equal(const json::value& a, const json::value& b) noexcept {
  if (a.is_number() && b.is_number()) return compare_numbers(a, b) == 0;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case json::kind::null:
      return true;
    case json::kind::bool_:
      return a.get_bool() == b.get_bool();
    case json::kind::string:
      return a.get_string() == b.get_string();
    case json::kind::array: {
      const auto& x = a.get_array();
      const auto& y = b.get_array();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!values_equal(x[i], y[i])) return false;
      }
      return true;
    }
    case json::kind::object: {
      // Member order does not matter; keys within one object are unique.
      const auto& x = a.get_object();
      const auto& y = b.get_object();
      if (x.size() != y.size()) return false;
      for (const auto& [key, val] : x) {
        const auto* other = y.if_contains(key);
        if (other == nullptr || !values_equal(val, *other)) return false;
      }
      return true;
    }
    default:
      return false;  // numbers were handled above
  }
}

// `eq` with a possibly missing field: a missing field equals only null.
bool field_equals(const json::value* field, const json::value& operand) noexcept {
  if (field == nullptr) return operand.is_null();
  return values_equal(*field, operand);
}

// Ordering for gt/gte/lt/lte: only number-number and string-string pairs are ordered.
std::partial_ordering order(const json::value* field, const json::value& operand) noexcept {
  if (field == nullptr) return std::partial_ordering::unordered;
  if (field->is_number() && operand.is_number()) return compare_numbers(*field, operand);
  if (field->is_string() && operand.is_string()) {
    // char_traits<char> compares as unsigned char, and UTF-8 byte order is code point order.
    const std::string_view x = field->get_string();
    const std::string_view y = operand.get_string();
    const int c = x.compare(y);
    return c < 0 ? std::partial_ordering::less
                 : (c > 0 ? std::partial_ordering::greater : std::partial_ordering::equivalent);
  }
  return std::partial_ordering::unordered;
}

bool contains(const json::value* field, const json::value& operand) noexcept {
  if (field == nullptr) return false;
  if (field->is_string()) {
    if (!operand.is_string()) return false;
    const std::string_view hay = field->get_string();
    return hay.find(std::string_view(operand.get_string())) != std::string_view::npos;
  }
  if (field->is_array()) {
    for (const auto& element : field->get_array()) {
      if (values_equal(element, operand)) return true;
    }
  }
  return false;
}

// Node's constructor guarantees that the operands of in, nin and exists have the right kind,
// and that a `not` has a child, so nothing here checks again.
bool in_list(const json::value* field, const json::value& operand) noexcept {
  for (const auto& element : operand.get_array()) {
    if (field_equals(field, element)) return true;
  }
  return false;
}

bool eval_condition(const Condition& c, const json::object& doc) noexcept {
  const json::value* field = lookup(doc, c.path);
  switch (c.op) {
    case Op::eq:
      return field_equals(field, c.value);
    case Op::ne:
      return !field_equals(field, c.value);
    case Op::gt:
      return order(field, c.value) == std::partial_ordering::greater;
    case Op::gte: {
      const auto o = order(field, c.value);
      return o == std::partial_ordering::greater || o == std::partial_ordering::equivalent;
    }
    case Op::lt:
      return order(field, c.value) == std::partial_ordering::less;
    case Op::lte: {
      const auto o = order(field, c.value);
      return o == std::partial_ordering::less || o == std::partial_ordering::equivalent;
    }
    case Op::contains:
      return contains(field, c.value);
    case Op::in:
      return in_list(field, c.value);
    case Op::nin:
      return !in_list(field, c.value);
    case Op::exists: {
      const bool present = field != nullptr && !field->is_null();
      return present == c.value.get_bool();
    }
  }
  return false;
}

}  // namespace

const boost::json::value* lookup(const boost::json::object& doc,
                                 const std::vector<std::string>& path) noexcept {
  if (path.empty()) return nullptr;
  const json::object* obj = &doc;
  const json::value* v = nullptr;
  for (const auto& segment : path) {
    if (obj == nullptr) return nullptr;
    v = obj->if_contains(segment);
    if (v == nullptr) return nullptr;
    obj = v->if_object();
  }
  return v;
}

bool matches(const Node& node, const boost::json::object& doc) noexcept {
  const auto& v = node.variant();
  if (const auto* c = std::get_if<Condition>(&v)) return eval_condition(*c, doc);
  if (const auto* a = std::get_if<And>(&v)) {
    for (const auto& child : a->conditions) {
      if (!matches(child, doc)) return false;
    }
    return true;
  }
  if (const auto* o = std::get_if<Or>(&v)) {
    for (const auto& child : o->conditions) {
      if (matches(child, doc)) return true;
    }
    return false;
  }
  return !matches(*std::get_if<Not>(&v)->condition, doc);
}

bool matches(const Ast& ast, const boost::json::object& doc) noexcept {
  return matches(ast.root(), doc);
}

}  // namespace nosqlc::filter
