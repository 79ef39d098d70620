// run(): parse the command line, open the client, execute, and map every failure to an exit
// code with a one-line message on the error stream.
#include "nosqlc/cli/run.hpp"

#include "nosqlc/cli/commands.hpp"
#include "nosqlc/cli/drivers.hpp"
#include "nosqlc/cli/filter_arg.hpp"
#include "nosqlc/cli/options.hpp"
#include "nosqlc/cli/output.hpp"
#include "nosqlc/cli/usage.hpp"

#include <nosqlc/nosql/async.hpp>
#include <nosqlc/nosql/driver_manager.hpp>
#include <nosqlc/nosql/errors.hpp>

#include <exception>
#include <istream>
#include <ostream>

namespace nosqlc::cli {
namespace {

asio::awaitable<int> session(const Options& o, std::istream& in, std::ostream& out,
                             std::ostream& err, const Env& env) {
  // Usage checks first: a missing URL or collection needs no connection to be reported.
  if (needs_collection(o.command) && !o.collection) {
    throw UsageError("no collection: give -c NAME or set NOSQLC_COLLECTION");
  }
  std::shared_ptr<Client> client = env.client;
  bool owned = false;
  if (!client) {
    if (!o.url) throw UsageError("no database URL: give --url URL or set NOSQLC_URL");
    Properties props;
    if (o.username) {
      props["username"] = *o.username;
      props["password"] = o.password.value_or("");
    }
    ClientObservers observers;
    observers.log_level = o.log_level;
    client = co_await DriverManager::get_client(*o.url, std::move(props), observers);
    owned = true;
  }
  int code = exit_ok;
  std::exception_ptr failure;
  TraceIds traces;
  try {
    code = co_await execute(o, *client, in, out, err, env, &traces);
  } catch (...) {
    failure = std::current_exception();
  }
  // The traces of what ran, also when it failed part way (what ran is what was slow).
  if (o.trace && !traces.ids.empty()) {
    auto printed = co_await attempt(print_traces(*client, traces, err));
    if (printed.error) err << "nosqlc: cannot read the traces: " << printed.message << '\n';
  }
  if (o.verbose && (o.command == Command::import_ || o.command == Command::export_)) {
    err << stats_line(client->metrics()) << '\n';
  }
  // An error while closing changes nothing the user can act on: the command's outcome stands.
  if (owned) co_await attempt(client->close());
  if (failure) std::rethrow_exception(failure);
  co_return code;
}

int fail(std::ostream& err, const std::string& context, const std::string& message, int code) {
  err << "nosqlc: " << context << message;
  if (code == exit_usage && context.empty()) err << " (see nosqlc --help)";
  err << '\n';
  return code;
}

}  // namespace

int run(std::vector<std::string> args, std::istream& in, std::ostream& out, std::ostream& err,
        const Env& env) {
  Options o;
  try {
    o = parse_args(args, env);
  } catch (const UsageError& e) {
    return fail(err, "", e.what(), exit_usage);
  }
  if (o.command == Command::help) {
    out << usage_text();
    return exit_ok;
  }
  std::string context = std::string(command_name(o.command)) + ": ";
  try {
    register_drivers();
    int code = block_on(session(o, in, out, err, env));
    flush_output(out);
    return code;
  } catch (const OutputError& e) {
    return fail(err, context, e.what(), exit_output);
  } catch (const UsageError& e) {
    return fail(err, context, e.what(), exit_usage);
  } catch (const SyntaxError& e) {
    return fail(err, context, e.what(), exit_usage);
  } catch (const std::system_error& e) {  // nosqlc::Error, filter::FilterError, ...
    return fail(err, context, e.what(), exit_code_for(e.code()));
  } catch (const std::exception& e) {
    return fail(err, context, std::string("unexpected error: ") + e.what(), exit_backend);
  }
}

}  // namespace nosqlc::cli
