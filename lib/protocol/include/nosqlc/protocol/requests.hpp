// Request messages, native_protocol_v4.spec section 4.1: STARTUP, AUTH_RESPONSE, OPTIONS,
// QUERY, PREPARE, EXECUTE, BATCH and REGISTER, with their body readers and writers.
//
// Query text, values, names, ids and tokens are views: of the decoded body when read, of the
// caller's data when written. Keep those buffers alive while the message is in use.
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nosqlc::protocol {

// 4.1.1: "CQL_VERSION" (mandatory, "3.0.0") and optionally "COMPRESSION" ("lz4").
struct Startup {
  StringMap options;
};

// 4.1.2: a SASL token (nullopt is a null [bytes]).
struct AuthResponse {
  std::optional<BytesView> token;
};

// 4.1.3: empty body.
struct Options {};

// <query_parameters> of 4.1.4, shared by QUERY and EXECUTE. The flags byte follows from the
// fields: Values when `values` is non-empty, With_names_for_values when `names` is too.
struct QueryParameters {
  Consistency consistency = Consistency::one;
  std::vector<Value> values;
  std::vector<std::string_view> names;  // empty, or one per value
  bool skip_metadata = false;
  std::optional<std::int32_t> page_size;
  std::optional<BytesView> paging_state;
  std::optional<Consistency> serial_consistency;
  std::optional<std::int64_t> default_timestamp;  // microseconds
  bool trace = false;  // not in the body: the frame's tracing flag (encode_request sets it)
};

// 4.1.4.
struct Query {
  std::string_view query;
  QueryParameters params;
};

// 4.1.5.
struct Prepare {
  std::string_view query;
};

// 4.1.6.
struct Execute {
  BytesView id;
  QueryParameters params;
};

enum class BatchType : std::uint8_t { logged = 0, unlogged = 1, counter = 2 };

// One <query_i> of 4.1.7: the query text (kind 0) or a prepared id (kind 1), and its values.
struct BatchStatement {
  std::variant<std::string_view, BytesView> statement;
  std::vector<Value> values;
};

// 4.1.7. Named values (flag 0x40) are not supported: the spec itself says the flag cannot be
// implemented (CASSANDRA-10246), as it follows the values it would describe.
struct Batch {
  BatchType type = BatchType::logged;
  std::vector<BatchStatement> statements;
  Consistency consistency = Consistency::one;
  std::optional<Consistency> serial_consistency;
  std::optional<std::int64_t> default_timestamp;
  bool trace = false;  // the frame's tracing flag, as QueryParameters::trace
};

// 4.1.8: "TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE".
struct Register {
  std::vector<std::string> events;
};

// Body readers (they stop at the body's end without requiring it; see decode_body) and
// writers. Readers fail with invalid_value for flags the spec does not define and for an
// unknown batch type or statement kind (and BATCH flag 0x40); writers fail with invalid_value when
// names and values do not pair up.
void read_query_parameters(Reader& r, QueryParameters& out);
void write_query_parameters(Writer& w, const QueryParameters& m);

void read_body(Reader& r, Startup& out);
void read_body(Reader& r, AuthResponse& out);
void read_body(Reader& r, Options& out);
void read_body(Reader& r, Query& out);
void read_body(Reader& r, Prepare& out);
void read_body(Reader& r, Execute& out);
void read_body(Reader& r, Batch& out);
void read_body(Reader& r, Register& out);

void write_body(Writer& w, const Startup& m);
void write_body(Writer& w, const AuthResponse& m);
void write_body(Writer& w, const Options& m);
void write_body(Writer& w, const Query& m);
void write_body(Writer& w, const Prepare& m);
void write_body(Writer& w, const Execute& m);
void write_body(Writer& w, const Batch& m);
void write_body(Writer& w, const Register& m);

}  // namespace nosqlc::protocol
