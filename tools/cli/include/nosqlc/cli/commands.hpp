// The commands of nosqlc, each against an open client.
#pragma once

#include "nosqlc/cli/options.hpp"
#include "nosqlc/cli/run.hpp"

#include <nosqlc/nosql/client.hpp>

#include <asio/awaitable.hpp>

#include <iosfwd>
#include <system_error>

namespace nosqlc::cli {

// Runs `options.command` (not help) against `client` and returns its ExitCode; with --trace
// the requests' trace ids go to `trace`. Throws UsageError, SyntaxError, filter::FilterError
// and the nosqlc errors; run() maps them.
asio::awaitable<int> execute(const Options& options, Client& client, std::istream& in,
                             std::ostream& out, std::ostream& err, const Env& env,
                             TraceIds* trace = nullptr);

// The traces of `ids` (at most `max`), read back from the database and written to `err` for
// people: the coordinator, duration and request, then each event with its source and time.
asio::awaitable<void> print_traces(Client& client, const TraceIds& ids, std::ostream& err,
                                   std::size_t max = 5);
// "nosqlc: stats: ..." from the client's metrics, for -v.
std::string stats_line(const Metrics& m);

// The exit code for an error the nosqlc API threw: 1 for document_not_found, 2 for
// invalid_argument and invalid_filter, 3 for the rest.
int exit_code_for(const std::error_code& code) noexcept;

}  // namespace nosqlc::cli
