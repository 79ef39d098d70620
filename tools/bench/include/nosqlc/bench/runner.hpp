// The workloads of nosqlc-bench, run through the public nosqlc API only.
#pragma once

#include "nosqlc/bench/histogram.hpp"
#include "nosqlc/bench/options.hpp"

#include <nosqlc/nosql/client.hpp>

#include <asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace nosqlc::bench {

struct Result {
  Workload workload = Workload::store;
  std::uint64_t ops = 0;     // operations completed (documents read, for find-scan)
  std::uint64_t errors = 0;  // operations that threw
  std::string first_error;
  double seconds = 0;  // wall time of the timed part
  Histogram latency;
  double cpu_seconds = 0;         // this process's user + system CPU during the timed part
  double peak_rss_mib = 0;        // this process's peak resident set so far
  std::uint64_t allocations = 0;  // operator new calls during the timed part, every thread
  double ops_per_s() const { return seconds > 0 ? static_cast<double>(ops) / seconds : 0; }
  double allocations_per_op() const {
    return ops > 0 ? static_cast<double>(allocations) / static_cast<double>(ops) : 0;
  }
  double cpu_s_per_1k_ops() const {
    return ops > 0 ? cpu_seconds * 1000.0 / static_cast<double>(ops) : 0;
  }
};

// Runs the workloads of `options` in order on one collection of `client`, loading the
// documents they need first (untimed), and deleting them at the end. Throws the nosqlc
// errors of the setup; errors of timed operations are counted in the results instead. With
// Api::raw, the timed operations go through a CQL session of their own on the same table
// (opened by the first prepare(); url is the client's, login its properties).
class Runner {
 public:
  Runner(Client& client, const Options& options, std::string url = {}, Properties login = {});
  ~Runner();
  // Writes the documents `w` needs, if not there yet (untimed).
  asio::awaitable<void> prepare(Workload w);
  // Runs `w` (after prepare) and measures it.
  asio::awaitable<Result> run(Workload w);
  // Deletes what the runs wrote.
  asio::awaitable<void> cleanup();

 private:
  asio::awaitable<Result> run_ops(Workload w);
  asio::awaitable<void> open_raw();
  // One timed operation through the chosen API.
  asio::awaitable<void> one_op(bool write, std::uint64_t k, const std::string& key);
  asio::awaitable<Result> run_scan();
  // Sets every sandbox node's added latency (sandbox.nodes; a sandbox only).
  asio::awaitable<void> set_latency(int ms);
  Document document(std::uint64_t seq) const;

  const Options& options_;
  std::string url_;
  Properties login_;
  Collection& collection_;
  struct Raw;
  std::unique_ptr<Raw> raw_;
  bool loaded_ = false;
  std::string padding_;
};

// The document keys used: "k0" .. "k<docs-1>".
std::string key_of(std::uint64_t i);

}  // namespace nosqlc::bench
