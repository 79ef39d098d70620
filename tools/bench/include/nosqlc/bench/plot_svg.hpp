// nosqlc-bench --plot: the run's latency by percentile as an SVG file a browser shows.
#pragma once

#include "nosqlc/bench/options.hpp"
#include "nosqlc/bench/runner.hpp"

#include <string>
#include <vector>

namespace nosqlc::bench {

// The SVG text of a plot of `results`, one line per result in order, with the settings of `o`
// and a table of each workload's figures. x is the percentile on a scale of nines
// (-log10(1 - p)), y the latency in µs on a log scale. Readable back by a program: each line is
// a <polyline data-workload="NAME" data-percentiles="0 25 50 ..." data-latency-us="...">
// (the last point is the maximum, percentile 100), and each table row a <g class="figures"
// data-workload="NAME"> whose <text data-field="KEY"> hold the --json figures of that name
// (p50_us, p99_us, p999_us, max_us, ops, errors) formatted with one decimal or none.
std::string plot_svg(const std::vector<Result>& results, const Options& o);

}  // namespace nosqlc::bench
