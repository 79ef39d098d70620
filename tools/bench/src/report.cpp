#include "nosqlc/bench/report.hpp"

#include "nosqlc/bench/allocations.hpp"

#include <cstdio>
#include <ostream>

namespace nosqlc::bench {
namespace {

double us(std::uint64_t ns) {
  return static_cast<double>(ns) / 1000.0;
}

double round_to(double v, double step) {
  return static_cast<double>(static_cast<long long>(v / step + 0.5)) * step;
}

}  // namespace

double latency_us(std::uint64_t ns) {
  return round_to(us(ns), 0.1);
}

boost::json::object to_json(const Result& r, const Options& o,
                            std::optional<double> server_cpu_seconds) {
  boost::json::object j;
  j["workload"] = name_of(r.workload);
  j["ops"] = r.ops;
  j["errors"] = r.errors;
  if (!r.first_error.empty()) j["first_error"] = r.first_error;
  j["seconds"] = round_to(r.seconds, 0.001);
  j["ops_per_s"] = round_to(r.ops_per_s(), 0.1);
  j["p50_us"] = latency_us(r.latency.quantile(0.50));
  j["p99_us"] = latency_us(r.latency.quantile(0.99));
  j["p999_us"] = latency_us(r.latency.quantile(0.999));
  j["max_us"] = latency_us(r.latency.max());
  j["cpu_s_per_1k_ops"] = round_to(r.cpu_s_per_1k_ops(), 0.00001);
  if (server_cpu_seconds && r.ops > 0) {
    j["server_cpu_s_per_1k_ops"] =
        round_to(*server_cpu_seconds * 1000.0 / static_cast<double>(r.ops), 0.00001);
  }
  j["peak_rss_mib"] = round_to(r.peak_rss_mib, 0.1);
  j["concurrency"] = o.concurrency;
  j["api"] = o.api == Api::raw ? "raw" : "document";
  if (o.io_threads) j["io_threads"] = *o.io_threads;
  if (r.ops > 0 && r.workload != Workload::find_scan && allocations_counted()) {
    j["allocs_per_op"] = round_to(r.allocations_per_op(), 0.01);
  }
  return j;
}

void print_table_header(std::ostream& out) {
  out << "workload          ops       ops/s    p50 us    p99 us  p99.9 us  client cpu s/1k"
         "  server cpu s/1k  peak rss MiB  errors\n";
}

void print_table_row(std::ostream& out, const Result& r, std::optional<double> server_cpu_seconds) {
  char server[32] = "               -";
  if (server_cpu_seconds && r.ops > 0) {
    std::snprintf(server, sizeof server, "%16.4f",
                  *server_cpu_seconds * 1000.0 / static_cast<double>(r.ops));
  }
  char line[256];
  std::snprintf(line, sizeof line, "%-10s %10llu %11.1f %9.1f %9.1f %9.1f %16.4f %s %13.1f %7llu\n",
                std::string(name_of(r.workload)).c_str(), static_cast<unsigned long long>(r.ops),
                r.ops_per_s(), us(r.latency.quantile(0.50)), us(r.latency.quantile(0.99)),
                us(r.latency.quantile(0.999)), r.cpu_s_per_1k_ops(), server, r.peak_rss_mib,
                static_cast<unsigned long long>(r.errors));
  out << line;
  if (!r.first_error.empty()) out << "  first error: " << r.first_error << "\n";
}

}  // namespace nosqlc::bench
