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
  CallOptions call{};  // each write's (--timeout, --consistency, --trace)
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
// string is stored at that key (an upsert), one without "_id" under a new UUIDv4 key (written
// as its "_id", as insert does). A bad line (invalid JSON, not an object, "_id" not a
// non-empty string) or a document the driver refuses (invalid_argument: too large, too deep)
// is reported on `err` as "nosqlc: line N: ..." and counted as rejected; it ends the reading
// under OnError::stop. Any other write failure is reported the same way, counted as failed,
// kept in `failure` and ends the reading. So does `options.interrupt`. Lines are written in
// chunks of 4 x options.concurrency with Collection::store_many (options.concurrency writes in
// flight): a chunk is always finished, so the counts are final, and reading stops after the
// chunk in which a write failed. Lines are read synchronously between chunks, on the caller's
// executor. Reports progress in bytes read and finishes the progress line. Two lines with the
// same "_id" may be written in either order.
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
