// The notations of native_protocol_v4.spec section 3, one by one: byte-exact both ways, every
// truncation an error naming what was read and where, hostile lengths and counts, and the
// writer's limits. ([option] is in test_types.cpp.)
#include "hex.hpp"
#include "values_fixtures.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <vector>

using namespace nosqlc::protocol;
using namespace nosqlc::protocol::test;
using values_fixtures::Heap;

namespace {

std::string show(BytesView b) {
  return "0x" + to_hex(b);
}
std::string show(const std::optional<BytesView>& b) {
  return b ? show(*b) : "null";
}
std::string show(const Value& v) {
  switch (v.kind) {
    case Value::Kind::null:
      return "null";
    case Value::Kind::not_set:
      return "not set";
    case Value::Kind::normal:
      break;
  }
  return show(v.bytes);
}
std::string show(const std::vector<std::string>& l) {
  std::string s;
  for (const auto& e : l)
    s += "[" + e + "]";
  return s;
}
std::string show(const Inet& i) {
  return to_hex(i.address) + ":" + std::to_string(i.port);
}

struct Case {
  std::string name;                          // the notation, as section 3 spells it
  std::string hex;                           // written from section 3
  std::function<std::string(Reader&)> read;  // reads one, as text
  std::function<void(Writer&)> write;        // writes the same value
  std::string text;                          // what `read` gives
};

constexpr std::uint8_t kAbcd[] = {0xab, 0xcd};

std::vector<Case> cases() {
  const Uuid uuid{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  Inet v6{std::vector<std::uint8_t>(16, 0), 9100};
  v6.address[0] = 0x20;
  v6.address[1] = 0x01;
  v6.address[2] = 0x0d;
  v6.address[3] = 0xb8;
  v6.address[15] = 1;
  return {
      {"[byte]", "ab", [](Reader& r) { return std::to_string(r.u8("t")); },
       [](Writer& w) { w.u8(0xab); }, "171"},
      {"[short] is unsigned", "ffff", [](Reader& r) { return std::to_string(r.u16("t")); },
       [](Writer& w) { w.u16(65535); }, "65535"},
      {"[int] -123", "ffffff85", [](Reader& r) { return std::to_string(r.i32("t")); },
       [](Writer& w) { w.i32(-123); }, "-123"},
      {"[int] min", "80000000", [](Reader& r) { return std::to_string(r.i32("t")); },
       [](Writer& w) { w.i32(INT32_MIN); }, "-2147483648"},
      {"[long] max", "7fffffffffffffff", [](Reader& r) { return std::to_string(r.i64("t")); },
       [](Writer& w) { w.i64(INT64_MAX); }, "9223372036854775807"},
      {"[long] -2", "fffffffffffffffe", [](Reader& r) { return std::to_string(r.i64("t")); },
       [](Writer& w) { w.i64(-2); }, "-2"},
      {"[string]", "0003 616263", [](Reader& r) { return std::string(r.string("t")); },
       [](Writer& w) { w.string("abc"); }, "abc"},
      {"[string] empty", "0000", [](Reader& r) { return "<" + std::string(r.string("t")) + ">"; },
       [](Writer& w) { w.string(""); }, "<>"},
      {"[long string]", "00000003 616263",
       [](Reader& r) { return std::string(r.long_string("t")); },
       [](Writer& w) { w.long_string("abc"); }, "abc"},
      {"[uuid]", "000102030405060708090a0b0c0d0e0f", [](Reader& r) { return to_hex(r.uuid("t")); },
       [uuid](Writer& w) { w.uuid(uuid); }, "000102030405060708090a0b0c0d0e0f"},
      {"[string list]", "0002 0001 61 0000", [](Reader& r) { return show(r.string_list("t")); },
       [](Writer& w) {
         w.string_list({"a", ""});
       },
       "[a][]"},
      {"[bytes]", "00000002 abcd", [](Reader& r) { return show(r.bytes("t")); },
       [](Writer& w) { w.bytes(BytesView(kAbcd)); }, "0xabcd"},
      {"[bytes] empty", "00000000", [](Reader& r) { return show(r.bytes("t")); },
       [](Writer& w) { w.bytes(BytesView{}); }, "0x"},
      {"[bytes] null", "ffffffff", [](Reader& r) { return show(r.bytes("t")); },
       [](Writer& w) { w.bytes(std::nullopt); }, "null"},
      {"[value]", "00000002 abcd", [](Reader& r) { return show(r.value("t")); },
       [](Writer& w) { w.value(Value::of(kAbcd)); }, "0xabcd"},
      {"[value] null (n == -1)", "ffffffff", [](Reader& r) { return show(r.value("t")); },
       [](Writer& w) { w.value(Value::null()); }, "null"},
      {"[value] not set (n == -2)", "fffffffe", [](Reader& r) { return show(r.value("t")); },
       [](Writer& w) { w.value(Value::not_set()); }, "not set"},
      {"[short bytes]", "0002 abcd", [](Reader& r) { return show(r.short_bytes("t")); },
       [](Writer& w) { w.short_bytes(kAbcd); }, "0xabcd"},
      {"[short bytes] empty", "0000", [](Reader& r) { return show(r.short_bytes("t")); },
       [](Writer& w) { w.short_bytes({}); }, "0x"},
      {"[inet] IPv4", "04 7f000001 00002352", [](Reader& r) { return show(r.inet("t")); },
       [](Writer& w) {
         w.inet(Inet{{127, 0, 0, 1}, 9042});
       },
       "7f000001:9042"},
      {"[inet] IPv6", "10 20010db8000000000000000000000001 0000238c",
       [](Reader& r) { return show(r.inet("t")); }, [v6](Writer& w) { w.inet(v6); },
       "20010db8000000000000000000000001:9100"},
      // Not a v4 notation (v5 names it): the address part of [inet], without the port.
      {"[inetaddr]", "04 0a000001", [](Reader& r) { return show(r.inetaddr("t")); },
       [](Writer& w) {
         w.inetaddr(Inet{{10, 0, 0, 1}, 0});
       },
       "0a000001:0"},
      {"[consistency] LOCAL_ONE", "000a",
       [](Reader& r) { return std::string(to_string(r.consistency("t"))); },
       [](Writer& w) { w.consistency(Consistency::local_one); }, "LOCAL_ONE"},
      {"[string map]", "0002 0001 61 0001 62 0001 63 0000",
       [](Reader& r) {
         std::string s;
         for (const auto& [k, v] : r.string_map("t"))
           s += k + "=" + v + ";";
         return s;
       },
       [](Writer& w) {
         w.string_map({{"a", "b"}, {"c", ""}});
       },
       "a=b;c=;"},
      {"[string multimap]", "0002 0001 6b 0002 0001 61 0001 62 0001 6c 0000",
       [](Reader& r) {
         std::string s;
         for (const auto& [k, v] : r.string_multimap("t"))
           s += k + "=" + show(v) + ";";
         return s;
       },
       [](Writer& w) {
         w.string_multimap({{"k", {"a", "b"}}, {"l", {}}});
       },
       "k=[a][b];l=;"},
      {"[bytes map]", "0002 0001 61 ffffffff 0001 62 00000001 01",
       [](Reader& r) {
         std::string s;
         for (const auto& [k, v] : r.bytes_map("t"))
           s += k + "=" + (v ? show(BytesView(*v)) : std::string("null")) + ";";
         return s;
       },
       [](Writer& w) {
         w.bytes_map({{"a", std::nullopt}, {"b", Bytes{1}}});
       },
       "a=null;b=0x01;"},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notations)

BOOST_AUTO_TEST_CASE(byte_exact_both_ways_and_every_truncation_fails) {
  for (const Case& c : cases()) {
    BOOST_TEST_CONTEXT("3 " << c.name) {
      const Bytes bytes = from_hex(c.hex);
      Heap heap(bytes);
      Reader r(heap.view());
      BOOST_TEST(c.read(r) == c.text);
      BOOST_TEST(r.status().message == "");
      BOOST_TEST(r.at_end());

      Bytes out{0xee};  // writers append
      Writer w(out);
      c.write(w);
      BOOST_TEST(w.ok());
      BOOST_TEST(to_hex(BytesView(out).subspan(1)) == to_hex(bytes));

      for (std::size_t n = 0; n < bytes.size(); ++n) {
        BOOST_TEST_CONTEXT("truncated to " << n << " bytes") {
          Heap cut(BytesView(bytes).first(n));
          Reader t(cut.view());
          (void)c.read(t);
          // A count the rest cannot hold is caught as such, before any allocation.
          BOOST_TEST((t.status().code == make_error_code(errc::incomplete) ||
                      t.status().code == make_error_code(errc::invalid_length)));
          BOOST_TEST(t.status().message.find("reading t at offset ") != std::string::npos,
                     t.status().message);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(every_consistency_level) {
  const char* names[] = {"ANY",          "ONE",         "TWO",    "THREE",        "QUORUM",   "ALL",
                         "LOCAL_QUORUM", "EACH_QUORUM", "SERIAL", "LOCAL_SERIAL", "LOCAL_ONE"};
  for (std::uint16_t v = 0; v <= 0x000a; ++v) {
    BOOST_TEST_CONTEXT("3 [consistency] " << names[v]) {
      const Bytes bytes{0x00, static_cast<std::uint8_t>(v)};
      Reader r(bytes);
      const Consistency c = r.consistency("t");
      BOOST_TEST(r.ok());
      BOOST_TEST(to_string(c) == names[v]);
      BOOST_TEST((consistency_from_string(names[v]) == c));
      Bytes out;
      Writer w(out);
      w.consistency(c);
      BOOST_TEST(to_hex(out) == to_hex(bytes));
    }
  }
  BOOST_TEST((consistency_from_string("local_quorum") == Consistency::local_quorum));
  BOOST_TEST(!consistency_from_string("QUORUMS").has_value());
  BOOST_TEST(!consistency_from_string("").has_value());
}

BOOST_AUTO_TEST_CASE(malformed) {
  struct Bad {
    std::string name;
    std::string hex;
    std::function<void(Reader&)> read;
    std::string message;  // exactly: the error, what was read and the offset reached
  };
  const Bad bads[] = {
      {"[long string] negative length", "ffffffff", [](Reader& r) { r.long_string("query"); },
       "invalid length reading query at offset 4"},
      {"[long string] length past the body", "7fffffff 61",
       [](Reader& r) { r.long_string("query"); }, "incomplete message reading query at offset 4"},
      {"[string] length past the body", "ffff 61", [](Reader& r) { r.string("name"); },
       "incomplete message reading name at offset 2"},
      {"[bytes] length past the body", "00000005 abcd", [](Reader& r) { r.bytes("token"); },
       "incomplete message reading token at offset 4"},
      {"[value] length below -2", "fffffffd", [](Reader& r) { r.value("value"); },
       "invalid length reading value at offset 4"},
      {"[value] hostile length", "7fffffff", [](Reader& r) { r.value("value"); },
       "incomplete message reading value at offset 4"},
      {"[short bytes] length past the body", "0010 ab", [](Reader& r) { r.short_bytes("id"); },
       "incomplete message reading id at offset 2"},
      {"[uuid] of 15 bytes", "000102030405060708090a0b0c0d0e", [](Reader& r) { r.uuid("id"); },
       "incomplete message reading id at offset 0"},
      {"[string list] count larger than the body", "0003 0000 0000",
       [](Reader& r) { r.string_list("list"); }, "invalid length reading list at offset 2"},
      {"[string map] hostile count", "ffff", [](Reader& r) { r.string_map("map"); },
       "invalid length reading map at offset 2"},
      {"[string multimap] count larger than the body", "0002 0001 61 0000",
       [](Reader& r) { r.string_multimap("mm"); }, "invalid length reading mm at offset 2"},
      {"[bytes map] count larger than the body", "0001 0001 61",
       [](Reader& r) { r.bytes_map("payload"); }, "invalid length reading payload at offset 2"},
      {"[bytes map] value past the body", "0001 0001 61 00000009 01",
       [](Reader& r) { r.bytes_map("payload"); }, "incomplete message reading payload at offset 9"},
      {"[inet] address of 5 bytes", "05 0102030405 00000000", [](Reader& r) { r.inet("node"); },
       "invalid value reading node at offset 1"},
      {"[inet] address of 0 bytes", "00 00000000", [](Reader& r) { r.inet("node"); },
       "invalid value reading node at offset 1"},
      {"[inet] without its port", "04 7f000001 0000", [](Reader& r) { r.inet("node"); },
       "incomplete message reading node at offset 5"},
      {"[consistency] 0x000B", "000b", [](Reader& r) { r.consistency("cl"); },
       "invalid value reading cl at offset 2"},
      {"[consistency] 0xFFFF", "ffff", [](Reader& r) { r.consistency("cl"); },
       "invalid value reading cl at offset 2"},
  };
  for (const Bad& b : bads) {
    BOOST_TEST_CONTEXT("3 " << b.name) {
      Heap heap(from_hex(b.hex));
      Reader r(heap.view());
      b.read(r);
      BOOST_TEST(r.status().message == b.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(any_negative_bytes_length_is_null) {
  // Section 3: "[bytes] ... If n < 0, no byte should follow and the value represented is null".
  const Bytes b = from_hex("80000000 fffffff0");
  Reader r(b);
  BOOST_TEST(!r.bytes("a").has_value());
  BOOST_TEST(!r.bytes("b").has_value());
  BOOST_TEST(r.ok());
  BOOST_TEST(r.at_end());
}

BOOST_AUTO_TEST_CASE(reader_keeps_the_first_error_and_reads_nothing_after) {
  const Bytes b = from_hex("0001 02");
  Reader r(b, 9);  // a body after the 9-byte header: offsets count from the frame's start
  BOOST_TEST(r.i32("first") == 0);
  BOOST_TEST(r.status().message == "incomplete message reading first at offset 9");
  BOOST_TEST(r.u8("second") == 0);
  BOOST_TEST(r.string("third").empty());
  BOOST_TEST(r.string_list("fourth").empty());
  BOOST_TEST(r.status().message == "incomplete message reading first at offset 9");
  BOOST_TEST(r.remaining() == 0u);

  Reader e(b);
  e.u16("a");
  e.expect_end("body");
  BOOST_TEST(e.status().code == make_error_code(errc::extra_bytes));
  BOOST_TEST(e.status().message == "extra bytes after message reading body at offset 2");

  Reader c(b);
  BOOST_TEST(c.check_count(1, 3, "n"));
  BOOST_TEST(!c.check_count(2, 2, "n"));  // 4 bytes for 3 left
  BOOST_TEST(c.status().code == make_error_code(errc::invalid_length));
  Reader neg(b);
  BOOST_TEST(!neg.check_count(-1, 0, "n"));
}

BOOST_AUTO_TEST_CASE(writer_limits) {
  Bytes out;
  {
    Writer w(out);
    w.string(std::string(65535, 'x'));  // the largest [string]
    BOOST_TEST(w.ok());
    BOOST_TEST(out.size() == 65537u);
  }
  struct Limit {
    std::string name;
    std::function<void(Writer&)> write;
    errc expected;
  };
  const std::string big(65536, 'x');
  const Limit limits[] = {
      {"[string] of 65536 bytes", [&](Writer& w) { w.string(big); }, errc::invalid_length},
      {"[short bytes] of 65536 bytes",
       [&](Writer& w) {
         w.short_bytes(BytesView(reinterpret_cast<const std::uint8_t*>(big.data()), big.size()));
       },
       errc::invalid_length},
      {"[string list] of 65536 strings",
       [](Writer& w) { w.string_list(std::vector<std::string>(65536)); }, errc::invalid_length},
      {"[inet] of 5 bytes",
       [](Writer& w) {
         w.inet(Inet{{1, 2, 3, 4, 5}, 1});
       },
       errc::invalid_value},
      {"[inet] of 0 bytes", [](Writer& w) { w.inet(Inet{}); }, errc::invalid_value},
  };
  for (const Limit& l : limits) {
    BOOST_TEST_CONTEXT("3 " << l.name) {
      out.clear();
      Writer w(out);
      l.write(w);
      BOOST_TEST(w.status().code == make_error_code(l.expected));
      BOOST_TEST(!w.status().message.empty());
      BOOST_TEST(out.empty());  // nothing half-written before the check
    }
  }

  out.clear();
  Writer w(out, 6);  // a maximum size, as frames have
  w.i32(1);
  w.i32(2);
  BOOST_TEST(w.status().code == make_error_code(errc::frame_too_large));
  BOOST_TEST(out.size() == 4u);
  w.u8(3);  // the first error stays, and nothing more is written
  BOOST_TEST(out.size() == 4u);
  BOOST_TEST(w.status().code == make_error_code(errc::frame_too_large));
}

BOOST_AUTO_TEST_CASE(reserved_length_is_patched) {
  Bytes out;
  Writer w(out);
  const std::size_t at = w.reserve_i32();
  w.raw(view("abc"));
  w.patch_i32(at, static_cast<std::int32_t>(out.size() - at - 4));
  BOOST_TEST(to_hex(out) == "00000003616263");
}

BOOST_AUTO_TEST_CASE(value_equality) {
  constexpr std::uint8_t kA[] = {1}, kB[] = {1};
  BOOST_TEST((Value::of(kA) == Value::of(kB)));  // by content, not address
  BOOST_TEST(!(Value::of(kA) == Value::null()));
  BOOST_TEST(!(Value::null() == Value::not_set()));
  BOOST_TEST((Value::of({}) == Value::of({})));
  BOOST_TEST(!(Value::of({}) == Value::null()));
}

BOOST_AUTO_TEST_SUITE_END()
