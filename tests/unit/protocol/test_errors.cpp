// ERROR responses, native_protocol_v4.spec sections 4.2.1 and 9: every error code with its
// extra fields, byte-exact, both directions.
#include "hex.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace nosqlc::protocol;
using namespace nosqlc::protocol::test;

namespace {

constexpr std::uint8_t kId[] = {0xca, 0xfe, 0xba, 0xbe};

ServerError plain(ServerErrorCode code) {
  return ServerError{code, "boom", {}};
}

// [int] code, [string] "boom": the start of every fixture below.
std::string head(std::string_view code) {
  return std::string(code) + "0004" + "626f6f6d";
}

std::vector<MessageCase<Response>> error_cases() {
  using C = ServerErrorCode;
  return {
      {"9 Server_error 0x0000", plain(C::server_error), head("00000000")},
      {"9 Protocol_error 0x000A",
       ServerError{C::protocol_error, "Invalid or unsupported protocol version (5)", {}},
       "0000000a 002b "
       "496e76616c6964206f7220756e737570706f727465642070726f746f636f6c2076657273696f6e20283529"},
      {"9 Authentication_error 0x0100", plain(C::bad_credentials), head("00000100")},
      {"9 Unavailable 0x1000",
       ServerError{C::unavailable, "boom", UnavailableError{Consistency::quorum, 3, 1}},
       head("00001000") + "0004 00000003 00000001"},  // QUORUM, required 3, alive 1
      {"9 Overloaded 0x1001", plain(C::overloaded), head("00001001")},
      {"9 Is_bootstrapping 0x1002", plain(C::is_bootstrapping), head("00001002")},
      {"9 Truncate_error 0x1003", plain(C::truncate_error), head("00001003")},
      {"9 Write_timeout 0x1100",
       ServerError{C::write_timeout, "boom", WriteTimeoutError{Consistency::one, 0, 1, "SIMPLE"}},
       head("00001100") + "0001 00000000 00000001 0006 53494d504c45"},
      {"9 Read_timeout 0x1200",
       ServerError{C::read_timeout, "boom", ReadTimeoutError{Consistency::quorum, 1, 2, false}},
       head("00001200") + "0004 00000001 00000002 00"},  // data_present 0
      {"9 Read_failure 0x1300",
       ServerError{C::read_failure, "boom", ReadFailureError{Consistency::all, 1, 3, 2, true}},
       head("00001300") + "0005 00000001 00000003 00000002 01"},
      {"9 Function_failure 0x1400",
       ServerError{C::function_failure, "boom", FunctionFailureError{"ks", "f", {"int", "text"}}},
       head("00001400") + "0002 6b73 0001 66 0002 0003 696e74 0004 74657874"},
      {"9 Write_failure 0x1500",
       ServerError{C::write_failure, "boom",
                   WriteFailureError{Consistency::local_quorum, 1, 2, 1, "BATCH_LOG"}},
       head("00001500") + "0006 00000001 00000002 00000001 0009 42415443485f4c4f47"},
      {"9 Syntax_error 0x2000", plain(C::syntax_error), head("00002000")},
      {"9 Unauthorized 0x2100", plain(C::unauthorized), head("00002100")},
      {"9 Invalid 0x2200", plain(C::invalid), head("00002200")},
      {"9 Config_error 0x2300", plain(C::config_error), head("00002300")},
      {"9 Already_exists 0x2400 table",
       ServerError{C::already_exists, "boom", AlreadyExistsError{"ks", "t"}},
       head("00002400") + "0002 6b73 0001 74"},
      {"9 Already_exists 0x2400 keyspace",
       ServerError{C::already_exists, "boom", AlreadyExistsError{"ks", ""}},
       head("00002400") + "0002 6b73 0000"},  // the table is the empty string
      {"9 Unprepared 0x2500", ServerError{C::unprepared, "boom", UnpreparedError{kId}},
       head("00002500") + "0004 cafebabe"},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_errors)

BOOST_AUTO_TEST_CASE(every_code_round_trips) {
  for (const auto& c : error_cases())
    check_message_case(c);
}

BOOST_AUTO_TEST_CASE(decoded_fields) {
  Bytes body = from_hex(error_cases()[10].hex);
  ServerError e;
  BOOST_TEST(decode_body(body, e).ok());
  BOOST_TEST((e.code == ServerErrorCode::function_failure));
  BOOST_TEST(e.message == "boom");
  const auto& f = std::get<FunctionFailureError>(e.details);
  BOOST_TEST(f.keyspace == "ks");
  BOOST_TEST(f.arg_types == (std::vector<std::string>{"int", "text"}),
             boost::test_tools::per_element());

  body = from_hex(error_cases()[8].hex);
  BOOST_TEST(decode_body(body, e).ok());
  const auto& rt = std::get<ReadTimeoutError>(e.details);
  BOOST_TEST(rt.block_for == 2);
  BOOST_TEST(!rt.data_present);
}

BOOST_AUTO_TEST_CASE(data_present_is_any_nonzero_byte) {
  Bytes body = from_hex(head("00001200") + "0004 00000001 00000002 7f");
  ServerError e;
  BOOST_TEST(decode_body(body, e).ok());
  BOOST_TEST(std::get<ReadTimeoutError>(e.details).data_present);
}

BOOST_AUTO_TEST_CASE(unknown_code_keeps_code_and_skips_fields) {
  Bytes body = from_hex(head("00007777") + "0102030405");
  ServerError e;
  BOOST_TEST(decode_body(body, e).ok());
  BOOST_TEST(static_cast<int>(e.code) == 0x7777);
  BOOST_TEST(e.details.index() == 0u);
}

BOOST_AUTO_TEST_CASE(error_code_category) {
  std::error_code ec = ServerErrorCode::unavailable;
  BOOST_TEST(ec.category().name() == std::string("nosqlc.cql"));
  BOOST_TEST(ec.message() == "Unavailable");
  BOOST_TEST(ec.value() == 0x1000);
}

BOOST_AUTO_TEST_CASE(malformed) {
  struct Case {
    const char* name;
    std::string hex;
    errc expected;
  };
  const Case cases[] = {
      {"message length past the body", "00000000 0010 6162", errc::incomplete},
      {"unknown consistency in Unavailable", head("00001000") + "00ff 00000003 00000001",
       errc::invalid_value},
      {"arg_types count larger than the body", head("00001400") + "0002 6b73 0001 66 7fff 0000",
       errc::invalid_length},
      {"Unprepared id past the body", head("00002500") + "0010 cafe", errc::incomplete},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      BOOST_TEST(decode_hex<Response>(Opcode::error, c.hex).code == make_error_code(c.expected));
    }
  }
}

BOOST_AUTO_TEST_CASE(writer_requires_matching_details) {
  Bytes out;
  ServerError e{ServerErrorCode::unavailable, "x", {}};
  BOOST_TEST(encode_response(e, out).code == make_error_code(errc::invalid_value));
  e = ServerError{ServerErrorCode::invalid, "x", AlreadyExistsError{"ks", "t"}};
  BOOST_TEST(encode_response(e, out).code == make_error_code(errc::invalid_value));
}

BOOST_AUTO_TEST_SUITE_END()
