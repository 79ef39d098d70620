// AggregateFcts: count, min and max of any type; sum and avg of numbers, as Java computes
// them (a sum wraps in its type; an average of integers is the truncated quotient of an
// exact sum; varints and decimals are exact, a decimal average a running one; of no rows, 0).
#include "exec/aggregates.hpp"

#include "cql/literals.hpp"
#include "exec/functions_internal.hpp"

namespace nosqlc::sandbox::detail {

std::optional<Aggregate::Kind> Aggregate::kind_of(std::string_view name) {
  if (name == "count") return Kind::count;
  if (name == "min") return Kind::min;
  if (name == "max") return Kind::max;
  if (name == "sum") return Kind::sum;
  if (name == "avg") return Kind::avg;
  return std::nullopt;
}

Aggregate::Aggregate(Kind kind, DataType arg) : kind_(kind), type_(std::move(arg)) {
  if (kind_ != Kind::sum && kind_ != Kind::avg) return;
  const std::string name = kind_ == Kind::sum ? "sum" : "avg";
  if (!is_numeric(type_.id)) {
    fail_invalid("Invalid call to function system." + name +
                 ", none of its type signatures match (known type signatures: system." + name +
                 " : (tinyint) -> tinyint, system." + name + " : (smallint) -> smallint, system." +
                 name + " : (int) -> int, system." + name + " : (bigint) -> bigint, system." +
                 name + " : (float) -> float, system." + name + " : (double) -> double, system." +
                 name + " : (decimal) -> decimal, system." + name +
                 " : (varint) -> varint, system." + name + " : (counter) -> counter)");
  }
}

DataType Aggregate::returns() const {
  if (kind_ == Kind::count_rows || kind_ == Kind::count) return DataType::of(TypeId::bigint);
  return type_;
}

void Aggregate::add(const std::optional<Bytes>& value) {
  if (kind_ == Kind::count_rows) {
    ++count_;
    return;
  }
  if (!value) return;
  ++count_;
  switch (kind_) {
    case Kind::min:
    case Kind::max: {
      if (!best_) {
        best_ = value;
        break;
      }
      auto order = compare_values(type_, *value, *best_);
      if ((kind_ == Kind::min && order < 0) || (kind_ == Kind::max && order > 0)) best_ = value;
      break;
    }
    case Kind::sum:
    case Kind::avg: {
      // compose() of an empty number is null: not added, not counted.
      if (value->empty()) {
        --count_;
        break;
      }
      Number n = read_number(type_, *value);
      if (type_.id == TypeId::varint) {
        bounded([&] { varint_sum_ = varint_sum_ + n.big.unscaled(); });
      } else if (type_.id == TypeId::decimal && kind_ == Kind::sum) {
        bounded([&] { decimal_sum_ = decimal_sum_ + n.big; });
      } else if (type_.id == TypeId::decimal) {
        // avgFunctionForDecimal: avg += (x - avg) / count, HALF_EVEN at the difference's scale.
        bounded([&] {
          BigDec step = BigDec::divide_half_even_same_scale(n.big - decimal_sum_,
                                                            BigDec::of(BigInt::of(count_), 0));
          decimal_sum_ = decimal_sum_ + step;
        });
      } else if (n.kind == Number::Kind::floating) {
        floating_sum_ += n.floating;
      } else {
        integral_sum_ += n.integral;
      }
      break;
    }
    default:
      break;
  }
}

std::optional<Bytes> Aggregate::result() const {
  Bytes out;
  switch (kind_) {
    case Kind::count_rows:
    case Kind::count:
      protocol::encode_bigint(count_, out);
      return out;
    case Kind::min:
    case Kind::max:
      return best_;
    case Kind::sum:
    case Kind::avg: {
      if (type_.id == TypeId::varint) {
        BigInt v = varint_sum_;
        if (kind_ == Kind::avg) v = count_ == 0 ? BigInt() : BigInt::divide(v, BigInt::of(count_));
        return v.to_varint();
      }
      if (type_.id == TypeId::decimal) return decimal_sum_.to_decimal();
      Number n;
      if (type_.id == TypeId::float_ || type_.id == TypeId::double_) {
        n.kind = Number::Kind::floating;
        n.is_float = type_.id == TypeId::float_;
        n.floating = floating_sum_;
        if (kind_ == Kind::avg)
          n.floating = count_ == 0 ? 0 : floating_sum_ / static_cast<double>(count_);
        if (n.is_float) n.floating = static_cast<float>(n.floating);
      } else {
        Int128 v = integral_sum_;
        if (kind_ == Kind::avg) v = count_ == 0 ? 0 : v / count_;
        // Narrowed by convert_number as Java's (byte), (short), (int), (long) narrow.
        n.integral = static_cast<std::int64_t>(static_cast<std::uint64_t>(v));
      }
      // convert_number writes a double into a float type as Java's floatValue() does.
      return convert_number(n, type_.id == TypeId::counter ? DataType::of(TypeId::bigint) : type_);
    }
  }
  return std::nullopt;
}

}  // namespace nosqlc::sandbox::detail
