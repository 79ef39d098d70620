// Internal: Cassandra 4.0's native scalar functions (its system keyspace) over the sandbox's
// types, and how a call picks one (FunctionResolver): TimeFcts, UuidFcts, BytesConversionFcts,
// CastFcts and OperationFcts. Aggregates are in aggregates.hpp; token(), toJson() and
// fromJson() depend on the statement and are handled where they are called.
#pragma once

#include "exec/executor_internal.hpp"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::sandbox::detail {

// One argument of a call as overload resolution sees it: its type when known (a column, a
// function's result, a cast), else the literal or marker it is.
struct FunctionArg {
  std::optional<DataType> type;
  const cql::Term* term = nullptr;
  std::string text;  // as written, for error messages
};

struct ScalarFunction {
  std::string name;  // lower case, without "system."
  std::vector<DataType> params;
  DataType returns;
  // The result for these arguments (nullopt: null). Most return null for a null argument, or
  // an empty one of a type where empty means no value, without calling this (see
  // `null_in_null_out`). Throws a Failure when Cassandra's would
  // fail (a bad blob, a division by zero).
  std::function<std::optional<Bytes>(std::span<const std::optional<Bytes>>)> apply;
  bool null_in_null_out = true;
  // For column names: how Cassandra names the result ("system.f(a, b)", "cast(a as int)",
  // "a + b").
  enum class Naming { call, cast, infix, prefix } naming = Naming::call;

  std::optional<Bytes> call(std::span<const std::optional<Bytes>> args) const;
  std::string column_name(std::span<const std::string> args) const;
  // "system.name(type, ...)", as Cassandra prints a signature.
  std::string signature() const;
};

// The function `name` (lower case; "system." stripped) takes for `args`. Invalid as Cassandra
// words it: "Unknown function 'f'", the wrong number of arguments, a type that does not fit,
// an ambiguous call.
const ScalarFunction& resolve_function(std::string_view name, std::span<const FunctionArg> args);

// cast(x AS type) of a value of type `from`: the cast function, or nullptr when there is none
// (Cassandra then says "<column> cannot be cast to <type>").
const ScalarFunction* find_cast(const DataType& from, const DataType& to);

// An arithmetic operation (OperationFcts): `op` one of + - * / % on two operands, or "-" on
// one (negation). Invalid when the types take no such operation.
const ScalarFunction& resolve_operation(std::string_view op, std::span<const FunctionArg> args);

// The name Cassandra gives the marker of argument `i` of `f` ("arg0(system.blobasint)").
std::string function_arg_name(const ScalarFunction& f, std::size_t i);

// How overload resolution sees a term's call's arguments: a nested call by its result type
// (resolved), a literal or marker as itself.
std::vector<FunctionArg> argument_shapes(const cql::FunctionCall& f);
// A function call in a term (VALUES, SET, WHERE) for a receiver of type `receiver`: its
// result type and value (nullopt: null). toJson(), token() and the aggregates are Invalid
// there; fromJson() reads the receiver's type. Throws a Failure as the function would fail.
struct TermCall {
  DataType type;
  std::optional<Bytes> value;
};
TermCall call_in_term(const cql::FunctionCall& f, const DataType& receiver,
                      const Bindings& bindings);

// Whether an empty value of this type means no value (AbstractType.isEmptyValueMeaningless):
// every type but the text ones and blobs.
bool empty_is_null(TypeId id) noexcept;

// Whether a literal or marker can be a value of `type` (Cassandra's testAssignment, weakly).
bool term_fits(const cql::Term& term, const DataType& type);

// The numbers' text as Cassandra's CQL literals and casts write them (Java's toString).
std::string number_text(const DataType& type, BytesView value);
// A value as Cassandra's CQL3Type.toCQLLiteral writes it (what a traced EXECUTE records of its
// bound values): 'text', 0xblob, 2011-02-03T04:05:00.000Z, [1, 2], {'a': 1}, (1, 'x'), null.
std::string cql_literal(const DataType& type, std::optional<BytesView> value);

}  // namespace nosqlc::sandbox::detail
