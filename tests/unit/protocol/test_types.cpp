// Type descriptions: the [option] ids of native_protocol_v4.spec section 4.2.5.2 for every
// native type, collections, UDTs, tuples and custom types, byte-exact both ways; truncations,
// hostile counts, unknown ids and nesting; and the CQL spelling of types.
#include "hex.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace nosqlc::protocol;
using namespace nosqlc::protocol::test;

namespace {

struct Case {
  std::string name;
  DataType type;
  std::string hex;  // the [option], from section 4.2.5.2
  std::string cql;  // to_cql
};

DataType of(TypeId id) {
  return DataType::of(id);
}

DataType address_udt() {
  DataType t = of(TypeId::udt);
  t.udt_keyspace = "ks";
  t.udt_name = "addr";
  t.field_names = {"street", "zip"};
  t.params = {of(TypeId::varchar), of(TypeId::int_)};
  return t;
}

DataType custom(std::string cls) {
  DataType t = of(TypeId::custom);
  t.custom_class = std::move(cls);
  return t;
}

std::vector<Case> cases() {
  return {
      // Every native id listed in section 4.2.5.2; an [option] of a native type has no value.
      {"0x0001 Ascii", of(TypeId::ascii), "0001", "ascii"},
      {"0x0002 Bigint", of(TypeId::bigint), "0002", "bigint"},
      {"0x0003 Blob", of(TypeId::blob), "0003", "blob"},
      {"0x0004 Boolean", of(TypeId::boolean), "0004", "boolean"},
      {"0x0005 Counter", of(TypeId::counter), "0005", "counter"},
      {"0x0006 Decimal", of(TypeId::decimal), "0006", "decimal"},
      {"0x0007 Double", of(TypeId::double_), "0007", "double"},
      {"0x0008 Float", of(TypeId::float_), "0008", "float"},
      {"0x0009 Int", of(TypeId::int_), "0009", "int"},
      {"0x000B Timestamp", of(TypeId::timestamp), "000b", "timestamp"},
      {"0x000C Uuid", of(TypeId::uuid), "000c", "uuid"},
      {"0x000D Varchar", of(TypeId::varchar), "000d", "text"},
      {"0x000E Varint", of(TypeId::varint), "000e", "varint"},
      {"0x000F Timeuuid", of(TypeId::timeuuid), "000f", "timeuuid"},
      {"0x0010 Inet", of(TypeId::inet), "0010", "inet"},
      {"0x0011 Date", of(TypeId::date), "0011", "date"},
      {"0x0012 Time", of(TypeId::time), "0012", "time"},
      {"0x0013 Smallint", of(TypeId::smallint), "0013", "smallint"},
      {"0x0014 Tinyint", of(TypeId::tinyint), "0014", "tinyint"},
      // Listed in 4.2.5.2 of the v5 spec; Cassandra 4 sends it on v4 connections too.
      {"0x0015 Duration", of(TypeId::duration), "0015", "duration"},
      // 0x0000 Custom: the value is a [string], the class name.
      {"0x0000 Custom", custom("org.example.MyType"),
       "0000 0012 6f72672e6578616d706c652e4d7954797065", "'org.example.MyType'"},
      // 0x0020 List, 0x0022 Set: one [option]; 0x0021 Map: two.
      {"0x0020 List", DataType::list_of(of(TypeId::int_)), "0020 0009", "list<int>"},
      {"0x0021 Map", DataType::map_of(of(TypeId::varchar), of(TypeId::bigint)), "0021 000d 0002",
       "map<text, bigint>"},
      {"0x0022 Set", DataType::set_of(of(TypeId::uuid)), "0022 000c", "set<uuid>"},
      // 0x0030 UDT: <ks><udt_name><n><name_1><type_1>...
      {"0x0030 UDT", address_udt(),
       "0030 0002 6b73 0004 61646472 0002"  // ks.addr, 2 fields
       "0006 737472656574 000d"             // street text
       "0003 7a6970 0009",                  // zip int
       "ks.addr"},
      {"0x0030 UDT without fields",
       [] {
         DataType t = of(TypeId::udt);
         t.udt_keyspace = "ks";
         t.udt_name = "e";
         return t;
       }(),
       "0030 0002 6b73 0001 65 0000", "ks.e"},
      // 0x0031 Tuple: <n><type_1>...<type_n>
      {"0x0031 Tuple", DataType::tuple_of({of(TypeId::int_), of(TypeId::varchar)}),
       "0031 0002 0009 000d", "frozen<tuple<int, text>>"},
      {"nested list<map<text, frozen<tuple<ks.addr>>>>",
       DataType::list_of(
           DataType::map_of(of(TypeId::varchar), DataType::tuple_of({address_udt()}))),
       "0020 0021 000d 0031 0001"
       "0030 0002 6b73 0004 61646472 0002 0006 737472656574 000d 0003 7a6970 0009",
       "list<map<text, frozen<tuple<ks.addr>>>>"},
  };
}

DataType nested_lists(int levels) {
  DataType t = of(TypeId::int_);
  for (int i = 0; i < levels; ++i)
    t = DataType::list_of(std::move(t));
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(types)

BOOST_AUTO_TEST_CASE(option_ids_byte_exact_both_ways) {
  for (const Case& c : cases()) {
    BOOST_TEST_CONTEXT("4.2.5.2 " << c.name) {
      const Bytes bytes = from_hex(c.hex);
      const Bytes exact(bytes);
      Reader r(exact);
      const DataType t = read_type(r);
      BOOST_TEST(r.status().message == "");
      BOOST_TEST(r.at_end());
      BOOST_TEST((t == c.type));
      BOOST_TEST(to_cql(t) == c.cql);

      Bytes out;
      Writer w(out);
      write_type(w, c.type);
      BOOST_TEST(w.ok());
      BOOST_TEST(to_hex(out) == to_hex(bytes));

      for (std::size_t n = 0; n < bytes.size(); ++n) {
        BOOST_TEST_CONTEXT("truncated to " << n << " bytes") {
          const Bytes cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
          Reader t2(cut);
          (void)read_type(t2);
          BOOST_TEST((t2.status().code == make_error_code(errc::incomplete) ||
                      t2.status().code == make_error_code(errc::invalid_length)),
                     t2.status().message);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(unknown_ids_are_rejected) {
  // 0x000A was text before v3 and is not a v4 id; the others are gaps or past the table.
  for (const char* hex : {"000a", "0016", "001f", "0023", "002f", "0032", "00ff", "8000", "ffff",
                          "0020 000a", "0021 0009 0016", "0031 0001 0040"}) {
    BOOST_TEST_CONTEXT("4.2.5.2 [option] " << hex) {
      const Bytes b = from_hex(hex);
      Reader r(b);
      (void)read_type(r);
      BOOST_TEST(r.status().code == make_error_code(errc::unknown_type));
      BOOST_TEST(r.status().message.find("[option] type id") != std::string::npos,
                 r.status().message);
    }
  }
}

BOOST_AUTO_TEST_CASE(hostile_counts_and_nesting) {
  struct Bad {
    std::string name;
    std::string hex;
    errc expected;
    std::string message;
  };
  const Bad bads[] = {
      {"UDT field count larger than the body", "0030 0002 6b73 0001 65 ffff 0001 61 0009",
       errc::invalid_length, "invalid length reading udt field count at offset 11"},
      {"tuple arity larger than the body", "0031 7fff 0009", errc::invalid_length,
       "invalid length reading tuple arity at offset 4"},
      {"custom class name past the body", "0000 00ff 61", errc::incomplete,
       "incomplete message reading custom type class at offset 4"},
      {"map without its value type", "0021 000d", errc::incomplete,
       "incomplete message reading [option] type id at offset 4"},
  };
  for (const Bad& b : bads) {
    BOOST_TEST_CONTEXT("4.2.5.2 " << b.name) {
      const Bytes bytes = from_hex(b.hex);
      Reader r(bytes);
      (void)read_type(r);
      BOOST_TEST(r.status().code == make_error_code(b.expected));
      BOOST_TEST(r.status().message == b.message);
    }
  }

  // kMaxTypeDepth levels of list around an int decode; one more is refused.
  for (int levels : {kMaxTypeDepth, kMaxTypeDepth + 1}) {
    BOOST_TEST_CONTEXT(levels << " nested lists") {
      Bytes out;
      Writer w(out);
      write_type(w, nested_lists(levels));
      Reader r(out);
      const DataType t = read_type(r);
      if (levels <= kMaxTypeDepth) {
        BOOST_TEST(r.ok());
        BOOST_TEST((t == nested_lists(levels)));
      } else {
        BOOST_TEST(r.status().code == make_error_code(errc::nesting_too_deep));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(option_list) {
  // Section 3: "[option list] A [short] n, followed by n [option]".
  const Bytes bytes = from_hex("0003 0009 0020 000d 0000 0001 61");
  const std::vector<DataType> types = {of(TypeId::int_), DataType::list_of(of(TypeId::varchar)),
                                       custom("a")};
  Reader r(bytes);
  BOOST_TEST((read_type_list(r) == types));
  BOOST_TEST(r.ok());
  BOOST_TEST(r.at_end());
  Bytes out;
  Writer w(out);
  write_type_list(w, types);
  BOOST_TEST(to_hex(out) == to_hex(bytes));
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    BOOST_TEST_CONTEXT("truncated to " << n << " bytes") {
      const Bytes cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
      Reader t(cut);
      (void)read_type_list(t);
      BOOST_TEST(!t.ok());
    }
  }
  const Bytes hostile = from_hex("ffff 0009");
  Reader h(hostile);
  BOOST_TEST(read_type_list(h).empty());
  BOOST_TEST(h.status().message == "invalid length reading [option list] at offset 2");
}

BOOST_AUTO_TEST_CASE(writer_rejects_udt_names_out_of_step) {
  DataType t = address_udt();
  t.field_names.pop_back();
  Bytes out;
  Writer w(out);
  write_type(w, t);
  BOOST_TEST(w.status().code == make_error_code(errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(native_names_from_cql) {
  BOOST_TEST((native_type_from_cql("varchar") == TypeId::varchar));
  BOOST_TEST((native_type_from_cql("TEXT") == TypeId::varchar));
  BOOST_TEST((native_type_from_cql("Int") == TypeId::int_));
  BOOST_TEST((native_type_from_cql("duration") == TypeId::duration));
  BOOST_TEST(!native_type_from_cql("list").has_value());
  BOOST_TEST(!native_type_from_cql("frozen<int>").has_value());
  BOOST_TEST(!native_type_from_cql("").has_value());
  for (const Case& c : cases()) {
    if (c.hex.size() != 4) continue;  // the native ids
    BOOST_TEST_CONTEXT(c.cql) {
      BOOST_TEST((native_type_from_cql(c.cql) == c.type.id));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
