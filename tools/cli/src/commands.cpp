// The commands: each against an open collection, returning its exit code.
#include "nosqlc/cli/commands.hpp"

#include "nosqlc/cli/filter_arg.hpp"
#include "nosqlc/cli/output.hpp"
#include "nosqlc/cli/transfer.hpp"

#include <nosqlc/nosql/errors.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <istream>
#include <ostream>

namespace nosqlc::cli {
namespace {

// A JSON operand that must be an object.
Document object_arg(const std::string& text) {
  boost::json::value v = parse_json(text);
  if (!v.is_object()) throw UsageError("the JSON operand must be an object, got: " + text);
  return std::move(v.as_object());
}

filter::Ast filter_arg(const Options& o) {
  return o.args.empty() ? filter::Ast() : parse_filter(o.args.front());
}

FindOptions find_options(const Options& o, TraceIds* trace) {
  FindOptions f;
  f.limit = o.limit;
  f.skip_unreadable = o.on_error == OnError::skip;
  f.deadline = o.timeout;
  f.consistency = o.consistency;
  if (o.trace) f.trace = trace;
  return f;
}

CallOptions call_options(const Options& o, TraceIds* trace) {
  CallOptions c;
  c.deadline = o.timeout;
  c.consistency = o.consistency;
  if (o.trace) c.trace = trace;
  return c;
}

struct Counted {
  std::uint64_t matches = 0;
  std::size_t skipped = 0;
};

asio::awaitable<Counted> count_matches(Collection& col, const filter::Ast& ast,
                                       FindOptions options) {
  auto cursor = co_await col.find(ast, options);
  Counted c;
  while (co_await cursor.next())
    ++c.matches;
  c.skipped = cursor.skipped();
  co_return c;
}

// What --on-error skip passed over in a scan, so that it is never a silent drop.
void report_skipped(std::ostream& err, const Options& o, std::size_t skipped) {
  if (skipped == 0) return;
  err << "nosqlc: " << command_name(o.command) << ": skipped " << skipped
      << " unreadable stored document" << (skipped == 1 ? "" : "s") << " (--on-error skip)\n";
}

// Non-blank lines left in `in` when it is a file (it can seek), for import's summary.
std::optional<std::uint64_t> lines_left(std::istream& in) {
  if (in.bad()) return std::nullopt;
  in.clear();
  if (in.tellg() == std::streampos(-1)) return std::nullopt;
  std::uint64_t n = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++n;
  }
  return n;
}

// The byte size of what is left in `in` when it can seek (a file), for the progress bar.
std::optional<std::uint64_t> remaining_size(std::istream& in) {
  auto start = in.tellg();
  if (start == std::streampos(-1)) return std::nullopt;
  in.seekg(0, std::ios::end);
  auto end = in.tellg();
  in.clear();
  in.seekg(start);
  if (end == std::streampos(-1) || !in) {
    in.clear();
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(end - start);
}

void not_found(std::ostream& err, const Options& o, const std::string& what) {
  err << "nosqlc: " << command_name(o.command) << ": " << what << '\n';
}

asio::awaitable<int> import_command(const Options& o, Collection& col, std::istream& in,
                                    std::ostream& err, const Env& env, TraceIds* trace) {
  std::ifstream file;
  std::istream* src = &in;
  const std::string& path = o.args.front();
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) throw UsageError("cannot open \"" + path + "\": " + std::strerror(errno));
    src = &file;
  }
  Progress progress(err, env.err_is_terminal && o.progress, "import", remaining_size(*src));
  ImportOptions options{o.on_error, o.concurrency, env.interrupt, call_options(o, trace)};
  // Signals stop the import cleanly only while it runs.
  struct Watch {
    std::atomic<bool>* flag;
    explicit Watch(std::atomic<bool>* f) : flag(f) {
      if (flag) flag->store(true);
    }
    ~Watch() {
      if (flag) flag->store(false);
    }
  } watch(env.watching);
  ImportResult r = co_await import_documents(col, *src, err, options, progress);
  std::optional<std::uint64_t> left;
  if (r.ended_early()) left = lines_left(*src);
  err << "nosqlc: " << import_summary(r, left) << '\n';
  if (r.interrupted != 0) co_return 128 + r.interrupted;
  if (r.failure) {
    // Already reported with its line: only its exit code is left to give.
    try {
      std::rethrow_exception(r.failure);
    } catch (const std::system_error& e) {
      co_return exit_code_for(e.code());
    } catch (...) {
      co_return exit_backend;
    }
  }
  if (src->bad()) throw UsageError("reading \"" + path + "\" failed");
  co_return r.stopped ? exit_usage : exit_ok;
}

asio::awaitable<int> export_command(const Options& o, Collection& col, std::ostream& out,
                                    std::ostream& err, const Env& env, TraceIds* trace) {
  filter::Ast ast = filter_arg(o);
  bool show = env.err_is_terminal && o.progress;
  // The total, for percentage and ETA, costs a counting scan: only when the bar is shown.
  std::optional<std::uint64_t> total;
  if (show) total = (co_await count_matches(col, ast, find_options(o, nullptr))).matches;
  Progress progress(err, show, "export", total);
  ExportResult r = co_await export_documents(col, ast, find_options(o, trace), out, progress);
  report_skipped(err, o, r.skipped);
  co_return exit_ok;
}

}  // namespace

int exit_code_for(const std::error_code& code) noexcept {
  if (code.category() == filter::filter_category()) return exit_usage;
  if (code.category() != nosqlc::error_category()) return exit_backend;
  switch (static_cast<errc>(code.value())) {
    case errc::document_not_found:
      return exit_not_found;
    case errc::invalid_argument:
    case errc::invalid_filter:
      return exit_usage;
    default:
      return exit_backend;
  }
}

asio::awaitable<int> execute(const Options& o, Client& client, std::istream& in, std::ostream& out,
                             std::ostream& err, const Env& env, TraceIds* trace) {
  if (o.command == Command::collections) {
    // JSON strings, one per line; --pretty prints the bare names.
    for (const std::string& name : co_await client.collection_names()) {
      if (o.pretty) {
        out << name << '\n';
      } else {
        write_json(out, boost::json::value(name), false);
      }
    }
    co_return exit_ok;
  }
  if (!o.collection) {
    throw UsageError("no collection: give -c NAME or set NOSQLC_COLLECTION");
  }
  Collection& col = client.get_collection(*o.collection);
  const auto& a = o.args;
  const CallOptions call = call_options(o, trace);
  switch (o.command) {
    case Command::get: {
      auto doc = co_await col.get(a[0], call);
      if (!doc) {
        not_found(err, o, "no document at key \"" + a[0] + "\"");
        co_return exit_not_found;
      }
      write_json(out, *doc, o.pretty);
      co_return exit_ok;
    }
    case Command::store: {
      Document doc = object_arg(a[1]);
      co_await col.store(a[0], std::move(doc), call);
      co_return exit_ok;
    }
    case Command::insert: {
      Document doc = object_arg(a[0]);
      std::string key = co_await col.insert(std::move(doc), call);
      out << key << '\n';
      check_output(out);
      co_return exit_ok;
    }
    case Command::update: {
      Document patch = object_arg(a[1]);
      co_await col.update(a[0], std::move(patch), call);
      co_return exit_ok;
    }
    case Command::del:
      co_await col.del(a[0], call);
      co_return exit_ok;
    case Command::find: {
      filter::Ast ast = filter_arg(o);
      auto cursor = co_await col.find(ast, find_options(o, trace));
      std::uint64_t n = 0;
      while (co_await cursor.next()) {
        write_json(out, cursor.document(), o.pretty);
        ++n;
      }
      report_skipped(err, o, cursor.skipped());
      if (n == 0) {
        not_found(err, o, "no document matches");
        co_return exit_not_found;
      }
      co_return exit_ok;
    }
    case Command::count: {
      filter::Ast ast = filter_arg(o);
      Counted c = co_await count_matches(col, ast, find_options(o, trace));
      const std::uint64_t n = c.matches;
      out << n << '\n';
      report_skipped(err, o, c.skipped);
      check_output(out);
      if (n == 0) {
        not_found(err, o, "no document matches");
        co_return exit_not_found;
      }
      co_return exit_ok;
    }
    case Command::import_:
      co_return co_await import_command(o, col, in, err, env, trace);
    case Command::export_:
      co_return co_await export_command(o, col, out, err, env, trace);
    case Command::help:
    case Command::collections:
      break;
  }
  co_return exit_ok;
}

}  // namespace nosqlc::cli
