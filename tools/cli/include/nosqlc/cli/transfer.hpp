// Bulk transfer: import of JSON lines with many writes in flight, export as JSON lines.
#pragma once

#include "nosqlc/cli/options.hpp"
#include "nosqlc/cli/progress.hpp"

#include <nosqlc/nosql/collection.hpp>

#include <asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <iosfwd>

namespace nosqlc::cli {

struct ImportOptions {
  OnError on_error = OnError::stop;
  std::size_t concurrency = 64;  // writes in flight at most (>= 1)
};

struct ImportResult {
  std::uint64_t imported = 0;  // documents written
  std::uint64_t rejected = 0;  // bad lines (each reported on the error stream)
  bool stopped = false;        // a bad line ended the run (OnError::stop)
  std::exception_ptr failure;  // the first write error (a nosqlc::Error), which ended the run
};

// Reads `in` line by line: each non-blank line must be a JSON object. One whose "_id" is a
// string is stored at that key (store, an upsert), one without "_id" is inserted under a new
// key. A bad line (invalid JSON, not an object, "_id" not a non-empty string) is reported on
// `err` as "nosqlc: line N: ..." and skipped, or ends the reading under OnError::stop (writes
// already in flight complete). Up to options.concurrency writes run at once, as coroutines on
// the caller's executor, which must run on one thread (as run()'s does): the workers share
// their state without locks. Lines are read in order, one reader at a time. Reports progress
// in bytes read and finishes the progress line. The first write error ends the reading and
// is returned in `failure` once the writes in flight have finished. Two lines with the same
// "_id" may be written in either order. Reading blocks the executor's thread (lines are read
// synchronously between writes).
asio::awaitable<ImportResult> import_documents(Collection& collection, std::istream& in,
                                               std::ostream& err, ImportOptions options,
                                               Progress& progress);

// Writes every document matching `filter` (with "_id") to `out` as JSON lines, in the
// driver's order. Returns how many. Reports progress in documents.
asio::awaitable<std::uint64_t> export_documents(Collection& collection, const filter::Ast& filter,
                                                FindOptions find_options, std::ostream& out,
                                                Progress& progress);

}  // namespace nosqlc::cli
