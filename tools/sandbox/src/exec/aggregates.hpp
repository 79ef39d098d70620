// Internal: Cassandra 4.0's native aggregates (AggregateFcts): count(*), count(x), min(x),
// max(x), sum(x) and avg(x), fed one row at a time.
#pragma once

#include "exec/big_numbers.hpp"
#include "exec/executor_internal.hpp"

#include <optional>
#include <string_view>

namespace nosqlc::sandbox::detail {

// Exact sums of 64-bit integers (-Wpedantic knows no __int128 but under __extension__).
__extension__ typedef __int128 Int128;

class Aggregate {
 public:
  enum class Kind { count_rows, count, min, max, sum, avg };
  // The aggregate `name` is (count, min, max, sum, avg), if any.
  static std::optional<Kind> kind_of(std::string_view name);
  // Invalid when `arg` is a type the aggregate does not take (sum and avg: numbers). Varint
  // and decimal values beyond big_numbers.hpp's bounds are Invalid when added.
  Aggregate(Kind kind, DataType arg);

  DataType returns() const;
  // Feeds one row's argument (count_rows ignores it).
  void add(const std::optional<Bytes>& value);
  // The result over the rows fed: 0 for counts, sums and averages of no rows, null for min
  // and max of none.
  std::optional<Bytes> result() const;

 private:
  Kind kind_;
  DataType type_;
  std::int64_t count_ = 0;
  std::optional<Bytes> best_;  // min, max
  Int128 integral_sum_ = 0;    // sum, avg of integer types (wrapped to the type for sum)
  double floating_sum_ = 0;    // sum, avg of float and double
  BigInt varint_sum_;          // sum, avg of varint
  BigDec decimal_sum_;         // sum of decimal; avg of decimal: the running average
};

}  // namespace nosqlc::sandbox::detail
