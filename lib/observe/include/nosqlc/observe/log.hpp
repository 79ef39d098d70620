// The library's log: one sink for everything nosqlc reports (connections, hosts, retries,
// server warnings), settable process-wide and per session. Silent by default apart from
// warnings and errors, which go to stderr. The environment variable NOSQLC_LOG
// (debug|info|warn|error|off), when set, overrides every level set in code, so that an operator
// can turn on debug output without a rebuild.
//
// What is logged never holds a password, at any level; keys, documents and statement values
// appear only at debug.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace nosqlc {

enum class LogLevel : int { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

std::string_view to_string(LogLevel level) noexcept;
// "debug", "info", "warn" (or "warning"), "error", "off" in any case; nullopt otherwise.
std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;

struct LogRecord {
  LogLevel level = LogLevel::info;
  std::string_view subsystem;  // "connection", "pool", "cluster", "schema", "request", ...
  std::string_view message;
  std::string_view host;  // "address:port" of the host concerned; empty when none
};

// Called from any thread (serialize inside if needed), while the library holds no lock of
// its own; what it throws is swallowed. Must not block for long: I/O threads wait for it.
using LogSink = std::function<void(const LogRecord&)>;

// Process-wide: the sink of sessions that have none of their own (null: the default, which
// writes "nosqlc <level> [<subsystem>] <host>: <message>" lines to stderr), and the least
// level it gets (default warn). Thread-safe; sessions see a change at their next record.
void set_log_sink(LogSink sink);
void set_log_level(LogLevel level);
// The process-wide level in effect: NOSQLC_LOG when set, else what set_log_level gave.
LogLevel log_level() noexcept;

// Where one session (or client) logs: its own sink and level when given, else the process's.
// Cheap to copy; any thread.
class Logger {
 public:
  Logger() = default;
  Logger(LogSink sink, std::optional<LogLevel> level);

  // Whether a record of `level` would be written (build costly messages only then).
  bool enabled(LogLevel level) const noexcept;
  void log(LogLevel level, std::string_view subsystem, std::string_view message,
           std::string_view host = {}) const noexcept;
  void debug(std::string_view subsystem, std::string_view message,
             std::string_view host = {}) const noexcept {
    log(LogLevel::debug, subsystem, message, host);
  }
  void info(std::string_view subsystem, std::string_view message,
            std::string_view host = {}) const noexcept {
    log(LogLevel::info, subsystem, message, host);
  }
  void warn(std::string_view subsystem, std::string_view message,
            std::string_view host = {}) const noexcept {
    log(LogLevel::warn, subsystem, message, host);
  }

 private:
  LogSink sink_;  // null: the process-wide sink
  std::optional<LogLevel> level_;
};

}  // namespace nosqlc
