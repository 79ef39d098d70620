#include "nosqlc/bench/options.hpp"

#include <charconv>
#include <string_view>

namespace nosqlc::bench {
namespace {

template <class T>
T number(std::string_view flag, const std::string& text, T min, T max) {
  T v{};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max) {
    throw UsageError("bad value for " + std::string(flag) + ": \"" + text + "\" (" +
                     std::to_string(min) + " to " + std::to_string(max) + ")");
  }
  return v;
}

std::vector<Workload> workloads_of(const std::string& list) {
  std::vector<Workload> out;
  std::string_view rest = list;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view w = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (w == "store") {
      out.push_back(Workload::store);
    } else if (w == "get") {
      out.push_back(Workload::get);
    } else if (w == "mixed") {
      out.push_back(Workload::mixed);
    } else if (w == "find-scan") {
      out.push_back(Workload::find_scan);
    } else if (w == "all") {
      out.insert(out.end(), {Workload::store, Workload::get, Workload::mixed, Workload::find_scan});
    } else {
      throw UsageError("unknown workload \"" + std::string(w) +
                       "\" (store, get, mixed, find-scan, all)");
    }
  }
  if (out.empty()) throw UsageError("--workload needs at least one workload");
  return out;
}

}  // namespace

std::string_view name_of(Workload w) noexcept {
  switch (w) {
    case Workload::store:
      return "store";
    case Workload::get:
      return "get";
    case Workload::mixed:
      return "mixed";
    case Workload::find_scan:
      return "find-scan";
  }
  return "?";
}

Options parse_options(const std::vector<std::string>& args) {
  Options o;
  bool workloads_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    std::string value;
    bool has_value = false;
    if (auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
      has_value = true;
    }
    auto next = [&]() -> const std::string& {
      if (has_value) return value;
      if (i + 1 >= args.size()) throw UsageError("missing value for " + a);
      value = args[++i];
      return value;
    };
    if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--plot") {
      o.plot = next();
      if (o.plot->empty()) throw UsageError("--plot needs a file name");
    } else if (a == "--url") {
      o.url = next();
    } else if (a == "--workload" || a == "-w") {
      auto ws = workloads_of(next());
      if (!workloads_given) o.workloads.clear();
      workloads_given = true;
      o.workloads.insert(o.workloads.end(), ws.begin(), ws.end());
    } else if (a == "--concurrency") {
      o.concurrency = number<std::size_t>(a, next(), 1, 32768);
    } else if (a == "--ops") {
      o.ops = number<std::uint64_t>(a, next(), 1, std::uint64_t{1} << 40);
    } else if (a == "--docs") {
      o.docs = number<std::uint64_t>(a, next(), 1, std::uint64_t{1} << 32);
    } else if (a == "--doc-bytes") {
      o.doc_bytes = number<std::size_t>(a, next(), 16, 16 * 1024 * 1024);
    } else if (a == "--duration") {
      const std::string& t = next();
      char* end = nullptr;
      double d = std::strtod(t.c_str(), &end);
      if (end != t.c_str() + t.size() || !(d > 0) || d > 86400) {
        throw UsageError("bad value for --duration: \"" + t + "\" (seconds, above 0)");
      }
      o.duration = d;
    } else if (a == "--page-size") {
      o.page_size = number<std::int32_t>(a, next(), 1, 1'000'000);
    } else if (a == "--sandbox-nodes") {
      o.sandbox_nodes = number<std::size_t>(a, next(), 1, 254);
    } else if (a == "--scan-concurrency") {
      o.scan_concurrency = number<std::size_t>(a, next(), 1, 256);
    } else if (a == "--scan-latency-ms") {
      o.scan_latency_ms = number<int>(a, next(), 0, 10'000);
    } else if (a == "--sandbox-threads") {
      o.sandbox_threads = number<std::size_t>(a, next(), 1, 64);
    } else if (a == "--io-threads") {
      o.io_threads = number<std::size_t>(a, next(), 0, 64);
    } else if (a == "--api") {
      const std::string& api = next();
      if (api == "document") {
        o.api = Api::document;
      } else if (api == "raw") {
        o.api = Api::raw;
      } else {
        throw UsageError("bad value for --api: \"" + api + "\" (document or raw)");
      }
    } else {
      throw UsageError("unknown argument \"" + args[i] + "\"");
    }
  }
  if (o.api == Api::raw) {
    for (Workload w : o.workloads) {
      if (w == Workload::find_scan) {
        if (!workloads_given) {
          std::erase(o.workloads, Workload::find_scan);  // the default list, less the scan
          break;
        }
        throw UsageError("--api raw runs store, get and mixed, not find-scan");
      }
    }
  }
  if (o.sandbox_nodes > 1 && o.url) throw UsageError("--sandbox-nodes is for the embedded sandbox");
  if ((o.api == Api::raw || o.io_threads) && o.url && !o.url->starts_with("nosqlc:cassandra:")) {
    throw UsageError("--api raw and --io-threads need a Cassandra URL");
  }
  return o;
}

const char* usage_text() noexcept {
  return R"(usage: nosqlc-bench [options]

Runs workloads against a nosqlc database and prints, for each, the operations done, ops/s,
latency percentiles, the client's CPU seconds per 1,000 operations and its peak RSS. Every
figure is measured in this run.

  --url URL            database URL (default: an embedded sandbox server, run in a child
                       process so that CPU and RSS figures are the client's alone);
                       log in with $NOSQLC_USERNAME and $NOSQLC_PASSWORD when set
  -w, --workload LIST  comma-separated: store, get, mixed (90% get, 10% store), find-scan,
                       all (default: all, in that order; repeatable)
  --concurrency N      operations in flight (default 256)
  --ops N              operations per workload (default 100000, or unlimited with
                       --duration); find-scan always reads every document once
  --duration S         stop starting operations after S seconds per workload
  --docs N             documents in the collection: get and mixed read random ones,
                       find-scan scans them all (default 10000); written before the
                       timed part when missing
  --doc-bytes N        JSON size of each document (default 200)
  --page-size N        find-scan: documents per page (default: the driver's, 5000)
  --sandbox-threads N  I/O threads of the embedded sandbox (default 1)
  --sandbox-nodes N    nodes of the embedded sandbox, on 127.0.0.1 .. 127.0.0.N (default 1;
                       keyspace replication SimpleStrategy with factor min(N, 3))
  --scan-concurrency N find-scan: token ranges read at once (default: the driver's, twice
                       the nodes)
  --scan-latency-ms MS find-scan: every node of a sandbox answers MS later during the scan
                       (set through sandbox.nodes, reset after): network round trips
  --io-threads N       the client's I/O threads (its URL option io_threads; default: the
                       URL's, 1)
  --api document|raw   document: the nosqlc document API (default); raw: the CQL session
                       under it, with the same prepared statements and pre-serialized
                       documents (store, get and mixed)
  --json               one JSON object per workload instead of a table, with the
                       allocations per operation (operator new, every client thread)
  --plot FILE.svg      also write the latency of every workload by percentile (0% to the
                       maximum, on a scale of nines) as an SVG plot, with the run's figures
  -h, --help           this text
)";
}

}  // namespace nosqlc::bench
