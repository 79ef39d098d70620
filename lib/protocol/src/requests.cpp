#include "nosqlc/protocol/requests.hpp"

#include <string>

namespace nosqlc::protocol {
namespace {

// <flags> of 4.1.4.
constexpr std::uint8_t kValues = 0x01;
constexpr std::uint8_t kSkipMetadata = 0x02;
constexpr std::uint8_t kPageSize = 0x04;
constexpr std::uint8_t kPagingState = 0x08;
constexpr std::uint8_t kSerialConsistency = 0x10;
constexpr std::uint8_t kDefaultTimestamp = 0x20;
constexpr std::uint8_t kNamesForValues = 0x40;

// Reads <n> values, each preceded by a [string] name when `named`.
void read_values(Reader& r, bool named, std::vector<Value>& values,
                 std::vector<std::string_view>& names) {
  std::uint16_t n = r.u16("value count");
  // A [value] takes at least its 4-byte length, a name at least 2 more.
  if (!r.check_count(n, named ? 6 : 4, "value count")) return;
  values.reserve(n);
  if (named) names.reserve(n);
  for (std::uint16_t i = 0; i < n && r.ok(); ++i) {
    if (named) names.push_back(r.string("value name"));
    values.push_back(r.value("value"));
  }
}

void write_values(Writer& w, const std::vector<Value>& values,
                  const std::vector<std::string_view>& names) {
  if (values.size() > UINT16_MAX) return w.fail(errc::invalid_length, "value count");
  w.u16(static_cast<std::uint16_t>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!names.empty()) w.string(names[i]);
    w.value(values[i]);
  }
}

}  // namespace

void read_query_parameters(Reader& r, QueryParameters& out) {
  out = {};
  out.consistency = r.consistency("consistency");
  std::uint8_t flags = r.u8("query flags");
  if (!r.ok()) return;
  if (flags & 0x80) return r.fail(errc::invalid_value, "query flags");
  if (flags & kValues) read_values(r, (flags & kNamesForValues) != 0, out.values, out.names);
  out.skip_metadata = (flags & kSkipMetadata) != 0;
  if (flags & kPageSize) out.page_size = r.i32("page size");
  if (flags & kPagingState) out.paging_state = r.bytes("paging state");
  if (flags & kSerialConsistency) out.serial_consistency = r.consistency("serial consistency");
  if (flags & kDefaultTimestamp) out.default_timestamp = r.i64("default timestamp");
}

void write_query_parameters(Writer& w, const QueryParameters& m) {
  if (!m.names.empty() && m.names.size() != m.values.size()) {
    return w.fail(errc::invalid_value, "value names");
  }
  std::uint8_t flags = 0;
  if (!m.values.empty()) flags |= kValues;
  if (!m.names.empty()) flags |= kNamesForValues;
  if (m.skip_metadata) flags |= kSkipMetadata;
  if (m.page_size) flags |= kPageSize;
  if (m.paging_state) flags |= kPagingState;
  if (m.serial_consistency) flags |= kSerialConsistency;
  if (m.default_timestamp) flags |= kDefaultTimestamp;
  w.consistency(m.consistency);
  w.u8(flags);
  if (flags & kValues) write_values(w, m.values, m.names);
  if (m.page_size) w.i32(*m.page_size);
  if (m.paging_state) w.bytes(*m.paging_state);
  if (m.serial_consistency) w.consistency(*m.serial_consistency);
  if (m.default_timestamp) w.i64(*m.default_timestamp);
}

void read_body(Reader& r, Startup& out) {
  out.options = r.string_map("startup options");
}

void read_body(Reader& r, AuthResponse& out) {
  out.token = r.bytes("auth token");
}

void read_body(Reader&, Options&) {}

void read_body(Reader& r, Query& out) {
  out.query = r.long_string("query");
  read_query_parameters(r, out.params);
}

void read_body(Reader& r, Prepare& out) {
  out.query = r.long_string("query");
}

void read_body(Reader& r, Execute& out) {
  out.id = r.short_bytes("prepared id");
  read_query_parameters(r, out.params);
}

void read_body(Reader& r, Batch& out) {
  out = {};
  std::uint8_t type = r.u8("batch type");
  if (r.ok() && type > static_cast<std::uint8_t>(BatchType::counter)) {
    return r.fail(errc::invalid_value, "batch type");
  }
  out.type = static_cast<BatchType>(type);
  std::uint16_t n = r.u16("batch statement count");
  // A statement takes at least its kind, a 2-byte id and its 2-byte value count.
  if (!r.check_count(n, 5, "batch statement count")) return;
  out.statements.reserve(n);
  for (std::uint16_t i = 0; i < n && r.ok(); ++i) {
    BatchStatement s;
    std::uint8_t kind = r.u8("batch statement kind");
    if (!r.ok()) break;
    if (kind == 0) {
      s.statement = r.long_string("batch query");
    } else if (kind == 1) {
      s.statement = r.short_bytes("batch prepared id");
    } else {
      return r.fail(errc::invalid_value, "batch statement kind");
    }
    std::vector<std::string_view> no_names;
    read_values(r, false, s.values, no_names);
    out.statements.push_back(std::move(s));
  }
  out.consistency = r.consistency("batch consistency");
  std::uint8_t f = r.u8("batch flags");
  if (!r.ok()) return;
  // 0x40 (names for values) cannot be parsed, as its own spec text admits (CASSANDRA-10246):
  // the flag comes after the values it would describe.
  if (f & (0x0F | kNamesForValues | 0x80)) return r.fail(errc::invalid_value, "batch flags");
  if (f & kSerialConsistency) out.serial_consistency = r.consistency("serial consistency");
  if (f & kDefaultTimestamp) out.default_timestamp = r.i64("default timestamp");
}

void read_body(Reader& r, Register& out) {
  out.events = r.string_list("event types");
}

void write_body(Writer& w, const Startup& m) {
  w.string_map(m.options);
}

void write_body(Writer& w, const AuthResponse& m) {
  w.bytes(m.token);
}

void write_body(Writer&, const Options&) {}

void write_body(Writer& w, const Query& m) {
  w.long_string(m.query);
  write_query_parameters(w, m.params);
}

void write_body(Writer& w, const Prepare& m) {
  w.long_string(m.query);
}

void write_body(Writer& w, const Execute& m) {
  w.short_bytes(m.id);
  write_query_parameters(w, m.params);
}

void write_body(Writer& w, const Batch& m) {
  if (m.statements.size() > UINT16_MAX) return w.fail(errc::invalid_length, "batch size");
  w.u8(static_cast<std::uint8_t>(m.type));
  w.u16(static_cast<std::uint16_t>(m.statements.size()));
  for (const auto& s : m.statements) {
    if (const auto* q = std::get_if<std::string_view>(&s.statement)) {
      w.u8(0);
      w.long_string(*q);
    } else {
      w.u8(1);
      w.short_bytes(std::get<BytesView>(s.statement));
    }
    write_values(w, s.values, {});
  }
  std::uint8_t flags = (m.serial_consistency ? kSerialConsistency : 0) |
                       (m.default_timestamp ? kDefaultTimestamp : 0);
  w.consistency(m.consistency);
  w.u8(flags);
  if (m.serial_consistency) w.consistency(*m.serial_consistency);
  if (m.default_timestamp) w.i64(*m.default_timestamp);
}

void write_body(Writer& w, const Register& m) {
  w.string_list(m.events);
}

}  // namespace nosqlc::protocol
