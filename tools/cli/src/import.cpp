// `nosqlc import`: JSON lines in, with up to ImportOptions::concurrency writes in flight.
#include "nosqlc/cli/filter_arg.hpp"
#include "nosqlc/cli/transfer.hpp"

#include <nosqlc/nosql/errors.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <csignal>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

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

// What the workers share. Everything runs on one thread (the caller's executor), so no locks:
// a worker reads its next line synchronously, without suspending in between.
struct ImportState {
  ImportState(Collection& c, std::istream& i, std::ostream& e, ImportOptions o, Progress& p,
              const asio::any_io_executor& ex)
      : collection(c), in(i), err(e), options(o), progress(p), all_done(ex) {}

  Collection& collection;
  std::istream& in;
  std::ostream& err;
  ImportOptions options;
  Progress& progress;
  asio::steady_timer all_done;  // cancelled when the last worker ends
  std::size_t running = 0;
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

  // A document the driver refused is a bad line; any other failure ends the import.
  void write_failed(std::uint64_t line, std::exception_ptr failure) {
    std::string why = "unexpected error";
    try {
      std::rethrow_exception(failure);
    } catch (const Error& e) {
      if (e.kind() == errc::invalid_argument) {
        reject(line, e.what());
        return;
      }
      why = e.what();
    } catch (const std::exception& e) {
      why = e.what();
    } catch (...) {
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

// Writes one line's document at a time until the lines run out or the import stops. Never
// throws: a failed write is reported with its line, and all but a refused document end the
// reading.
asio::awaitable<void> worker(ImportState& st) {
  while (auto job = st.next_job()) {
    try {
      if (job->key) {
        co_await st.collection.store(*job->key, std::move(job->doc));
      } else {
        co_await st.collection.insert(std::move(job->doc));
      }
      ++st.result.imported;
      st.progress.update(st.result.imported, st.bytes);
    } catch (...) {
      st.write_failed(job->line, std::current_exception());
    }
  }
  if (--st.running == 0) st.all_done.cancel();
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
  auto ex = co_await asio::this_coro::executor;
  // The workers read their lines synchronously on this loop, so a write's completion waits
  // for the next line (or the end); its request is sent at once. A collection's first use
  // (creating and preparing its table) needs this loop too: done here, before any read can
  // block it, so that lines already read reach the database while the input is quiet. A find
  // of no key does that and reads nothing; if it fails (or the driver has no find), the first
  // write meets and reports the same trouble.
  try {
    auto none = filter::Filter::where("_id").in_(boost::json::array{}).build();
    (void)co_await collection.find(none);
  } catch (const std::system_error&) {
  }
  ImportState st(collection, in, err, options, progress, ex);
  st.all_done.expires_at(asio::steady_timer::time_point::max());
  st.running = options.concurrency == 0 ? 1 : options.concurrency;
  for (std::size_t i = 0, n = st.running; i < n; ++i)
    asio::co_spawn(ex, worker(st), asio::detached);
  // co_spawn may run a worker inline up to its first suspension, so all of them may be done
  // already. Otherwise woken by cancel() when the last one ends (the timer never expires).
  if (st.running > 0) {
    std::error_code ec;
    co_await st.all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
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
