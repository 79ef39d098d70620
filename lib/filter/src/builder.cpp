// The fluent builder, shaped like pynosqlc's Filter / FieldCondition.
#include <nosqlc/filter/filter.hpp>

#include <utility>

namespace nosqlc::filter {

namespace {

std::vector<Node> roots(std::vector<Ast> asts) {
  std::vector<Node> out;
  out.reserve(asts.size());
  for (auto& a : asts)
    out.push_back(a.root());
  return out;
}

}  // namespace

FieldCondition::FieldCondition(std::vector<Node> conditions, std::string field)
    : conditions_(std::move(conditions)), field_(std::move(field)) {}

Filter FieldCondition::add(Op op, boost::json::value v) {
  conditions_.push_back(make_condition(std::move(field_), op, std::move(v)));
  return Filter(std::move(conditions_));
}

Filter FieldCondition::eq(boost::json::value v) && {
  return add(Op::eq, std::move(v));
}
Filter FieldCondition::ne(boost::json::value v) && {
  return add(Op::ne, std::move(v));
}
Filter FieldCondition::gt(boost::json::value v) && {
  return add(Op::gt, std::move(v));
}
Filter FieldCondition::gte(boost::json::value v) && {
  return add(Op::gte, std::move(v));
}
Filter FieldCondition::lt(boost::json::value v) && {
  return add(Op::lt, std::move(v));
}
Filter FieldCondition::lte(boost::json::value v) && {
  return add(Op::lte, std::move(v));
}
Filter FieldCondition::contains(boost::json::value v) && {
  return add(Op::contains, std::move(v));
}
Filter FieldCondition::in_(boost::json::array values) && {
  return add(Op::in, std::move(values));
}
Filter FieldCondition::nin(boost::json::array values) && {
  return add(Op::nin, std::move(values));
}
Filter FieldCondition::exists(bool present) && {
  return add(Op::exists, present);
}

FieldCondition Filter::where(std::string field) {
  return FieldCondition({}, std::move(field));
}

FieldCondition Filter::and_(std::string field) && {
  return FieldCondition(std::move(conditions_), std::move(field));
}

Ast Filter::build() const {
  if (conditions_.empty()) return Ast();
  if (conditions_.size() == 1) return Ast(conditions_.front());
  return Ast(Node(And{conditions_}));
}

Ast Filter::not_() const {
  return Ast(Node(Not{std::make_shared<const Node>(build().root())}));
}

Ast Filter::or_of(std::vector<Ast> asts) {
  return Ast(Node(Or{roots(std::move(asts))}));
}

Ast Filter::and_of_vector(std::vector<Ast> asts) {
  return Ast(Node(And{roots(std::move(asts))}));
}

}  // namespace nosqlc::filter
