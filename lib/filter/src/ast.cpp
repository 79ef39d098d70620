// The typed AST: error category, operator names, leaf validation and the pynosqlc JSON form.
#include <nosqlc/filter/filter.hpp>

#include <algorithm>
#include <array>
#include <type_traits>
#include <utility>

namespace nosqlc::filter {

namespace {

namespace json = boost::json;

class FilterCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "nosqlc.filter"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::invalid_filter:
        return "invalid filter";
    }
    return "unknown nosqlc.filter error";
  }
};

// pynosqlc's spellings, indexed by Op.
constexpr std::array<std::string_view, 10> kOpNames = {"eq",  "ne",       "gt", "gte", "lt",
                                                       "lte", "contains", "in", "nin", "exists"};

// Deeper ASTs are rejected so that hostile JSON cannot exhaust the stack of the recursive
// parser, printer and evaluator.
constexpr int kMaxDepth = 100;

std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out += s;
  out += '"';
  return out;
}

std::string_view kind_name(json::kind k) noexcept {
  switch (k) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "bool";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "value";
}

std::vector<std::string> split_at_dots(std::string_view field) {
  std::vector<std::string> path;
  for (;;) {
    const auto dot = field.find('.');
    path.emplace_back(field.substr(0, dot));
    if (dot == std::string_view::npos) return path;
    field.remove_prefix(dot + 1);
  }
}

// Whether `v`, sitting `depth` levels deep, nests past kMaxValueDepth. Recursion stops at the
// limit, whatever the value's depth.
bool deeper_than_limit(const json::value& v, std::size_t depth) {
  const auto* o = v.if_object();
  const auto* a = v.if_array();
  if (o == nullptr && a == nullptr) return false;
  if (depth > kMaxValueDepth) return true;
  if (o != nullptr) {
    for (const auto& member : *o) {
      if (deeper_than_limit(member.value(), depth + 1)) return true;
    }
    return false;
  }
  for (const auto& element : *a) {
    if (deeper_than_limit(element, depth + 1)) return true;
  }
  return false;
}

void check_value_depth(const json::value& v, const std::string& node) {
  if (deeper_than_limit(v, 1)) {
    throw FilterError(node,
                      "value nested deeper than " + std::to_string(kMaxValueDepth) + " levels");
  }
}

// Everything make_condition promises about a leaf. An empty field or segment is rejected
// because it can never name a member; a `path` other than the field's own segments would make
// the evaluator and to_json disagree. Compares in place: no allocation unless it throws.
void check_condition(const Condition& c, const std::string& node) {
  if (c.field.empty()) throw FilterError(node, "empty field");
  std::string_view rest = c.field;
  std::size_t i = 0;
  bool same = true;
  for (;;) {
    const auto dot = rest.find('.');
    const std::string_view segment = rest.substr(0, dot);
    if (segment.empty()) throw FilterError(node, "empty segment in field " + quoted(c.field));
    same = same && i < c.path.size() && c.path[i] == segment;
    ++i;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (!same || i != c.path.size()) {
    throw FilterError(node, "path is not field " + quoted(c.field) + " split at dots");
  }
  if (static_cast<std::size_t>(c.op) >= kOpNames.size()) {
    throw FilterError(node, "unknown op " + std::to_string(static_cast<int>(c.op)));
  }
  if ((c.op == Op::in || c.op == Op::nin) && !c.value.is_array()) {
    throw FilterError(node, "op " + quoted(to_string(c.op)) + " needs an array value, got " +
                                std::string(kind_name(c.value.kind())));
  }
  if (c.op == Op::exists && !c.value.is_bool()) {
    throw FilterError(
        node, "op \"exists\" needs a bool value, got " + std::string(kind_name(c.value.kind())));
  }
  check_value_depth(c.value, node);
}

// Checks before building so that the error names `node`; Node's constructor checks again,
// which costs no more than the split itself.
Node make_condition_at(std::string field, Op op, json::value value, const std::string& node) {
  auto path = split_at_dots(field);
  Condition c{std::move(field), std::move(path), op, std::move(value)};
  check_condition(c, node);
  return Node(std::move(c));
}

const json::value& member(const json::object& obj, std::string_view key, const std::string& node) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr) throw FilterError(node, "missing member " + quoted(key));
  return *v;
}

const json::string& string_member(const json::object& obj, std::string_view key,
                                  const std::string& node) {
  const auto& v = member(obj, key, node);
  if (!v.is_string()) {
    throw FilterError(node, "member " + quoted(key) + " is not a string (got " +
                                std::string(kind_name(v.kind())) + ")");
  }
  return v.get_string();
}

std::string join(const std::string& parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  std::string out = parent;
  out += '.';
  out += child;
  return out;
}

Node parse_node(const json::value& v, const std::string& node, int depth);

std::vector<Node> parse_list(const json::object& obj, const std::string& node, int depth) {
  const auto& list = member(obj, "conditions", node);
  if (!list.is_array()) {
    throw FilterError(node, "member \"conditions\" is not an array (got " +
                                std::string(kind_name(list.kind())) + ")");
  }
  const std::string prefix = join(node, "conditions");
  std::vector<Node> out;
  out.reserve(list.get_array().size());
  std::size_t i = 0;
  for (const auto& child : list.get_array()) {
    out.push_back(parse_node(child, prefix + "[" + std::to_string(i) + "]", depth + 1));
    ++i;
  }
  return out;
}

Node parse_node(const json::value& v, const std::string& node, int depth) {
  if (depth > kMaxDepth) {
    throw FilterError(node, "nesting deeper than " + std::to_string(kMaxDepth));
  }
  if (!v.is_object()) {
    throw FilterError(node, "node is not an object (got " + std::string(kind_name(v.kind())) + ")");
  }
  const auto& obj = v.get_object();
  const std::string_view type = string_member(obj, "type", node);
  if (type == "condition") {
    std::string field(string_member(obj, "field", node));
    const std::string_view op_name = string_member(obj, "op", node);
    const auto op = op_from_string(op_name);
    if (!op) throw FilterError(node, "unknown op " + quoted(op_name));
    const json::value& value = member(obj, "value", node);
    check_value_depth(value, node);  // before copying it: a copy recurses as deep as it nests
    return make_condition_at(std::move(field), *op, value, node);
  }
  if (type == "and") return Node(And{parse_list(obj, node, depth)});
  if (type == "or") return Node(Or{parse_list(obj, node, depth)});
  if (type == "not") {
    const auto& child = member(obj, "condition", node);
    return Node(
        Not{std::make_shared<const Node>(parse_node(child, join(node, "condition"), depth + 1))});
  }
  throw FilterError(node, "unknown type " + quoted(type));
}

json::value node_to_json(const Node& n);

json::value list_to_json(std::string_view type, const std::vector<Node>& list) {
  json::array conditions;
  conditions.reserve(list.size());
  for (const auto& child : list)
    conditions.push_back(node_to_json(child));
  return json::object{{"type", type}, {"conditions", std::move(conditions)}};
}

json::value node_to_json(const Node& n) {
  return std::visit(
      [](const auto& node) -> json::value {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, Condition>) {
          return json::object{{"type", "condition"},
                              {"field", node.field},
                              {"op", to_string(node.op)},
                              {"value", node.value}};
        } else if constexpr (std::is_same_v<T, And>) {
          return list_to_json("and", node.conditions);
        } else if constexpr (std::is_same_v<T, Or>) {
          return list_to_json("or", node.conditions);
        } else {
          return json::object{{"type", "not"}, {"condition", node_to_json(*node.condition)}};
        }
      },
      n.variant());
}

std::string what_text(const std::string& node, const std::string& message) {
  std::string out = "invalid filter at ";
  out += node.empty() ? std::string("root") : node;
  out += ": ";
  out += message;
  return out;
}

}  // namespace

const std::error_category& filter_category() noexcept {
  static const FilterCategory category;
  return category;
}

FilterError::FilterError(std::string node, const std::string& message)
    : std::system_error(make_error_code(errc::invalid_filter), message),
      node_(std::move(node)),
      what_(what_text(node_, message)) {}

std::string_view to_string(Op op) noexcept {
  const auto i = static_cast<std::size_t>(op);
  return i < kOpNames.size() ? kOpNames[i] : std::string_view("?");
}

std::optional<Op> op_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kOpNames.size(); ++i) {
    if (kOpNames[i] == name) return static_cast<Op>(i);
  }
  return std::nullopt;
}

Node make_condition(std::string field, Op op, boost::json::value value) {
  return make_condition_at(std::move(field), op, std::move(value), "");
}

Node::Node(Variant v) : v_(std::move(v)) {
  if (const auto* c = std::get_if<Condition>(&v_)) {
    check_condition(*c, "");
    return;
  }
  if (const auto* n = std::get_if<Not>(&v_)) {
    if (n->condition == nullptr) throw FilterError("", "\"not\" with a null condition");
    depth_ = 1 + n->condition->depth_;
  } else {
    const auto& list = std::holds_alternative<And>(v_) ? std::get<And>(v_).conditions
                                                       : std::get<Or>(v_).conditions;
    for (const auto& child : list)
      depth_ = std::max(depth_, 1 + child.depth_);
  }
  if (depth_ > kMaxDepth) {
    throw FilterError("", "nesting deeper than " + std::to_string(kMaxDepth));
  }
}

Node::Node(Node&& other) noexcept : v_(std::move(other.v_)), depth_(other.depth_) {
  other.v_.emplace<And>();
  other.depth_ = 1;
}

void Node::replace(Node&& other) noexcept {
  // Every step only move-constructs alternatives, which cannot throw.
  v_.emplace<And>();
  v_.swap(other.v_);
  depth_ = std::exchange(other.depth_, 1);
}

Ast::Ast() : root_(And{}) {}

Ast Ast::from_json(const boost::json::value& json) {
  return Ast(parse_node(json, "", 1));
}

boost::json::value Ast::to_json() const {
  return node_to_json(root_);
}

}  // namespace nosqlc::filter
