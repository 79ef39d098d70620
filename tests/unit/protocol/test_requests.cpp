// Request messages, native_protocol_v4.spec section 4.1: byte-exact fixtures written from the
// spec, both directions, and malformed bodies.
#include "hex.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace nosqlc::protocol;
using namespace nosqlc::protocol::test;

namespace {

constexpr std::uint8_t kId[] = {0xca, 0xfe, 0xba, 0xbe};
constexpr std::uint8_t kInt42[] = {0x00, 0x00, 0x00, 0x2a};
constexpr std::uint8_t kPaging[] = {0x01, 0x02, 0x03};
constexpr std::uint8_t kPlainSasl[] = {0, 'c', 'a', 's', 's', 'a', 'n', 'd', 'r', 'a',
                                       0, 'c', 'a', 's', 's', 'a', 'n', 'd', 'r', 'a'};

Value text(std::string_view s) {
  return Value::of(view(s));
}

Query all_flags_query() {
  Query q{"SELECT * FROM t", {}};
  q.params.consistency = Consistency::quorum;
  q.params.values = {Value::of(kInt42), Value::null()};
  q.params.page_size = 100;
  q.params.paging_state = BytesView(kPaging);
  q.params.serial_consistency = Consistency::local_serial;
  q.params.default_timestamp = 1;
  return q;
}

Query named_query() {
  Query q{"SELECT * FROM t", {}};
  q.params.values = {text("a"), Value::not_set()};
  q.params.names = {"k", "v"};
  return q;
}

Query skip_metadata_query() {
  Query q{"SELECT * FROM t", {}};
  q.params.consistency = Consistency::local_one;
  q.params.skip_metadata = true;
  return q;
}

Execute execute_two_texts() {
  Execute e{kId, {}};
  e.params.values = {text("k1"), text("v1")};
  return e;
}

Execute execute_paged() {
  Execute e{kId, {}};
  e.params.values = {text("k1")};
  e.params.skip_metadata = true;
  e.params.page_size = 5000;
  return e;
}

Execute execute_every_other_flag() {
  Execute e{kId, {}};
  e.params.consistency = Consistency::local_quorum;
  e.params.values = {text("k1")};
  e.params.names = {"k"};
  e.params.paging_state = BytesView(kPaging);
  e.params.serial_consistency = Consistency::local_serial;
  e.params.default_timestamp = 1'000'000;
  return e;
}

Batch logged_batch() {
  Batch b;
  b.statements.push_back({std::string_view("INSERT INTO t (k) VALUES (?)"), {text("k1")}});
  b.statements.push_back({BytesView(kId), {text("k1"), Value::null()}});
  return b;
}

Batch unlogged_batch() {
  Batch b;
  b.type = BatchType::unlogged;
  b.consistency = Consistency::local_quorum;
  b.serial_consistency = Consistency::serial;
  b.default_timestamp = 1000;
  return b;
}

std::vector<MessageCase<Request>> request_cases() {
  return {
      {"4.1.1 STARTUP CQL_VERSION", Startup{{{"CQL_VERSION", "3.0.0"}}},
       "0001"                         // [string map] of 1
       "000b 43514c5f56455253494f4e"  // "CQL_VERSION"
       "0005 332e302e30"},            // "3.0.0"
      {"4.1.1 STARTUP with COMPRESSION lz4",
       Startup{{{"CQL_VERSION", "3.0.0"}, {"COMPRESSION", "lz4"}}},
       "0002 000b 434f4d5052455353494f4e 0003 6c7a34"  // "COMPRESSION": "lz4"
       "000b 43514c5f56455253494f4e 0005 332e302e30"},
      {"4.1.2 AUTH_RESPONSE PLAIN token", AuthResponse{BytesView(kPlainSasl)},
       "00000014 00 63617373616e647261 00 63617373616e647261"},  // [bytes] of 20
      {"4.1.2 AUTH_RESPONSE null token", AuthResponse{std::nullopt}, "ffffffff"},
      {"4.1.2 AUTH_RESPONSE empty token", AuthResponse{BytesView{}}, "00000000"},
      {"4.1.3 OPTIONS", Options{}, ""},
      {"4.1.4 QUERY without flags", Query{"SELECT * FROM t", {}},
       "0000000f 53454c454354202a2046524f4d2074"  // [long string] query
       "0001 00"},                                // ONE, no flags
      {"4.1.4 QUERY skip metadata", skip_metadata_query(),
       "0000000f 53454c454354202a2046524f4d2074 000a 02"},  // LOCAL_ONE, Skip_metadata
      {"4.1.4 QUERY values, page size, paging state, serial, timestamp", all_flags_query(),
       "0000000f 53454c454354202a2046524f4d2074 0004 3d"  // QUORUM; 0x01|0x04|0x08|0x10|0x20
       "0002 00000004 0000002a"                           // 2 values: int 42,
       "ffffffff"                                         //   null
       "00000064"                                         // page size 100
       "00000003 010203"                                  // paging state
       "0009"                                             // LOCAL_SERIAL
       "0000000000000001"},                               // timestamp 1
      {"4.1.4 QUERY named values", named_query(),
       "0000000f 53454c454354202a2046524f4d2074 0001 41"  // ONE; Values | With_names_for_values
       "0002 0001 6b 00000001 61"                         // k = 'a'
       "0001 76 fffffffe"},                               // v = not set
      {"4.1.5 PREPARE", Prepare{"SELECT * FROM t"}, "0000000f 53454c454354202a2046524f4d2074"},
      {"4.1.6 EXECUTE two text values", execute_two_texts(),
       "0004 cafebabe"                  // [short bytes] id
       "0001 01 0002"                   // ONE, Values, 2
       "00000002 6b31 00000002 7631"},  // 'k1', 'v1'
      {"4.1.6 EXECUTE skip metadata and page size", execute_paged(),
       "0004 cafebabe 0001 07 0001 00000002 6b31"  // Values | Skip_metadata | Page_size
       "00001388"},                                // 5000
      {"4.1.7 BATCH logged, query and prepared", logged_batch(),
       "00 0002"  // logged, 2 statements
       "00 0000001c 494e5345525420494e544f207420286b292056414c55455320283f29"  // kind 0, query
       "0001 00000002 6b31"                                                    // 1 value
       "01 0004 cafebabe 0002 00000002 6b31 ffffffff"                          // kind 1, 2 values
       "0001 00"},                                                             // ONE, no flags
      {"4.1.7 BATCH unlogged, serial and timestamp", unlogged_batch(),
       "01 0000"                  // unlogged, no statements
       "0006 30"                  // LOCAL_QUORUM; 0x10 | 0x20
       "0008 00000000000003e8"},  // SERIAL, 1000
      {"4.1.7 BATCH counter", Batch{BatchType::counter, {}, Consistency::one, {}, {}},
       "02 0000 0001 00"},
      {"4.1.8 REGISTER", Register{{"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"}},
       "0003 000f 544f504f4c4f47595f4348414e4745 000d 5354415455535f4348414e4745 000d "
       "534348454d415f4348414e4745"},
      {"4.1.6 EXECUTE named values, paging state, serial consistency, timestamp",
       execute_every_other_flag(),
       "0004 cafebabe 0006 79"       // LOCAL_QUORUM; 0x01 | 0x08 | 0x10 | 0x20 | 0x40
       "0001 0001 6b 00000002 6b31"  // k = 'k1'
       "00000003 010203"             // paging state
       "0009"                        // LOCAL_SERIAL
       "00000000000f4240"},          // 1,000,000 microseconds
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(requests)

BOOST_AUTO_TEST_CASE(fixtures_round_trip_and_reject_truncation) {
  for (const auto& c : request_cases())
    check_message_case(c);
}

BOOST_AUTO_TEST_CASE(decoded_fields) {
  Bytes body = from_hex(request_cases()[8].hex);
  Query q;
  BOOST_TEST(decode_body(body, q).ok());
  BOOST_TEST(q.query == "SELECT * FROM t");
  BOOST_TEST((q.params.consistency == Consistency::quorum));
  BOOST_TEST(q.params.values.size() == 2u);
  BOOST_TEST((q.params.values[0] == Value::of(kInt42)));
  BOOST_TEST((q.params.values[1].kind == Value::Kind::null));
  BOOST_TEST(*q.params.page_size == 100);
  BOOST_TEST(to_hex(*q.params.paging_state) == "010203");
  BOOST_TEST((*q.params.serial_consistency == Consistency::local_serial));
  BOOST_TEST(*q.params.default_timestamp == 1);
  // The values view the body: no copy was made.
  BOOST_TEST(q.params.values[0].bytes.data() == body.data() + 28);

  Bytes named = from_hex(request_cases()[9].hex);
  BOOST_TEST(decode_body(named, q).ok());
  BOOST_TEST(q.params.names.size() == 2u);
  BOOST_TEST(q.params.names[1] == "v");
  BOOST_TEST((q.params.values[1].kind == Value::Kind::not_set));
}

BOOST_AUTO_TEST_CASE(malformed_bodies) {
  struct Case {
    const char* name;
    Opcode opcode;
    const char* hex;
    errc expected;
  };
  const Case cases[] = {
      {"4.1.4 negative query length", Opcode::query, "ffffffff 0001 00", errc::invalid_length},
      {"4.1.4 value length below -2", Opcode::query, "00000001 61 0001 01 0001 fffffffd",
       errc::invalid_length},
      {"4.1.4 value count larger than the body", Opcode::query, "00000001 61 0001 01 ffff 00000000",
       errc::invalid_length},
      {"4.1.4 undefined flag 0x80", Opcode::query, "00000001 61 0001 80", errc::invalid_value},
      {"4.1.4 unknown consistency", Opcode::query, "00000001 61 000b 00", errc::invalid_value},
      {"4.1.4 query length past the body", Opcode::query, "7fffffff 61", errc::incomplete},
      {"4.1.6 id length past the body", Opcode::execute, "ffff cafe", errc::incomplete},
      {"4.1.7 unknown batch type", Opcode::batch, "03 0000 0001 00", errc::invalid_value},
      {"4.1.7 unknown statement kind", Opcode::batch, "00 0001 02 0000 0001 00",
       errc::invalid_value},
      {"4.1.7 statement count larger than the body", Opcode::batch, "00 ffff 0001 00",
       errc::invalid_length},
      {"4.1.7 flags with query-only bits", Opcode::batch, "00 0000 0001 04", errc::invalid_value},
      {"4.1.7 names for values (CASSANDRA-10246)", Opcode::batch, "00 0000 0001 40",
       errc::invalid_value},
      {"4.1.1 STARTUP map count larger than the body", Opcode::startup, "7fff 0001 61",
       errc::invalid_length},
      {"4.1.8 REGISTER list count larger than the body", Opcode::register_, "0100 0000",
       errc::invalid_length},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      Status s = decode_hex<Request>(c.opcode, c.hex);
      BOOST_TEST(s.code == make_error_code(c.expected));
      BOOST_TEST(!s.message.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(dispatcher_rejects_response_opcodes_and_direction) {
  for (Opcode op : {Opcode::error, Opcode::ready, Opcode::result, Opcode::event,
                    Opcode::auth_success, Opcode{0x04}, Opcode{0x11}, Opcode{0xff}}) {
    BOOST_TEST_CONTEXT("opcode " << static_cast<int>(op)) {
      BOOST_TEST(decode_hex<Request>(op, "").code == make_error_code(errc::unknown_opcode));
    }
  }
  FrameHeader h;
  h.response = true;
  h.opcode = Opcode::options;
  Request r;
  BOOST_TEST(decode_request(h, {}, r).code == make_error_code(errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(writers_reject_inconsistent_messages) {
  Query q{"q", {}};
  q.params.values = {Value::null()};
  q.params.names = {"a", "b"};
  Bytes out;
  BOOST_TEST(encode_request(q, out).code == make_error_code(errc::invalid_value));
}

BOOST_AUTO_TEST_SUITE_END()
