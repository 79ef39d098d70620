#include "nosqlc/cli/options.hpp"

#include "nosqlc/cli/run.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <string_view>
#include <utility>

namespace nosqlc::cli {
namespace {

struct CommandSpec {
  Command command;
  const char* name;
  std::size_t min_args;
  std::size_t max_args;
  const char* operands;  // for the error message
};

constexpr std::array<CommandSpec, 11> kCommands{{
    {Command::help, "help", 0, 0, ""},
    {Command::get, "get", 1, 1, "KEY"},
    {Command::store, "store", 2, 2, "KEY JSON"},
    {Command::insert, "insert", 1, 1, "JSON"},
    {Command::update, "update", 2, 2, "KEY JSON"},
    {Command::del, "delete", 1, 1, "KEY"},
    {Command::find, "find", 0, 1, "[FILTER]"},
    {Command::count, "count", 0, 1, "[FILTER]"},
    {Command::import_, "import", 1, 1, "FILE|-"},
    {Command::export_, "export", 0, 1, "[FILTER]"},
    {Command::collections, "collections", 0, 0, ""},
}};

const CommandSpec& spec_of(Command c) {
  for (const auto& s : kCommands)
    if (s.command == c) return s;
  return kCommands[0];
}

std::size_t parse_count(const std::string& flag, const std::string& text, std::size_t min,
                        std::size_t max) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    throw UsageError(flag + " wants a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", got \"" + text + "\"");
  }
  return value;
}

// Walks the arguments, handing out options' values.
class ArgReader {
 public:
  explicit ArgReader(const std::vector<std::string>& args) : args_(args) {}
  bool done() const { return i_ >= args_.size(); }
  const std::string& next() { return args_[i_++]; }
  // The value of `flag`: from "--flag=value" (`inline_value`) or the next argument.
  std::string value(const std::string& flag, const std::optional<std::string>& inline_value) {
    if (inline_value) return *inline_value;
    if (done()) throw UsageError("option " + flag + " needs a value");
    return next();
  }

 private:
  const std::vector<std::string>& args_;
  std::size_t i_ = 0;
};

}  // namespace

const char* command_name(Command c) noexcept {
  return spec_of(c).name;
}

bool needs_collection(Command c) noexcept {
  return c != Command::help && c != Command::collections;
}

Options parse_args(const std::vector<std::string>& args, const Env& env) {
  Options o;
  std::vector<std::string> positional;
  bool help = false;
  bool options_done = false;
  ArgReader reader(args);
  while (!reader.done()) {
    const std::string& arg = reader.next();
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    std::string flag = arg;
    std::optional<std::string> inline_value;
    if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      flag = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    auto no_value = [&] {
      if (inline_value) throw UsageError("option " + flag + " takes no value");
    };
    if (flag == "-h" || flag == "--help") {
      no_value();
      help = true;
    } else if (flag == "--url") {
      o.url = reader.value(flag, inline_value);
    } else if (flag == "-u" || flag == "--username") {
      o.username = reader.value(flag, inline_value);
    } else if (flag == "--password") {
      throw UsageError(
          "--password is not accepted (other users can read command lines): set "
          "NOSQLC_PASSWORD");
    } else if (flag == "-c" || flag == "--collection") {
      o.collection = reader.value(flag, inline_value);
    } else if (flag == "--pretty") {
      no_value();
      o.pretty = true;
    } else if (flag == "--no-progress") {
      no_value();
      o.progress = false;
    } else if (flag == "--on-error") {
      std::string v = reader.value(flag, inline_value);
      if (v == "stop") {
        o.on_error = OnError::stop;
      } else if (v == "skip") {
        o.on_error = OnError::skip;
      } else {
        throw UsageError("--on-error wants skip or stop, got \"" + v + "\"");
      }
    } else if (flag == "--limit") {
      o.limit = parse_count(flag, reader.value(flag, inline_value), 1, SIZE_MAX);
    } else if (flag == "--concurrency") {
      o.concurrency = parse_count(flag, reader.value(flag, inline_value), 1, 1024);
    } else if (flag == "--timeout") {
      o.timeout = std::chrono::milliseconds(
          parse_count(flag, reader.value(flag, inline_value), 1, 86'400'000));
    } else if (flag == "--consistency") {
      std::string v = reader.value(flag, inline_value);
      o.consistency = parse_consistency(v);
      if (!o.consistency) {
        throw UsageError(
            "--consistency wants a level (ONE, QUORUM, LOCAL_QUORUM, ALL, ...), got \"" + v + "\"");
      }
    } else if (flag == "--trace") {
      no_value();
      o.trace = true;
    } else if (flag == "--log-level") {
      std::string v = reader.value(flag, inline_value);
      o.log_level = parse_log_level(v);
      if (!o.log_level) {
        throw UsageError("--log-level wants debug, info, warn, error or off, got \"" + v + "\"");
      }
    } else if (flag == "-v" || flag == "--verbose") {
      no_value();
      o.verbose = true;
    } else {
      throw UsageError("unknown option \"" + flag + "\"");  // not its value: it may be secret
    }
  }

  if (!o.url) o.url = env.get("NOSQLC_URL");
  if (!o.collection) o.collection = env.get("NOSQLC_COLLECTION");
  if (!o.username) o.username = env.get("NOSQLC_USERNAME");
  o.password = env.get("NOSQLC_PASSWORD");
  if (help) {
    o.command = Command::help;
    return o;
  }
  if (o.username && o.username->empty()) throw UsageError("--username wants a name");
  if (o.password && !o.username) {
    throw UsageError(
        "NOSQLC_PASSWORD is set but no user name: give --username or set "
        "NOSQLC_USERNAME");
  }
  if (positional.empty()) throw UsageError("no command given");

  const std::string& name = positional.front();
  const CommandSpec* spec = nullptr;
  for (const auto& s : kCommands)
    if (name == s.name) spec = &s;
  if (spec == nullptr) throw UsageError("unknown command \"" + name + "\"");
  o.command = spec->command;
  o.args.assign(positional.begin() + 1, positional.end());
  if (o.args.size() < spec->min_args || o.args.size() > spec->max_args) {
    std::string want = std::string("usage: nosqlc ") + spec->name;
    if (*spec->operands) want += std::string(" ") + spec->operands;
    throw UsageError(std::string(spec->name) + " takes " +
                     (spec->max_args == 0 ? std::string("no operands")
                                          : "operands " + std::string(spec->operands)) +
                     ", got " + std::to_string(o.args.size()) + " (" + want + ")");
  }
  return o;
}

}  // namespace nosqlc::cli
