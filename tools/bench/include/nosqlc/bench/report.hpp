// nosqlc-bench's output: a table for people, or one JSON object per workload.
#pragma once

#include "nosqlc/bench/runner.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <iosfwd>
#include <optional>

namespace nosqlc::bench {

// The JSON form of `r`: workload, ops, errors, seconds, ops_per_s, p50_us, p99_us, p999_us,
// max_us, cpu_s_per_1k_ops, peak_rss_mib, concurrency, and server_cpu_s_per_1k_ops when the
// server's CPU is known (the embedded sandbox).
// A latency in microseconds rounded to 0.1, as every output of the bench shows it (the JSON
// figures and the plot's, so that they compare equal).
double latency_us(std::uint64_t ns);
boost::json::object to_json(const Result& r, const Options& o,
                            std::optional<double> server_cpu_seconds);
void print_table_header(std::ostream& out);
void print_table_row(std::ostream& out, const Result& r, std::optional<double> server_cpu_seconds);

}  // namespace nosqlc::bench
