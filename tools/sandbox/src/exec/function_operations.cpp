// OperationFcts: + - * / % and negation on numbers, with Cassandra 4.0's result types
// (returnType: floating point if either side is, of the wider size) and Java's arithmetic
// (integers wrap, integer division by zero fails).
#include "exec/functions_internal.hpp"

#include <nosqlc/protocol/value_forms.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>

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

bool temporal(TypeId id) {
  return id == TypeId::timestamp || id == TypeId::date;
}

// OperationExecutionException: a FunctionFailure naming the operation and Java's message.
[[noreturn]] void operation_failed(char o, const DataType& l, const DataType& r,
                                   const std::string& why) {
  ServerError e{protocol::ServerErrorCode::function_failure,
                "the operation '" + protocol::to_cql(l) + " " + o + " " + protocol::to_cql(r) +
                    "' failed: " + why,
                {}};
  e.details = protocol::FunctionFailureError{
      "system", std::string(function_name(o)), {protocol::to_cql(l), protocol::to_cql(r)}};
  fail(std::move(e));
}

// IntegerType's operations on BigInteger (exact; divide and remainder truncate), and
// DecimalType's since CASSANDRA-15232: + - * rounded to 10,000 digits, / by its own scale rule,
// % exact (big_numbers.hpp).
Bytes big_operation(char o, const DataType& l, const DataType& r, const DataType& ret,
                    const Number& x, const Number& y) {
  try {
    if (ret.id == TypeId::varint) {
      BigInt a = big_integer_of(x), b = big_integer_of(y);
      switch (o) {
        case '+':
          return (a + b).to_varint();
        case '-':
          return (a - b).to_varint();
        case '*':
          return (a * b).to_varint();
        case '/':
          return BigInt::divide(a, b).to_varint();
        default:
          return BigInt::remainder(a, b).to_varint();
      }
    }
    BigDec a = big_decimal_of(x), b = big_decimal_of(y);
    switch (o) {
      case '+':
        return BigDec::add_rounded(a, b, kCassandraDecimalPrecision).to_decimal();
      case '-':
        return BigDec::subtract_rounded(a, b, kCassandraDecimalPrecision).to_decimal();
      case '*':
        return BigDec::multiply_rounded(a, b, kCassandraDecimalPrecision).to_decimal();
      case '/':
        return BigDec::divide_cassandra(a, b).to_decimal();
      default:
        return BigDec::remainder(a, b).to_decimal();
    }
  } catch (const std::domain_error& e) {
    operation_failed(o, l, r, e.what());
  }
}

// Java's long arithmetic: wrapping, never undefined.
std::int64_t wrap_add(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}
std::int64_t wrap_mul(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(b));
}

// Duration.addTo: without months, days and nanoseconds as milliseconds; with months,
// GregorianCalendar's add(MONTH) (the day of month pinned to the new month's last day), then
// add(DAY_OF_MONTH), then the nanoseconds' whole milliseconds. `sign` -1 is substractFrom.
std::int64_t add_duration(std::int64_t millis, const protocol::Duration& d, int sign) {
  const std::int64_t months = sign * std::int64_t{d.months};
  const std::int64_t days = sign * std::int64_t{d.days};
  const std::int64_t nano_millis = wrap_mul(sign, d.nanoseconds / 1'000'000);
  if (months == 0) return wrap_add(wrap_add(millis, wrap_mul(days, kMillisPerDay)), nano_millis);
  const std::int64_t day = floor_div(millis, kMillisPerDay);
  const std::int64_t in_day = millis - day * kMillisPerDay;
  protocol::CivilDate c = protocol::civil_from_days(day);
  const std::int64_t month_index = c.year * 12 + (c.month - 1) + months;
  const std::int64_t year = floor_div(month_index, 12);
  protocol::CivilDate moved{year, static_cast<unsigned>(month_index - year * 12 + 1), 1};
  // The new month's length: the first of the next month, less one day.
  protocol::CivilDate next = moved.month == 12
                                 ? protocol::CivilDate{moved.year + 1, 1, 1}
                                 : protocol::CivilDate{moved.year, moved.month + 1, 1};
  auto length =
      static_cast<unsigned>(protocol::days_from_civil(next) - protocol::days_from_civil(moved));
  moved.day = std::min(c.day, length);
  const std::int64_t moved_day = protocol::days_from_civil(moved) + days;
  return wrap_add(wrap_add(wrap_mul(moved_day, kMillisPerDay), in_day), nano_millis);
}

// TemporalOperationFunction: timestamp or date plus or minus a duration, as the left type;
// a date takes whole days only (SimpleDateType.validateDuration).
ScalarFunction temporal_operation(std::string_view op, const std::vector<DataType>& types,
                                  std::span<const FunctionArg> args) {
  if ((op != "+" && op != "-") || types[1].id != TypeId::duration) {
    fail_invalid("the '" + std::string(op) + "' operation is not supported between " +
                 args[0].text + " and " + args[1].text);
  }
  if (args[1].term && !term_fits(*args[1].term, types[1])) {
    fail_invalid("Type error: " + args[1].text + " cannot be passed as argument 1 of function " +
                 "system." + std::string(function_name(op[0])) + " of type duration");
  }
  ScalarFunction f;
  f.name = std::string(op);
  f.params = types;
  f.returns = types[0];
  f.naming = ScalarFunction::Naming::infix;
  const bool date = types[0].id == TypeId::date;
  const int sign = op == "+" ? 1 : -1;
  f.apply = [date, sign](Args a) -> std::optional<Bytes> {
    protocol::Duration d;
    (void)protocol::decode_duration(*a[1], d);
    Bytes out;
    if (!date) {
      std::int64_t ms = 0;
      (void)protocol::decode_timestamp(*a[0], ms);
      protocol::encode_timestamp(add_duration(ms, d, sign), out);
      return out;
    }
    if (d.nanoseconds != 0) {
      fail_invalid("The duration must have a day precision. Was: " + protocol::format_duration(d));
    }
    std::int64_t result = floor_div(add_duration(millis_of_date(*a[0]), d, sign), kMillisPerDay) +
                          std::int64_t{protocol::kDateEpoch};
    if (result < 0 || result > std::int64_t{0xFFFFFFFF}) {
      fail_invalid("The date resulting from the operation is out of the range of the date type");
    }
    protocol::encode_date(static_cast<std::uint32_t>(result), out);
    return out;
  };
  return f;
}

// One function per operation and operand types, made when first asked for and kept: the
// caller holds a reference, as it does to the catalog's.
const ScalarFunction& remember(ScalarFunction f) {
  static std::mutex mutex;
  static std::vector<std::unique_ptr<ScalarFunction>> made;
  std::lock_guard lock(mutex);
  for (const auto& m : made) {
    if (m->name == f.name && m->params == f.params) return *m;
  }
  made.push_back(std::make_unique<ScalarFunction>(std::move(f)));
  return *made.back();
}

}  // namespace

const ScalarFunction& resolve_operation(std::string_view op, std::span<const FunctionArg> args) {
  const bool negation = args.size() == 1;
  std::vector<DataType> types;
  for (const FunctionArg& a : args) {
    if (a.type) {
      types.push_back(*a.type);
    } else if (!negation && args.size() == 2 && (args[0].type || args[1].type)) {
      // A literal takes the other side's type; beside a timestamp or a date, a duration's.
      const DataType& other = args[0].type ? *args[0].type : *args[1].type;
      types.push_back(temporal(other.id) ? DataType::of(TypeId::duration) : other);
    } else {
      fail_invalid("Cannot infer type for term " + a.text +
                   " in selection clause (try using a cast to force a type)");
    }
  }
  if (!negation && temporal(types[0].id)) return remember(temporal_operation(op, types, args));
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (!is_numeric(types[i].id)) {
      fail_invalid("the '" + std::string(negation ? "-" : op) +
                   "' operation is not supported between " + args[0].text +
                   (negation ? "" : " and " + args[1].text));
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
      if (n.kind == Number::Kind::big) {
        // BigInteger.negate and BigDecimal.negate: exact, the scale kept.
        if (t.id == TypeId::varint) return (-n.big.unscaled()).to_varint();
        return (-n.big).to_decimal();
      }
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
      if (ret.id == TypeId::varint || ret.id == TypeId::decimal) {
        return bounded([&] { return big_operation(o, l, r, ret, x, y); });
      }
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
      if ((o == '/' || o == '%') && b == 0) operation_failed(o, l, r, "/ by zero");
      return narrow(ret.id, integral(o, long_value(x), b));
    };
  }
  return remember(std::move(f));
}

}  // namespace nosqlc::sandbox::detail
