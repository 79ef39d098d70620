// The commands of nosqlc, each against an open client.
#pragma once

#include "nosqlc/cli/options.hpp"
#include "nosqlc/cli/run.hpp"

#include <nosqlc/nosql/client.hpp>

#include <asio/awaitable.hpp>

#include <iosfwd>
#include <system_error>

namespace nosqlc::cli {

// Runs `options.command` (not help) against `client` and returns its ExitCode. Throws
// UsageError, SyntaxError, filter::FilterError and the nosqlc errors; run() maps them.
asio::awaitable<int> execute(const Options& options, Client& client, std::istream& in,
                             std::ostream& out, std::ostream& err, const Env& env);

// The exit code for an error the nosqlc API threw: 1 for document_not_found, 2 for
// invalid_argument and invalid_filter, 3 for the rest.
int exit_code_for(const std::error_code& code) noexcept;

}  // namespace nosqlc::cli
