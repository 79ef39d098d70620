// Responses of native_protocol_v4.spec section 4.2 other than ERROR and RESULT: READY,
// AUTHENTICATE, SUPPORTED, EVENT, AUTH_CHALLENGE, AUTH_SUCCESS; and the response dispatcher.
#include "hex.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace nosqlc::protocol;
using namespace nosqlc::protocol::test;

namespace {

constexpr std::uint8_t kToken[] = {0xab, 0xcd};

Inet ipv4_localhost() {
  return Inet{{127, 0, 0, 1}, 9042};
}

Inet ipv6_localhost() {
  Inet i{std::vector<std::uint8_t>(16, 0), 9042};
  i.address[15] = 1;
  return i;
}

SchemaChange change(SchemaChangeType type, SchemaTarget target, std::string ks,
                    std::string name = {}, std::vector<std::string> args = {}) {
  return SchemaChange{type, target, std::move(ks), std::move(name), std::move(args)};
}

std::vector<MessageCase<Response>> response_cases() {
  using T = SchemaChangeType;
  using G = SchemaTarget;
  const std::string schema_event = "000d 534348454d415f4348414e4745";  // "SCHEMA_CHANGE"
  return {
      {"4.2.2 READY", Ready{}, ""},
      {"4.2.3 AUTHENTICATE", Authenticate{"org.apache.cassandra.auth.PasswordAuthenticator"},
       "002f 6f72672e6170616368652e63617373616e6472612e617574682e50617373776f726441757468656e "
       "74696361746f72"},
      {"4.2.4 SUPPORTED",
       Supported{{{"COMPRESSION", {"lz4", "snappy"}}, {"CQL_VERSION", {"3.4.5"}}}},
       "0002"  // multimap of 2
       "000b 434f4d5052455353494f4e 0002 0003 6c7a34 0006 736e61707079 000b 43514c5f56455253494f4e "
       "0001 0005 332e342e35"},
      {"4.2.6 EVENT TOPOLOGY_CHANGE NEW_NODE",
       Event{TopologyChange{TopologyChangeType::new_node, ipv4_localhost()}},
       "000f 544f504f4c4f47595f4348414e4745"  // "TOPOLOGY_CHANGE"
       "0008 4e45575f4e4f4445"                // "NEW_NODE"
       "04 7f000001 00002352"},               // [inet] 127.0.0.1:9042
      {"4.2.6 EVENT TOPOLOGY_CHANGE REMOVED_NODE",
       Event{TopologyChange{TopologyChangeType::removed_node, ipv4_localhost()}},
       "000f 544f504f4c4f47595f4348414e4745 000c 52454d4f5645445f4e4f4445 04 7f000001 00002352"},
      {"4.2.6 EVENT STATUS_CHANGE DOWN IPv6",
       Event{StatusChange{StatusChangeType::down, ipv6_localhost()}},
       "000d 5354415455535f4348414e4745"                 // "STATUS_CHANGE"
       "0004 444f574e"                                   // "DOWN"
       "10 00000000000000000000000000000001 00002352"},  // [::1]:9042
      {"4.2.6 EVENT STATUS_CHANGE UP", Event{StatusChange{StatusChangeType::up, ipv4_localhost()}},
       "000d 5354415455535f4348414e4745 0002 5550 04 7f000001 00002352"},
      {"4.2.6 EVENT SCHEMA_CHANGE CREATED KEYSPACE", Event{change(T::created, G::keyspace, "ks")},
       schema_event + "0007 43524541544544 0008 4b45595350414345 0002 6b73"},
      {"4.2.6 EVENT SCHEMA_CHANGE UPDATED TABLE", Event{change(T::updated, G::table, "ks", "t")},
       schema_event + "0007 55504441544544 0005 5441424c45 0002 6b73 0001 74"},
      {"4.2.6 EVENT SCHEMA_CHANGE DROPPED TYPE", Event{change(T::dropped, G::type, "ks", "addr")},
       schema_event + "0007 44524f50504544 0004 54595045 0002 6b73 0004 61646472"},
      {"4.2.6 EVENT SCHEMA_CHANGE CREATED FUNCTION",
       Event{change(T::created, G::function, "ks", "f", {"int", "text"})},
       schema_event + "0007 43524541544544 0008 46554e4354494f4e 0002 6b73 0001 66 0002 0003 "
                      "696e74 0004 74657874"},  // [string list] arg types
      {"4.2.6 EVENT SCHEMA_CHANGE DROPPED AGGREGATE",
       Event{change(T::dropped, G::aggregate, "ks", "agg", {"bigint"})},
       schema_event + "0007 44524f50504544 0009 414747524547415445 0002 6b73 0003 616767 0001 0006 "
                      "626967696e74"},
      {"4.2.7 AUTH_CHALLENGE", AuthChallenge{BytesView(kToken)}, "00000002 abcd"},
      {"4.2.8 AUTH_SUCCESS null token", AuthSuccess{std::nullopt}, "ffffffff"},
      {"4.2.8 AUTH_SUCCESS token", AuthSuccess{BytesView(kToken)}, "00000002 abcd"},
      // Not in the 4.2.6 text, but Cassandra sends it when a node's token moves.
      {"4.2.6 EVENT TOPOLOGY_CHANGE MOVED_NODE",
       Event{TopologyChange{TopologyChangeType::moved_node, ipv4_localhost()}},
       "000f 544f504f4c4f47595f4348414e4745 000a 4d4f5645445f4e4f4445 04 7f000001 00002352"},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(responses)

BOOST_AUTO_TEST_CASE(fixtures_round_trip_and_reject_truncation) {
  for (const auto& c : response_cases())
    check_message_case(c);
}

BOOST_AUTO_TEST_CASE(decoded_fields) {
  Bytes body = from_hex(response_cases()[5].hex);
  Event e;
  BOOST_TEST(decode_body(body, e).ok());
  const auto& s = std::get<StatusChange>(e);
  BOOST_TEST((s.change == StatusChangeType::down));
  BOOST_TEST(s.node.address.size() == 16u);
  BOOST_TEST(s.node.port == 9042);

  body = from_hex(response_cases()[10].hex);
  BOOST_TEST(decode_body(body, e).ok());
  const auto& sc = std::get<SchemaChange>(e);
  BOOST_TEST((sc.target == SchemaTarget::function));
  BOOST_TEST(sc.name == "f");
  BOOST_TEST(sc.arg_types.size() == 2u);

  body = from_hex(response_cases()[2].hex);
  Supported sup;
  BOOST_TEST(decode_body(body, sup).ok());
  BOOST_TEST(sup.options.at("COMPRESSION").size() == 2u);
}

BOOST_AUTO_TEST_CASE(malformed) {
  struct Case {
    const char* name;
    Opcode opcode;
    std::string hex;
    errc expected;
  };
  const std::string schema_event = "000d534348454d415f4348414e4745";
  const Case cases[] = {
      {"4.2.6 unknown event type", Opcode::event, "0003 414243", errc::invalid_value},
      {"4.2.6 unknown topology change", Opcode::event,
       "000f 544f504f4c4f47595f4348414e4745 0001 58 04 7f000001 00002352", errc::invalid_value},
      {"4.2.6 inet of 5 bytes", Opcode::event,
       "000d 5354415455535f4348414e4745 0002 5550 05 7f00000100 00002352", errc::invalid_value},
      {"4.2.6 unknown schema target", Opcode::event,
       schema_event + "0007 43524541544544 0003 464f4f 0002 6b73", errc::invalid_value},
      {"4.2.6 unknown schema change type", Opcode::event,
       schema_event + "0003 464f4f 0008 4b45595350414345 0002 6b73", errc::invalid_value},
      {"4.2.4 multimap count larger than the body", Opcode::supported, "ffff 0000",
       errc::invalid_length},
      {"4.2.7 token length past the body", Opcode::auth_challenge, "00000010 ab", errc::incomplete},
      {"4.2.3 string length past the body", Opcode::authenticate, "00ff 61", errc::incomplete},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      BOOST_TEST(decode_hex<Response>(c.opcode, c.hex).code == make_error_code(c.expected));
    }
  }
}

BOOST_AUTO_TEST_CASE(dispatcher_rejects_request_opcodes_and_direction) {
  for (Opcode op : {Opcode::startup, Opcode::options, Opcode::query, Opcode::prepare,
                    Opcode::execute, Opcode::batch, Opcode::register_, Opcode::auth_response,
                    Opcode{0x04}, Opcode{0x11}, Opcode{0x80}, Opcode{0xff}}) {
    BOOST_TEST_CONTEXT("opcode " << static_cast<int>(op)) {
      Status s = decode_hex<Response>(op, "");
      BOOST_TEST(s.code == make_error_code(errc::unknown_opcode));
      BOOST_TEST(!s.message.empty());
    }
  }
  FrameHeader h;
  h.response = false;
  h.opcode = Opcode::ready;
  Response r;
  BOOST_TEST(decode_response(h, {}, r).code == make_error_code(errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(opcode_names) {
  BOOST_TEST(to_string(Opcode::auth_success) == "AUTH_SUCCESS");
  BOOST_TEST(to_string(Opcode{0x04}) == "UNKNOWN");
  BOOST_TEST(to_string(Opcode{0x42}) == "UNKNOWN");
  BOOST_TEST(is_request_opcode(Opcode::batch));
  BOOST_TEST(!is_request_opcode(Opcode::result));
  BOOST_TEST(is_response_opcode(Opcode::event));
  BOOST_TEST(!is_response_opcode(Opcode{0x04}));
}

BOOST_AUTO_TEST_SUITE_END()
