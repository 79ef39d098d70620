#include "nosqlc/observe/log.hpp"

#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace nosqlc {
namespace {

struct Global {
  std::mutex mutex;
  std::shared_ptr<const LogSink> sink;  // null: stderr
  std::atomic<int> level{static_cast<int>(LogLevel::warn)};
  std::optional<LogLevel> env;  // NOSQLC_LOG, read once
};

Global& global() {
  static Global* g = [] {
    auto* made = new Global;  // never destroyed: records may come from threads at exit
    if (const char* v = std::getenv("NOSQLC_LOG")) made->env = parse_log_level(v);
    return made;
  }();
  return *g;
}

void write_stderr(const LogRecord& r) {
  std::string line = "nosqlc ";
  line += to_string(r.level);
  line += " [";
  line += r.subsystem;
  line += "] ";
  if (!r.host.empty()) {
    line += r.host;
    line += ": ";
  }
  line += r.message;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);  // one write: lines do not interleave
}

}  // namespace

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
    case LogLevel::off:
      return "off";
  }
  return "?";
}

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
  std::string t;
  for (char c : text.substr(0, 16))
    t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "debug") return LogLevel::debug;
  if (t == "info") return LogLevel::info;
  if (t == "warn" || t == "warning") return LogLevel::warn;
  if (t == "error") return LogLevel::error;
  if (t == "off" || t == "none") return LogLevel::off;
  return std::nullopt;
}

void set_log_sink(LogSink sink) {
  auto& g = global();
  auto made = sink ? std::make_shared<const LogSink>(std::move(sink)) : nullptr;
  std::lock_guard lock(g.mutex);
  g.sink = std::move(made);
}

void set_log_level(LogLevel level) {
  global().level.store(static_cast<int>(level), std::memory_order_relaxed);
}

LogLevel log_level() noexcept {
  auto& g = global();
  if (g.env) return *g.env;
  return static_cast<LogLevel>(g.level.load(std::memory_order_relaxed));
}

Logger::Logger(LogSink sink, std::optional<LogLevel> level)
    : sink_(std::move(sink)), level_(level) {}

bool Logger::enabled(LogLevel level) const noexcept {
  if (level == LogLevel::off) return false;
  auto& g = global();
  const LogLevel least = g.env ? *g.env : level_.value_or(log_level());
  return level >= least;
}

void Logger::log(LogLevel level, std::string_view subsystem, std::string_view message,
                 std::string_view host) const noexcept {
  if (!enabled(level)) return;
  const LogRecord record{level, subsystem, message, host};
  try {
    if (sink_) {
      sink_(record);
      return;
    }
    std::shared_ptr<const LogSink> sink;
    {
      auto& g = global();
      std::lock_guard lock(g.mutex);
      sink = g.sink;
    }
    if (sink) {
      (*sink)(record);
    } else {
      write_stderr(record);
    }
  } catch (...) {  // a sink's failure is not the request's
  }
}

}  // namespace nosqlc
