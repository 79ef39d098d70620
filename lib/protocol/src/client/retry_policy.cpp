// The default retry policy: see retry_policy.hpp.
#include "nosqlc/protocol/client/retry_policy.hpp"

#include "nosqlc/protocol/client_errors.hpp"

#include <variant>

namespace nosqlc::protocol {
namespace {

RetryVerdict server_verdict(const CqlError& e, bool idempotent, RetryCounts& counts) {
  switch (e.server_code()) {
    case ServerErrorCode::unprepared:
      return RetryVerdict::reprepare;
    case ServerErrorCode::read_timeout: {
      // Enough replicas answered but the one asked for the data did not: a second try most
      // likely finds it (the DataStax drivers' rule).
      const auto* d = std::get_if<ReadTimeoutError>(&e.details());
      if (d && d->received >= d->block_for && !d->data_present && counts.read_timeouts++ == 0) {
        return RetryVerdict::same_host;
      }
      return RetryVerdict::rethrow;
    }
    case ServerErrorCode::write_timeout: {
      // Only the batch log write: the batch is then replayed anyway, repeating it is safe.
      const auto* d = std::get_if<WriteTimeoutError>(&e.details());
      if (d && d->write_type == "BATCH_LOG" && counts.write_timeouts++ == 0) {
        return RetryVerdict::same_host;
      }
      return RetryVerdict::rethrow;
    }
    case ServerErrorCode::unavailable:
      // Nothing was done; another coordinator may see more replicas alive.
      return counts.unavailables++ == 0 ? RetryVerdict::next_host : RetryVerdict::rethrow;
    case ServerErrorCode::overloaded:
    case ServerErrorCode::is_bootstrapping:
    case ServerErrorCode::truncate_error:
    case ServerErrorCode::server_error:
      return idempotent ? RetryVerdict::next_host : RetryVerdict::rethrow;
    default:
      return RetryVerdict::rethrow;
  }
}

}  // namespace

RetryVerdict retry_verdict(const std::exception_ptr& error, bool idempotent, RetryCounts& counts) {
  try {
    std::rethrow_exception(error);
  } catch (const CqlError& e) {
    return server_verdict(e, idempotent, counts);
  } catch (const ClientError& e) {
    // The outcome is unknown: the statement may have run. Only what may run twice goes on.
    const bool unknown_outcome =
        e.code() == client_errc::connection_error || e.code() == client_errc::timeout;
    return unknown_outcome && idempotent ? RetryVerdict::next_host : RetryVerdict::rethrow;
  } catch (...) {
    return RetryVerdict::rethrow;
  }
}

}  // namespace nosqlc::protocol
