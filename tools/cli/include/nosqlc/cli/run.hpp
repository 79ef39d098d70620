// The nosqlc command-line client as a library function, so that tests drive it in-process.
#pragma once

#include <nosqlc/nosql/client.hpp>

#include <atomic>
#include <cstddef>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nosqlc::cli {

// The process exit codes (documented in --help).
enum ExitCode : int {
  exit_ok = 0,
  exit_not_found = 1,  // get/update of a missing key, find/count with no match
  exit_usage = 2,      // bad flags or arguments, bad JSON, bad filter, bad import line (stop)
  exit_backend = 3,    // connection, server or driver error, unsupported operation
  exit_output = 4,     // the results could not be written (disk full, closed file)
};

// What run() takes from its surroundings instead of reading the process state itself.
struct Env {
  // Environment variables; run() reads NOSQLC_URL and NOSQLC_COLLECTION. An empty value
  // counts as unset.
  std::map<std::string, std::string> vars;
  // Whether the error stream is a terminal: import/export draw a progress bar only then.
  bool err_is_terminal = false;
  // Test seam (part of the API): an already-open client that run() uses instead of opening
  // one from the URL, and does not close. The memory driver keeps data only for a client's
  // lifetime, so this is how one process runs `import` then `export` against the same data.
  // When set, no URL is needed.
  std::shared_ptr<Client> client;
  // Set to a signal's number (SIGINT, SIGTERM) when the user asks to stop: an import then
  // stops reading, lets its writes in flight finish, prints its summary and exits 128 + the
  // signal. Null: never. from_process() points it at the process's signal handlers, which
  // set it only while `watching` (import) is true and otherwise have their default effect.
  std::atomic<int>* interrupt = nullptr;
  std::atomic<bool>* watching = nullptr;

  // The variable's value, or nullopt when unset or empty.
  std::optional<std::string> get(const std::string& name) const;
  // The process's NOSQLC_* variables, whether stderr (fd 2) is a terminal, and SIGINT and
  // SIGTERM handlers for `interrupt` (installed once).
  static Env from_process();
};

// Standard input for run(), read with read(2) so that SIGINT or SIGTERM while an import
// waits for input ends the read (as the end of input) instead of waiting on.
std::istream& process_stdin();

// Runs one nosqlc invocation. `args` excludes the program name. `in` is read by `import -`;
// results go to `out`; diagnostics, the progress bar and import's summary go to `err`.
// Returns an ExitCode. Never throws.
int run(std::vector<std::string> args, std::istream& in, std::ostream& out, std::ostream& err,
        const Env& env);

}  // namespace nosqlc::cli
