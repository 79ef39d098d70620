// Filters over JSON documents: a typed AST, its pynosqlc-shaped JSON form, a fluent builder
// and an in-memory evaluator. Depends only on Boost.JSON.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

namespace nosqlc::filter {

// Error codes of this library; FilterError carries one.
enum class errc { invalid_filter = 1 };
const std::error_category& filter_category() noexcept;
inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), filter_category()};
}

// Thrown for an invalid AST. what() names the offending node by its JSON path and says what
// is wrong with it, e.g. `invalid filter at conditions[1]: unknown op "between"`.
class FilterError : public std::system_error {
 public:
  FilterError(std::string node, const std::string& message);
  // JSON path of the offending node, "" for the root.
  const std::string& node() const noexcept { return node_; }
  // Overridden because std::system_error would append the category message after ours.
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  std::string node_;
  std::string what_;
};

enum class Op : std::uint8_t { eq, ne, gt, gte, lt, lte, contains, in, nin, exists };

// pynosqlc's spelling of an operator ("eq", ..., "in", "nin", "exists").
std::string_view to_string(Op op) noexcept;
// The operator spelled `name`, or nullopt for an unknown name.
std::optional<Op> op_from_string(std::string_view name) noexcept;

class Node;

// The deepest nesting of arrays and objects an operand value may have, counted as
// Boost.JSON's parser counts depth (`[]` is 1): nosqlc documents' own limit, so a deeper
// operand could equal nothing stored. Bounding it bounds every walk over a filter.
inline constexpr std::size_t kMaxValueDepth = 512;

// A leaf: `field op value`. `path` is `field` split at dots; make_condition computes it.
struct Condition {
  std::string field;
  std::vector<std::string> path;
  Op op;
  boost::json::value value;
};
struct And {
  std::vector<Node> conditions;
};
struct Or {
  std::vector<Node> conditions;
};
struct Not {
  std::shared_ptr<const Node> condition;  // never null; shared because nodes are immutable
};

// One node of a valid AST. Every Node that exists is valid: the constructor checks the node,
// its children are Nodes and so were checked when they were built, a Node cannot be assigned
// (assigning to a node shared as some `not`'s child could make a cycle), and a moved-from
// Node is `and []`. The evaluator and to_json therefore check nothing.
class Node {
 public:
  using Variant = std::variant<Condition, And, Or, Not>;
  // Throws FilterError, whose node() is relative to this node ("" for itself), when a
  // Condition is not what make_condition would make (empty field or dot segment, `path` not
  // `field` split at dots, unknown op, in/nin without an array or exists without a bool, a
  // value nested deeper than kMaxValueDepth), a Not's condition is null, or the tree would
  // nest deeper than 100 levels (as from_json). Costs O(length of the field + size of the
  // value) for a leaf and O(children) otherwise.
  explicit Node(Variant v);
  Node(const Node&) = default;
  // Leaves `other` as `and []`.
  Node(Node&& other) noexcept;
  Node& operator=(const Node&) = delete;
  Node& operator=(Node&&) = delete;
  ~Node() = default;

  const Variant& variant() const noexcept { return v_; }

 private:
  friend class Ast;
  // For Ast's assignment; `other` is left as `and []`.
  void replace(Node&& other) noexcept;

  Variant v_;
  int depth_ = 1;  // levels of this tree, counted as from_json counts them: a leaf is 1
};

// Makes a leaf; throws FilterError if `field` is empty or has an empty dot segment, if `op`
// is in/nin and `value` is not an array, or `op` is exists and `value` is not a bool, or if
// `value` nests deeper than kMaxValueDepth.
Node make_condition(std::string field, Op op, boost::json::value value);

// A validated filter AST: what find() takes. Default-constructed it is `and []` (matches all).
class Ast {
 public:
  Ast();
  explicit Ast(Node root) : root_(std::move(root)) {}
  Ast(const Ast&) = default;
  // Leaves `other` as `and []`.
  Ast(Ast&&) noexcept = default;
  // Copy (or move) then swap, so a failed copy leaves *this unchanged.
  Ast& operator=(Ast other) noexcept {
    root_.replace(std::move(other.root_));
    return *this;
  }
  ~Ast() = default;

  // Parses pynosqlc's JSON shape; throws FilterError naming the offending node on unknown
  // type or op, a missing member, a wrong member type, or an invalid operand.
  static Ast from_json(const boost::json::value& json);
  // pynosqlc's JSON shape; from_json(to_json()) gives an equal AST.
  boost::json::value to_json() const;

  const Node& root() const noexcept { return root_; }

 private:
  Node root_;
};

// True when `doc` satisfies `ast` under DESIGN.md's semantics. Never throws.
bool matches(const Ast& ast, const boost::json::object& doc) noexcept;
bool matches(const Node& node, const boost::json::object& doc) noexcept;

// The value at a dot path through nested objects, or nullptr when any step is missing or
// not an object.
const boost::json::value* lookup(const boost::json::object& doc,
                                 const std::vector<std::string>& path) noexcept;

class Filter;

// The pending `field` of a builder chain; each operator adds one condition and returns the
// Filter for more chaining.
class FieldCondition {
 public:
  Filter eq(boost::json::value v) &&;
  Filter ne(boost::json::value v) &&;
  Filter gt(boost::json::value v) &&;
  Filter gte(boost::json::value v) &&;
  Filter lt(boost::json::value v) &&;
  Filter lte(boost::json::value v) &&;
  Filter contains(boost::json::value v) &&;
  Filter in_(boost::json::array values) &&;
  Filter nin(boost::json::array values) &&;
  Filter exists(bool present = true) &&;

 private:
  friend class Filter;
  FieldCondition(std::vector<Node> conditions, std::string field);
  Filter add(Op op, boost::json::value v);
  std::vector<Node> conditions_;
  std::string field_;
};

// Fluent builder: Filter::where("age").gt(18).and_("name").eq("Alice").build().
// Throws FilterError at the operator call for an empty field or an empty dot segment, and
// from not_, or_ and and_of when the result would nest deeper than 100 levels.
class Filter {
 public:
  Filter() = default;
  Filter(const Filter&) = default;
  Filter(Filter&&) noexcept = default;
  // Copy (or move) then swap: Node itself cannot be assigned.
  Filter& operator=(Filter other) noexcept {
    conditions_.swap(other.conditions_);
    return *this;
  }
  ~Filter() = default;
  static FieldCondition where(std::string field);
  FieldCondition and_(std::string field) &&;

  // Zero conditions: `and []`; one: the leaf itself; more: `and [...]`.
  Ast build() const;
  // `not` of build().
  Ast not_() const;

  // `or [...]` of the given ASTs or filters (a Filter is built first).
  template <class... Fs>
  static Ast or_(const Fs&... fs) {
    return or_of({to_ast(fs)...});
  }
  static Ast or_of(std::vector<Ast> asts);
  // `and [...]` of the given ASTs or filters.
  template <class... Fs>
  static Ast and_of(const Fs&... fs) {
    return and_of_vector({to_ast(fs)...});
  }
  static Ast and_of_vector(std::vector<Ast> asts);

 private:
  friend class FieldCondition;
  explicit Filter(std::vector<Node> conditions) : conditions_(std::move(conditions)) {}
  static Ast to_ast(const Ast& a) { return a; }
  static Ast to_ast(const Filter& f) { return f.build(); }
  std::vector<Node> conditions_;
};

}  // namespace nosqlc::filter

template <>
struct std::is_error_code_enum<nosqlc::filter::errc> : std::true_type {};
