// `nosqlc import`: JSON lines in, with up to ImportOptions::concurrency writes in flight.
#include "nosqlc/cli/filter_arg.hpp"
#include "nosqlc/cli/transfer.hpp"

#include <nosqlc/nosql/errors.hpp>
#include <nosqlc/nosql/uuid.hpp>

#include <asio/use_awaitable.hpp>

#include <csignal>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace nosqlc::cli {
namespace {

// One document to write: at its "_id" (store), or under a new key (insert) when none.
struct Job {
  std::optional<std::string> key;
  Document doc;
  std::uint64_t line = 0;
};

const char* kind_name(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::object:
      return "an object";
    default:
      return "a number";
  }
}

bool blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

// The import's state: lines are read between chunks, on the caller's executor.
struct ImportState {
  ImportState(Collection& c, std::istream& i, std::ostream& e, ImportOptions o, Progress& p)
      : collection(c), in(i), err(e), options(o), progress(p) {}

  Collection& collection;
  std::istream& in;
  std::ostream& err;
  ImportOptions options;
  Progress& progress;
  std::uint64_t line_no = 0;
  std::uint64_t bytes = 0;
  bool stop_reading = false;
  ImportResult result;

  void report(std::uint64_t line, const std::string& why) {
    progress.clear();
    err << "nosqlc: line " << line << ": " << why << '\n';
  }

  void reject(std::uint64_t line, const std::string& why) {
    report(line, why);
    ++result.rejected;
    if (options.on_error == OnError::stop) {
      stop_reading = true;
      result.stopped = true;
    }
  }
  void reject(const std::string& why) { reject(line_no, why); }

  // A document the driver refused is a bad line; any other failure ends the import. `failure`
  // carries the error's kind (for the exit code), `why` its message.
  void write_failed(std::uint64_t line, std::exception_ptr failure, const std::string& why) {
    bool refused = false;
    try {
      std::rethrow_exception(failure);
    } catch (const Error& e) {
      refused = e.kind() == errc::invalid_argument;
    } catch (...) {
    }
    if (refused) {
      reject(line, why);
      return;
    }
    report(line, why);
    ++result.failed;
    if (!result.failure) {
      result.failure = failure;
      result.failure_line = line;
    }
    stop_reading = true;
  }

  bool interrupted() {
    if (options.interrupt == nullptr) return false;
    if (int sig = options.interrupt->load(std::memory_order_relaxed)) {
      result.interrupted = sig;
      stop_reading = true;
    }
    return stop_reading;
  }

  // The next good line's job; bad lines are rejected on the way. nullopt at the end.
  std::optional<Job> next_job() {
    std::string line;
    while (!stop_reading && !interrupted() && std::getline(in, line)) {
      ++line_no;
      result.last_line = line_no;
      bytes += line.size() + 1;
      progress.update(result.imported, bytes);
      if (blank(line)) continue;
      try {
        boost::json::value v = parse_json(line);
        if (!v.is_object()) {
          reject(std::string("not a JSON object (found ") + kind_name(v) + ")");
          continue;
        }
        Job job{std::nullopt, std::move(v.as_object()), line_no};
        if (const auto* id = job.doc.if_contains("_id")) {
          if (!id->is_string() || id->as_string().empty()) {
            reject("\"_id\" must be a non-empty string");
            continue;
          }
          job.key = std::string(id->as_string());
        }
        return job;
      } catch (const SyntaxError& e) {
        reject(e.what());
      }
    }
    return std::nullopt;
  }
};

// Writes the lines' documents in chunks of 4 x concurrency lines, each chunk with
// Collection::store_many (at most `concurrency` writes in flight); a line without "_id" gets
// a new UUIDv4 key, as insert() would give it. A refused document is a rejected line; any
// other failure ends the reading once its chunk is done, so the counts are final.
asio::awaitable<void> write_chunks(ImportState& st) {
  const std::size_t width = st.options.concurrency == 0 ? 1 : st.options.concurrency;
  const std::size_t chunk = 4 * width;
  while (!st.stop_reading) {
    std::vector<std::pair<std::string, Document>> items;
    std::vector<std::uint64_t> lines;
    while (items.size() < chunk) {
      auto job = st.next_job();
      if (!job) break;
      if (!job->key) {
        job->key = uuid_v4();
        job->doc["_id"] = *job->key;
      }
      items.emplace_back(std::move(*job->key), std::move(job->doc));
      lines.push_back(job->line);
    }
    if (items.empty()) break;
    BulkOptions bulk;
    bulk.concurrency = width;
    bulk.call = st.options.call;
    BulkResult r = co_await st.collection.store_many(std::move(items), bulk);
    st.result.imported += r.succeeded;
    for (const auto& f : r.failures) {
      st.write_failed(lines[f.index],
                      std::make_exception_ptr(Error(static_cast<errc>(f.code.value()), "")),
                      f.message);
    }
    st.progress.update(st.result.imported, st.bytes);
  }
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "a signal";
  }
}

}  // namespace

asio::awaitable<ImportResult> import_documents(Collection& collection, std::istream& in,
                                               std::ostream& err, ImportOptions options,
                                               Progress& progress) {
  // Lines are read synchronously on this loop, between chunks. A collection's first use
  // (creating and preparing its table) needs the loop too: done here, before any read can
  // block it, so that the first chunk reaches the database while the input is quiet. A find
  // of no key does that and reads nothing; if it fails (or the driver has no find), the first
  // write meets and reports the same trouble.
  try {
    auto none = filter::Filter::where("_id").in_(boost::json::array{}).build();
    (void)co_await collection.find(none);
  } catch (const std::system_error&) {
  }
  ImportState st(collection, in, err, options, progress);
  co_await write_chunks(st);
  progress.update(st.result.imported, st.bytes);
  progress.finish();
  co_return std::move(st.result);
}

std::string import_summary(const ImportResult& r, std::optional<std::uint64_t> lines_left) {
  const std::string counts =
      "imported " + std::to_string(r.imported) + ", rejected " + std::to_string(r.rejected);
  if (!r.ended_early()) {
    return r.failed == 0 ? counts : counts + ", failed " + std::to_string(r.failed);
  }
  std::string why;
  if (r.interrupted != 0) {
    why = std::string("interrupted by ") + signal_name(r.interrupted);
  } else if (r.failure) {
    why = "the write of line " + std::to_string(r.failure_line) + " failed";
  } else {
    why = "a bad line, with --on-error stop";
  }
  std::string out = "import stopped after line " + std::to_string(r.last_line) + " (" + why +
                    "): " + counts + ", failed " + std::to_string(r.failed) + "; ";
  if (lines_left && *lines_left == 0) {
    out += "no line after it was left";
  } else if (lines_left) {
    out += std::to_string(*lines_left) + " more line" + (*lines_left == 1 ? "" : "s") +
           " not attempted";
  } else {
    out += "the input after line " + std::to_string(r.last_line) + " was not read";
  }
  return out;
}

}  // namespace nosqlc::cli
