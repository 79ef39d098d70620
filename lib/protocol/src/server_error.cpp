#include "nosqlc/protocol/server_error.hpp"

#include <string>

namespace nosqlc::protocol {
namespace {

using C = ServerErrorCode;

constexpr std::pair<ServerErrorCode, std::string_view> kNames[] = {
    {C::server_error, "Server_error"},
    {C::protocol_error, "Protocol_error"},
    {C::bad_credentials, "Authentication_error"},
    {C::unavailable, "Unavailable"},
    {C::overloaded, "Overloaded"},
    {C::is_bootstrapping, "Is_bootstrapping"},
    {C::truncate_error, "Truncate_error"},
    {C::write_timeout, "Write_timeout"},
    {C::read_timeout, "Read_timeout"},
    {C::read_failure, "Read_failure"},
    {C::function_failure, "Function_failure"},
    {C::write_failure, "Write_failure"},
    {C::syntax_error, "Syntax_error"},
    {C::unauthorized, "Unauthorized"},
    {C::invalid, "Invalid"},
    {C::config_error, "Config_error"},
    {C::already_exists, "Already_exists"},
    {C::unprepared, "Unprepared"},
};

bool is_known(ServerErrorCode c) {
  for (const auto& [code, name] : kNames) {
    if (code == c) return true;
  }
  return false;
}

class ServerErrorCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "nosqlc.cql"; }
  std::string message(int ev) const override {
    return std::string(to_string(static_cast<ServerErrorCode>(ev)));
  }
};

// The alternative of ServerErrorDetails each code carries (0 for none).
std::size_t details_index(ServerErrorCode c) {
  switch (c) {
    case C::unavailable:
      return 1;
    case C::write_timeout:
      return 2;
    case C::read_timeout:
      return 3;
    case C::read_failure:
      return 4;
    case C::function_failure:
      return 5;
    case C::write_failure:
      return 6;
    case C::already_exists:
      return 7;
    case C::unprepared:
      return 8;
    default:
      return 0;
  }
}

}  // namespace

std::string_view to_string(ServerErrorCode c) noexcept {
  for (const auto& [code, name] : kNames) {
    if (code == c) return name;
  }
  return "Unknown";
}

const std::error_category& server_error_category() noexcept {
  static const ServerErrorCategory category;
  return category;
}

void read_body(Reader& r, ServerError& out) {
  out.code = static_cast<ServerErrorCode>(r.i32("error code"));
  out.message = std::string(r.string("error message"));
  out.details = std::monostate{};
  if (!r.ok()) return;
  switch (out.code) {
    case C::unavailable: {
      UnavailableError e;
      e.consistency = r.consistency("unavailable consistency");
      e.required = r.i32("unavailable required");
      e.alive = r.i32("unavailable alive");
      out.details = e;
      return;
    }
    case C::write_timeout: {
      WriteTimeoutError e;
      e.consistency = r.consistency("write_timeout consistency");
      e.received = r.i32("write_timeout received");
      e.block_for = r.i32("write_timeout blockfor");
      e.write_type = std::string(r.string("write_timeout writeType"));
      out.details = std::move(e);
      return;
    }
    case C::read_timeout: {
      ReadTimeoutError e;
      e.consistency = r.consistency("read_timeout consistency");
      e.received = r.i32("read_timeout received");
      e.block_for = r.i32("read_timeout blockfor");
      e.data_present = r.u8("read_timeout data_present") != 0;
      out.details = e;
      return;
    }
    case C::read_failure: {
      ReadFailureError e;
      e.consistency = r.consistency("read_failure consistency");
      e.received = r.i32("read_failure received");
      e.block_for = r.i32("read_failure blockfor");
      e.num_failures = r.i32("read_failure numfailures");
      e.data_present = r.u8("read_failure data_present") != 0;
      out.details = e;
      return;
    }
    case C::function_failure: {
      FunctionFailureError e;
      e.keyspace = std::string(r.string("function_failure keyspace"));
      e.function = std::string(r.string("function_failure function"));
      e.arg_types = r.string_list("function_failure arg_types");
      out.details = std::move(e);
      return;
    }
    case C::write_failure: {
      WriteFailureError e;
      e.consistency = r.consistency("write_failure consistency");
      e.received = r.i32("write_failure received");
      e.block_for = r.i32("write_failure blockfor");
      e.num_failures = r.i32("write_failure numfailures");
      e.write_type = std::string(r.string("write_failure writeType"));
      out.details = std::move(e);
      return;
    }
    case C::already_exists: {
      AlreadyExistsError e;
      e.keyspace = std::string(r.string("already_exists keyspace"));
      e.table = std::string(r.string("already_exists table"));
      out.details = std::move(e);
      return;
    }
    case C::unprepared:
      out.details = UnpreparedError{r.short_bytes("unprepared id")};
      return;
    default:
      if (!is_known(out.code)) r.raw(r.remaining(), "unknown error fields");
      return;
  }
}

void write_body(Writer& w, const ServerError& m) {
  if (m.details.index() != details_index(m.code)) {
    return w.fail(errc::invalid_value,
                  "error details for code " + std::to_string(static_cast<std::int32_t>(m.code)));
  }
  w.i32(static_cast<std::int32_t>(m.code));
  w.string(m.message);
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, UnavailableError>) {
          w.consistency(e.consistency);
          w.i32(e.required);
          w.i32(e.alive);
        } else if constexpr (std::is_same_v<E, WriteTimeoutError>) {
          w.consistency(e.consistency);
          w.i32(e.received);
          w.i32(e.block_for);
          w.string(e.write_type);
        } else if constexpr (std::is_same_v<E, ReadTimeoutError>) {
          w.consistency(e.consistency);
          w.i32(e.received);
          w.i32(e.block_for);
          w.u8(e.data_present ? 1 : 0);
        } else if constexpr (std::is_same_v<E, ReadFailureError>) {
          w.consistency(e.consistency);
          w.i32(e.received);
          w.i32(e.block_for);
          w.i32(e.num_failures);
          w.u8(e.data_present ? 1 : 0);
        } else if constexpr (std::is_same_v<E, FunctionFailureError>) {
          w.string(e.keyspace);
          w.string(e.function);
          w.string_list(e.arg_types);
        } else if constexpr (std::is_same_v<E, WriteFailureError>) {
          w.consistency(e.consistency);
          w.i32(e.received);
          w.i32(e.block_for);
          w.i32(e.num_failures);
          w.string(e.write_type);
        } else if constexpr (std::is_same_v<E, AlreadyExistsError>) {
          w.string(e.keyspace);
          w.string(e.table);
        } else if constexpr (std::is_same_v<E, UnpreparedError>) {
          w.short_bytes(e.id);
        }
      },
      m.details);
}

}  // namespace nosqlc::protocol
