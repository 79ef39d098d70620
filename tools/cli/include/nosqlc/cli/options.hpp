// The command line of nosqlc, parsed into Options.
#pragma once

#include <nosqlc/nosql/collection.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nosqlc::cli {

struct Env;

// A bad command line, bad argument, or bad input: exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Command {
  help,
  get,
  store,
  insert,
  update,
  del,
  find,
  count,
  import_,
  export_,
  collections,
};

enum class OnError { stop, skip };

struct Options {
  Command command = Command::help;
  std::vector<std::string> args;          // the command's operands
  std::optional<std::string> url;         // --url, else NOSQLC_URL
  std::optional<std::string> collection;  // -c/--collection, else NOSQLC_COLLECTION
  std::optional<std::string> username;    // --username, else NOSQLC_USERNAME
  std::optional<std::string> password;    // NOSQLC_PASSWORD only: argv is visible to others
  bool pretty = false;
  OnError on_error = OnError::stop;
  std::optional<std::size_t> limit;  // --limit for find/export
  std::size_t concurrency = 64;      // --concurrency for import
  bool progress = true;              // false with --no-progress
  // --timeout MS: each operation's deadline (a find's or export's: the whole scan).
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<Consistency> consistency;  // --consistency LEVEL
  bool trace = false;                      // --trace: print the requests' traces to stderr
  std::optional<LogLevel> log_level;       // --log-level LEVEL
  bool verbose = false;                    // -v: a stats line after import and export
};

// The command's name as typed ("get", "delete", ...).
const char* command_name(Command c) noexcept;
// Whether the command works on a collection (all but help and collections).
bool needs_collection(Command c) noexcept;

// Parses `args` (without the program name). Options may come before or after the command;
// `--` ends them. Fills url and collection from `env` when not given. Checks each command's
// operand count. The URL and collection are not required here: run() requires them when it
// opens a client or a collection. Throws UsageError.
Options parse_args(const std::vector<std::string>& args, const Env& env);

}  // namespace nosqlc::cli
