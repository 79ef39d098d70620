// What the session does when an attempt of a statement fails: the DataStax drivers' default
// retry policy (Cassandra's semantics), as a decision on the error alone. Sans-io.
//
//   ReadTimeout, enough replicas answered but not the data   -> once more, same host
//   WriteTimeout of a BATCH_LOG write (the batch log is kept) -> once more, same host
//   Unavailable (nothing was done)                            -> once, the next host
//   Overloaded, IsBootstrapping, TruncateError, ServerError,
//   a lost connection or an attempt timed out                 -> the next host, idempotent only
//   Unprepared                                                -> prepare again, same host
//   anything else (syntax, Invalid, a failed CAS...)          -> the caller gets it
//
// Every retry is further bounded by SessionOptions::max_retries and the operation's deadline.
#pragma once

#include <exception>

namespace nosqlc::protocol {

enum class RetryVerdict { rethrow, same_host, next_host, reprepare };

// What one operation has been retried for so far (each kind is retried once at most).
struct RetryCounts {
  int read_timeouts = 0;
  int write_timeouts = 0;
  int unavailables = 0;
};

// The verdict for `error`, thrown by an attempt of a statement that is `idempotent` or not;
// counts the retry in `counts`. An error that is not a ClientError is rethrown.
RetryVerdict retry_verdict(const std::exception_ptr& error, bool idempotent, RetryCounts& counts);

}  // namespace nosqlc::protocol
