// Native function calls in terms (VALUES, SET, WHERE): resolved by their arguments' shapes and
// evaluated for their receiver; fromJson() reads the receiver's type.
#include "cql/json_values.hpp"
#include "exec/aggregates.hpp"
#include "exec/functions.hpp"

namespace nosqlc::sandbox::detail {
namespace {

// FromJsonFct: the JSON text read as a value of the receiver's type; its failures are
// FunctionExecutionExceptions.
TermCall from_json(const cql::FunctionCall& f, const DataType& receiver, const Bindings& bindings) {
  if (f.args.size() != 1) {
    fail_invalid("fromJson() accepts only one argument (" + std::to_string(f.args.size()) +
                 " given)");
  }
  TermValue arg =
      evaluate(f.args[0], DataType::of(TypeId::varchar), "arg0(system.fromjson)", bindings);
  if (!arg.is_bytes()) return {receiver, std::nullopt};
  std::string text(arg.bytes.begin(), arg.bytes.end());
  auto failure = [&](std::string message) {
    ServerError e{protocol::ServerErrorCode::function_failure, std::move(message), {}};
    e.details = protocol::FunctionFailureError{"system", "fromjson", {"text"}};
    fail(std::move(e));
  };
  try {
    return {receiver, cql::from_json_value(receiver, cql::parse_json_text(text))};
  } catch (const cql::JsonValueError& e) {
    failure(e.message);
  }
  return {receiver, std::nullopt};
}

}  // namespace

// How overload resolution sees a call's arguments: a nested call by its result type, a
// literal or marker as itself.
std::vector<FunctionArg> argument_shapes(const cql::FunctionCall& f) {
  std::vector<FunctionArg> out;
  for (const cql::Term& a : f.args) {
    if (const auto* inner = std::get_if<cql::FunctionCall>(&a.value)) {
      if (inner->name != "fromjson") {
        std::vector<FunctionArg> shapes = argument_shapes(*inner);
        out.push_back({resolve_function(inner->name, shapes).returns, nullptr,
                       "system." + inner->name + "(...)"});
        continue;
      }
    }
    out.push_back({std::nullopt, &a, "?"});
  }
  return out;
}

TermCall call_in_term(const cql::FunctionCall& f, const DataType& receiver,
                      const Bindings& bindings) {
  if (f.name == "tojson") {
    fail_invalid("toJson() may only be used within the selection clause of SELECT statements");
  }
  if (f.name == "fromjson") return from_json(f, receiver, bindings);
  if (f.name == "token" || Aggregate::kind_of(f.name)) {
    fail_invalid("Unknown function '" + f.name + "'");
  }
  std::vector<FunctionArg> shapes = argument_shapes(f);
  const ScalarFunction& fn = resolve_function(f.name, shapes);
  std::vector<std::optional<Bytes>> args;
  for (std::size_t i = 0; i < f.args.size(); ++i) {
    args.push_back(
        evaluate(f.args[i], fn.params[i], function_arg_name(fn, i), bindings).optional());
  }
  return {fn.returns, fn.call(args)};
}

}  // namespace nosqlc::sandbox::detail
