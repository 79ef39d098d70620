// Bulk transfer: import of JSON lines with many writes in flight, export as JSON lines.
#pragma once

#include "nosqlc/cli/options.hpp"
#include "nosqlc/cli/progress.hpp"

#include <nosqlc/nosql/collection.hpp>

#include <asio/awaitable.hpp>

#include <atomic>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <iosfwd>
#include <optional>
#include <string>

namespace nosqlc::cli {

struct ImportOptions {
  OnError on_error = OnError::stop;
  std::size_t concurrency = 64;  // writes in flight at most (>= 1)
  // Non-zero once the user asked to stop (the signal's number, SIGINT or SIGTERM); read
  // before each line. Null: never.
  const std::atomic<int>* interrupt = nullptr;
};

struct ImportResult {
  std::uint64_t imported = 0;   // documents written
  std::uint64_t rejected = 0;   // bad lines, and documents the driver refused (invalid_argument)
  std::uint64_t failed = 0;     // writes that failed otherwise (server, connection, timeout)
  std::uint64_t last_line = 0;  // the last line read: nothing after it was attempted
  bool stopped = false;         // a bad line ended the run (OnError::stop)
  int interrupted = 0;          // the signal that ended the run, 0 if none
  std::exception_ptr failure;   // the first failed write (a nosqlc::Error), which ended the run
  std::uint64_t failure_line = 0;
  // Whether the run ended before the end of its input.
  bool ended_early() const noexcept { return stopped || interrupted != 0 || failure != nullptr; }
};

// Reads `in` line by line: each non-blank line must be a JSON object. One whose "_id" is a
// string is stored at that key (store, an upsert), one without "_id" is inserted under a new
// key. A bad line (invalid JSON, not an object, "_id" not a non-empty string) or a document
// the driver refuses (invalid_argument: too large, too deep) is reported on `err` as
// "nosqlc: line N: ..." and counted as rejected; it ends the reading under OnError::stop. Any
// other write failure is reported the same way, counted as failed, kept in `failure` and ends
// the reading. So does `options.interrupt`. Writes already in flight complete either way, so
// the counts are final. Up to options.concurrency writes run at once, as coroutines on the
// caller's executor, which must run on one thread (as run()'s does): the workers share their
// state without locks. Lines are read in order, one reader at a time. Reports progress in bytes
// read and finishes the progress line. Two lines with the same "_id" may be written in either
// order. Reading blocks the executor's thread (lines are read synchronously between writes).
asio::awaitable<ImportResult> import_documents(Collection& collection, std::istream& in,
                                               std::ostream& err, ImportOptions options,
                                               Progress& progress);

// The summary import prints last: "imported N, rejected M" after a complete run; after one
// that ended early, where and why it stopped, the three counts, and what was not attempted
// (`lines_left` non-blank lines after the last one read, when the input could be counted).
std::string import_summary(const ImportResult& r, std::optional<std::uint64_t> lines_left);

struct ExportResult {
  std::uint64_t exported = 0;
  std::size_t skipped = 0;  // unreadable stored documents passed over (skip_unreadable)
};

// Writes every document matching `filter` (with "_id") to `out` as JSON lines, in the
// driver's order. Reports progress in documents. Throws OutputError when `out` fails.
asio::awaitable<ExportResult> export_documents(Collection& collection, const filter::Ast& filter,
                                               FindOptions find_options, std::ostream& out,
                                               Progress& progress);

}  // namespace nosqlc::cli
