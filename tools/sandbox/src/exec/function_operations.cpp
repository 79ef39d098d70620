// OperationFcts: + - * / % and negation on numbers, with Cassandra 4.0's result types
// (returnType: floating point if either side is, of the wider size) and Java's arithmetic
// (integers wrap, integer division by zero fails).
#include "exec/functions_internal.hpp"

#include <cmath>
#include <limits>

namespace nosqlc::sandbox::detail {
namespace {

// NumberType sizes as OperationFcts.size counts them: 0 for unbounded (varint, decimal).
int size_of(TypeId id) {
  switch (id) {
    case TypeId::tinyint:
      return 1;
    case TypeId::smallint:
      return 2;
    case TypeId::int_:
    case TypeId::float_:
      return 4;
    case TypeId::bigint:
    case TypeId::counter:
    case TypeId::double_:
      return 8;
    default:
      return 0;
  }
}

bool floating(TypeId id) {
  return id == TypeId::float_ || id == TypeId::double_ || id == TypeId::decimal;
}

TypeId result_type(TypeId left, TypeId right) {
  int l = size_of(left), r = size_of(right);
  int size = (l == 0 || r == 0) ? 0 : std::max(l, r);
  if (floating(left) || floating(right)) {
    return size == 4 ? TypeId::float_ : size == 8 ? TypeId::double_ : TypeId::decimal;
  }
  switch (size) {
    case 1:
      return TypeId::tinyint;
    case 2:
      return TypeId::smallint;
    case 4:
      return TypeId::int_;
    case 8:
      return TypeId::bigint;
    default:
      return TypeId::varint;
  }
}

std::string_view function_name(char op) {
  switch (op) {
    case '+':
      return "_add";
    case '-':
      return "_substract";
    case '*':
      return "_multiply";
    case '/':
      return "_divide";
    default:
      return "_modulo";
  }
}

// Java's wrapping integer arithmetic on 64 bits; the result is narrowed by the caller.
std::int64_t integral(char op, std::int64_t a, std::int64_t b) {
  auto ua = static_cast<std::uint64_t>(a), ub = static_cast<std::uint64_t>(b);
  switch (op) {
    case '+':
      return static_cast<std::int64_t>(ua + ub);
    case '-':
      return static_cast<std::int64_t>(ua - ub);
    case '*':
      return static_cast<std::int64_t>(ua * ub);
    case '/':
      if (b == -1) return static_cast<std::int64_t>(0 - ua);  // MIN / -1 wraps to MIN
      return a / b;
    default:
      if (b == -1) return 0;
      return a % b;
  }
}

double floating_op(char op, double a, double b) {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      return std::fmod(a, b);
  }
}

Bytes narrow(TypeId to, std::int64_t v) {
  Number n;
  n.integral = v;
  return convert_number(n, DataType::of(to));
}

}  // namespace

const ScalarFunction& resolve_operation(std::string_view op, std::span<const FunctionArg> args) {
  // One function per operation and operand types, made when first asked for and kept: the
  // caller holds a reference, as it does to the catalog's.
  static std::mutex mutex;
  static std::vector<std::unique_ptr<ScalarFunction>> made;

  const bool negation = args.size() == 1;
  std::vector<DataType> types;
  for (const FunctionArg& a : args) {
    if (a.type) {
      types.push_back(*a.type);
    } else if (!negation && args.size() == 2 && (args[0].type || args[1].type)) {
      types.push_back(args[0].type ? *args[0].type : *args[1].type);  // a literal takes the
                                                                      // other side's type
    } else {
      fail_invalid("Cannot infer type for term " + a.text +
                   " in selection clause (try using a cast to force a type)");
    }
  }
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (!is_numeric(types[i].id)) {
      fail_invalid("the '" + std::string(negation ? "-" : op) +
                   "' operation is not supported between " + args[0].text +
                   (negation ? "" : " and " + args[1].text));
    }
    if (types[i].id == TypeId::varint || types[i].id == TypeId::decimal) {
      fail_invalid("The nosqlc sandbox does not support arithmetic on varint or decimal values (" +
                   args[i].text + ")");
    }
    if (args[i].term && !term_fits(*args[i].term, types[i])) {
      fail_invalid("Type error: " + args[i].text + " cannot be passed as argument " +
                   std::to_string(i) + " of function system." +
                   std::string(negation ? "_negate" : function_name(op[0])) + " of type " +
                   protocol::to_cql(types[i]));
    }
  }
  ScalarFunction f;
  if (negation) {
    f.name = "-";
    f.params = types;
    f.returns = types[0];
    f.naming = ScalarFunction::Naming::prefix;
    const DataType t = types[0];
    f.apply = [t](Args a) -> std::optional<Bytes> {
      Number n = read_number(t, *a[0]);
      if (n.kind == Number::Kind::floating) {
        n.floating = -n.floating;
        return convert_number(n, t);
      }
      return narrow(t.id, integral('-', 0, n.integral));
    };
  } else {
    const char o = op[0];
    f.name = std::string(op);
    f.params = types;
    f.returns = DataType::of(result_type(types[0].id, types[1].id));
    f.naming = ScalarFunction::Naming::infix;
    const DataType l = types[0], r = types[1], ret = f.returns;
    f.apply = [o, l, r, ret](Args a) -> std::optional<Bytes> {
      Number x = read_number(l, *a[0]), y = read_number(r, *a[1]);
      if (ret.id == TypeId::float_ || ret.id == TypeId::double_) {
        Number out;
        out.kind = Number::Kind::floating;
        if (ret.id == TypeId::float_) {
          out.floating = static_cast<float>(floating_op(o, static_cast<double>(float_value(x)),
                                                        static_cast<double>(float_value(y))));
          out.is_float = true;
        } else {
          out.floating = floating_op(o, double_value(x), double_value(y));
        }
        return convert_number(out, ret);
      }
      std::int64_t b = long_value(y);
      if ((o == '/' || o == '%') && b == 0) {
        ServerError e{protocol::ServerErrorCode::function_failure,
                      "the operation '" + protocol::to_cql(l) + " " + o + " " +
                          protocol::to_cql(r) + "' failed: / by zero",
                      {}};
        e.details = protocol::FunctionFailureError{
            "system", std::string(function_name(o)), {protocol::to_cql(l), protocol::to_cql(r)}};
        fail(std::move(e));
      }
      return narrow(ret.id, integral(o, long_value(x), b));
    };
  }
  std::lock_guard lock(mutex);
  for (const auto& m : made) {
    if (m->name == f.name && m->params == f.params) return *m;
  }
  made.push_back(std::make_unique<ScalarFunction>(std::move(f)));
  return *made.back();
}

}  // namespace nosqlc::sandbox::detail
