#include "error_mapping.hpp"

#include "nosqlc/nosql/errors.hpp"

#include <nosqlc/protocol/client_errors.hpp>
#include <nosqlc/protocol/error.hpp>

#include <boost/json/array.hpp>

namespace nosqlc::cassandra {
namespace {

namespace pr = nosqlc::protocol;

boost::json::object details_of(const pr::ServerErrorDetails& d) {
  boost::json::object o;
  auto consistency = [&](pr::Consistency c) { o["consistency"] = pr::to_string(c); };
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, pr::UnavailableError>) {
          consistency(e.consistency);
          o["required"] = e.required;
          o["alive"] = e.alive;
        } else if constexpr (std::is_same_v<T, pr::WriteTimeoutError>) {
          consistency(e.consistency);
          o["received"] = e.received;
          o["block_for"] = e.block_for;
          o["write_type"] = e.write_type;
        } else if constexpr (std::is_same_v<T, pr::ReadTimeoutError>) {
          consistency(e.consistency);
          o["received"] = e.received;
          o["block_for"] = e.block_for;
          o["data_present"] = e.data_present;
        } else if constexpr (std::is_same_v<T, pr::ReadFailureError>) {
          consistency(e.consistency);
          o["received"] = e.received;
          o["block_for"] = e.block_for;
          o["num_failures"] = e.num_failures;
          o["data_present"] = e.data_present;
        } else if constexpr (std::is_same_v<T, pr::WriteFailureError>) {
          consistency(e.consistency);
          o["received"] = e.received;
          o["block_for"] = e.block_for;
          o["num_failures"] = e.num_failures;
          o["write_type"] = e.write_type;
        } else if constexpr (std::is_same_v<T, pr::FunctionFailureError>) {
          o["keyspace"] = e.keyspace;
          o["function"] = e.function;
          boost::json::array args;
          for (const auto& a : e.arg_types)
            args.emplace_back(a);
          o["arg_types"] = std::move(args);
        } else if constexpr (std::is_same_v<T, pr::AlreadyExistsError>) {
          o["keyspace"] = e.keyspace;
          o["table"] = e.table;
        }
      },
      d);
  return o;
}

errc kind_of(const std::error_code& code) {
  if (code.category() == pr::client_category()) {
    switch (static_cast<pr::client_errc>(code.value())) {
      case pr::client_errc::connection_error:
        return errc::connection_error;
      case pr::client_errc::timeout:
        return errc::timeout;
      case pr::client_errc::authentication_error:
        return errc::authentication_error;
      case pr::client_errc::unsupported_server:
        return errc::protocol_error;
      case pr::client_errc::closed:
        return errc::client_closed;
    }
  }
  if (code.category() == pr::protocol_category()) return errc::protocol_error;
  return errc::connection_error;
}

}  // namespace

void rethrow_as_nosqlc() {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const pr::CqlError& e) {
    if (e.server_code() == pr::ServerErrorCode::bad_credentials) {
      throw Error(errc::authentication_error, e.what());
    }
    auto details = details_of(e.details());
    if (e.server_code() == pr::ServerErrorCode::unprepared) {
      // The exception keeps the id itself (a view in details() would dangle).
      std::string hex;
      static constexpr char kDigits[] = "0123456789abcdef";
      for (std::uint8_t b : e.unprepared_id()) {
        hex += kDigits[b >> 4];
        hex += kDigits[b & 0x0F];
      }
      details["statement_id"] = hex;
    }
    throw ServerError(static_cast<int>(e.server_code()), e.server_message(), std::move(details));
  } catch (const pr::ClientError& e) {
    throw Error(kind_of(e.code()), e.what());
  } catch (const pr::ProtocolError& e) {
    throw Error(errc::protocol_error, e.what());
  }
}

}  // namespace nosqlc::cassandra
