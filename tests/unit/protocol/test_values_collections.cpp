// Collections, tuples and UDTs: native_protocol_v4.spec 6.11 list, 6.12 map, 6.13 set,
// 6.20 tuple and section 7 (user defined types), byte-exact.
#include "values_fixtures.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

using namespace nosqlc::protocol;
using namespace values_fixtures;
namespace json = boost::json;

namespace {

const DataType kInt = DataType::of(TypeId::int_);
const DataType kText = DataType::of(TypeId::varchar);

struct Fixture {
  std::string_view name;
  DataType type;
  std::string_view hex;
  std::string_view json;  // what decode_to_json gives
};

std::vector<Fixture> fixtures() {
  return {
      // 6.11 list: [int] n, then n elements each as [bytes].
      {"6.11 list<int> [1, 2]", DataType::list_of(kInt),
       "00000002 00000004 00000001 00000004 00000002", "[1,2]"},
      {"6.11 list<int> []", DataType::list_of(kInt), "00000000", "[]"},
      // 6.13 set: same layout as a list.
      {"6.13 set<text> {a, bc}", DataType::set_of(kText), "00000002 00000001 61 00000002 6263",
       R"(["a","bc"])"},
      // 6.12 map: [int] n, then n key/value pairs of [bytes].
      {"6.12 map<text, int> {a: 1}", DataType::map_of(kText, kInt),
       "00000001 00000001 61 00000004 00000001", R"({"a":1})"},
      {"6.12 map<int, text> {7: x}", DataType::map_of(kInt, kText),
       "00000001 00000004 00000007 00000001 78", R"([[7,"x"]])"},
      // 6.20 tuple: one [bytes] per component, null as length -1.
      {"6.20 tuple<int, text> (1, null)", DataType::tuple_of({kInt, kText}),
       "00000004 00000001 ffffffff", R"([1,null])"},
      // 7: one [bytes] per field in order.
      {"7 udt {a: 1, b: 'x'}", udt("t", {{"a", kInt}, {"b", kText}}),
       "00000004 00000001 00000001 78", R"({"a":1,"b":"x"})"},
      {"6.11 list<list<int>> [[1], []]", DataType::list_of(DataType::list_of(kInt)),
       "00000002 0000000c 00000001 00000004 00000001 00000004 00000000", "[[1],[]]"},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(values_collections)

BOOST_AUTO_TEST_CASE(typed_decoders_byte_exact) {
  // 6.11 list<int> [1, 2]
  Bytes list = hex("00000002 00000004 00000001 00000004 00000002");
  std::vector<BytesView> elements;
  Heap list_heap(list);
  BOOST_TEST_REQUIRE(decode_collection(list_heap, elements).ok());
  BOOST_TEST(elements.size() == 2u);
  BOOST_TEST(to_hex(elements[1]) == "00000002");
  Bytes out;
  Bytes one = hex("00000001"), two = hex("00000002");
  std::vector<BytesView> views{one, two};
  BOOST_TEST(encode_collection(views, out).ok());
  BOOST_TEST(to_hex(out) == to_hex(list));

  // 6.12 map<text, int> {a: 1}
  Bytes map = hex("00000001 00000001 61 00000004 00000001");
  std::vector<std::pair<BytesView, BytesView>> entries;
  Heap map_heap(map);
  BOOST_TEST_REQUIRE(decode_map(map_heap, entries).ok());
  BOOST_TEST(entries.size() == 1u);
  BOOST_TEST(to_hex(entries[0].first) == "61");
  BOOST_TEST(to_hex(entries[0].second) == "00000001");
  Bytes a = hex("61");
  std::vector<std::pair<BytesView, BytesView>> pairs{{a, one}};
  out.clear();
  BOOST_TEST(encode_map(pairs, out).ok());
  BOOST_TEST(to_hex(out) == to_hex(map));

  // 6.20 tuple<int, text> (1, null)
  Bytes tuple = hex("00000004 00000001 ffffffff");
  std::vector<std::optional<BytesView>> parts;
  Heap tuple_heap(tuple);
  BOOST_TEST_REQUIRE(decode_tuple(tuple_heap, 2, parts).ok());
  BOOST_TEST(parts.size() == 2u);
  BOOST_TEST((parts[0] && to_hex(*parts[0]) == "00000001"));
  BOOST_TEST(!parts[1]);
  out.clear();
  std::vector<std::optional<BytesView>> comps{BytesView(one), std::nullopt};
  BOOST_TEST(encode_tuple(comps, out).ok());
  BOOST_TEST(to_hex(out) == to_hex(tuple));
  // A tuple missing its last component reads it as null, as Cassandra 4's TupleType.split
  // does (db/marshal/TupleType.java); a component cut short is incomplete.
  Heap short_tuple(hex("00000004 00000001"));
  BOOST_TEST_REQUIRE(decode_tuple(short_tuple, 2, parts).ok());
  BOOST_TEST((parts.size() == 2u && parts[0] && !parts[1]));
  BOOST_TEST(decode_tuple(Heap(hex("00000004 00000001 0000")).view(), 2, parts).code ==
             ec(errc::incomplete));
  BOOST_TEST(decode_tuple(Heap(hex("00000004 00000001 00000004 00")).view(), 2, parts).code ==
             ec(errc::incomplete));
  // Section 7 lets a UDT value stop early too: the missing fields are null.
  Heap udt_heap(hex("00000004 00000001"));
  BOOST_TEST_REQUIRE(decode_udt(udt_heap, 3, parts).ok());
  BOOST_TEST(parts.size() == 3u);
  BOOST_TEST((parts[0] && !parts[1] && !parts[2]));
  BOOST_TEST_REQUIRE(decode_udt(Heap(Bytes{}).view(), 2, parts).ok());
  BOOST_TEST((parts.size() == 2u && !parts[0] && !parts[1]));
  BOOST_TEST(decode_udt(Heap(hex("00000000 00000000")).view(), 1, parts).code ==
             ec(errc::extra_bytes));
}

BOOST_AUTO_TEST_CASE(json_fixtures) {
  for (const Fixture& f : fixtures()) {
    BOOST_TEST_CONTEXT(f.name) {
      Bytes b = hex(f.hex);
      json::value v;
      Status s = decode_to_json(f.type, Heap(b).view(), v);
      BOOST_TEST_REQUIRE(s.ok(), s.message);
      BOOST_TEST(json::serialize(v) == f.json);
      Bytes out;
      s = encode_from_json(f.type, json::parse(f.json), out);
      BOOST_TEST(s.ok(), s.message);
      BOOST_TEST(to_hex(out) == to_hex(b));
      write_value_seed(f.name, f.type, b);
    }
  }
}

BOOST_AUTO_TEST_CASE(truncated_at_every_offset_and_one_byte_long) {
  for (const Fixture& f : fixtures()) {
    Bytes b = hex(f.hex);
    for (std::size_t cut = 0; cut < b.size(); ++cut) {
      BOOST_TEST_CONTEXT(f.name << " cut at " << cut) {
        json::value v;
        Status s = decode_to_json(f.type, Heap(BytesView(b).first(cut)).view(), v);
        if (cut == 0) {
          BOOST_TEST(s.ok());  // empty: Cassandra's legacy empty value, or no UDT fields
        } else if ((f.type.id == TypeId::udt || f.type.id == TypeId::tuple) && cut == 8) {
          BOOST_TEST(s.ok());  // a UDT or a tuple may stop after any whole component
        } else {
          // Inside the count or an element: incomplete; a count the rest cannot hold:
          // invalid_length, caught before anything is allocated.
          BOOST_TEST((s.code == ec(errc::incomplete) || s.code == ec(errc::invalid_length)),
                     s.message);
        }
      }
    }
    BOOST_TEST_CONTEXT(f.name << " one byte long") {
      Bytes longer = b;
      longer.push_back(0);
      json::value v;
      BOOST_TEST(decode_to_json(f.type, Heap(longer).view(), v).code == ec(errc::extra_bytes));
    }
  }
}

BOOST_AUTO_TEST_CASE(malformed_collections) {
  struct Case {
    std::string_view name;
    DataType type;
    std::string_view hex;
    errc expected;
  };
  const DataType list_int = DataType::list_of(kInt);
  const Case cases[] = {
      {"6.11 negative count", list_int, "ffffffff", errc::invalid_length},
      {"6.11 count larger than the body", list_int, "00000004 00000004 00000001 00000000",
       errc::invalid_length},
      {"6.11 hostile count", list_int, "7fffffff", errc::invalid_length},
      {"6.11 element longer than the body", list_int, "00000001 00000008 00000001",
       errc::incomplete},
      {"6.11 null element", list_int, "00000001 ffffffff", errc::invalid_value},
      {"6.11 element of the wrong size", list_int, "00000001 00000003 000001", errc::incomplete},
      {"6.12 negative count", DataType::map_of(kInt, kInt), "80000000", errc::invalid_length},
      {"6.12 count larger than the body", DataType::map_of(kInt, kInt),
       "00000003 00000004 00000001 00000004 00000001 00000000", errc::invalid_length},
      {"6.12 null key", DataType::map_of(kInt, kInt), "00000001 ffffffff 00000004 00000001",
       errc::invalid_value},
      {"6.12 null value", DataType::map_of(kInt, kInt), "00000001 00000004 00000001 ffffffff",
       errc::invalid_value},
      {"6.13 set element invalid UTF-8", DataType::set_of(kText), "00000001 00000001 ff",
       errc::invalid_value},
      {"6.20 tuple with an extra component", DataType::tuple_of({kInt}),
       "00000004 00000001 ffffffff", errc::extra_bytes},
      {"7 udt with more fields than its type", udt("t", {{"a", kInt}}),
       "00000004 00000001 ffffffff", errc::extra_bytes},
      {"7 udt field of the wrong size", udt("t", {{"a", kInt}}), "00000002 0001", errc::incomplete},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      json::value v;
      Status s = decode_to_json(c.type, Heap(hex(c.hex)).view(), v);
      BOOST_TEST(s.code == ec(c.expected), s.message);
      write_value_seed(c.name, c.type, hex(c.hex));
    }
  }
  std::vector<BytesView> elements;
  BOOST_TEST(decode_collection(Heap(hex("fffffffe")).view(), elements).code ==
             ec(errc::invalid_length));
  BOOST_TEST(decode_collection(Heap(hex("000000")).view(), elements).code == ec(errc::incomplete));
  BOOST_TEST(decode_collection(Heap(hex("00000001 ffffffff")).view(), elements).code ==
             ec(errc::invalid_value));
  std::vector<std::pair<BytesView, BytesView>> entries;
  BOOST_TEST(decode_map(Heap(hex("00000001 00000000")).view(), entries).code ==
             ec(errc::invalid_length));
}

BOOST_AUTO_TEST_CASE(error_messages_name_the_element) {
  json::value v;
  Status s = decode_to_json(DataType::list_of(kText),
                            Heap(hex("00000002 00000001 61 00000001 ff")).view(), v);
  BOOST_TEST(s.code == ec(errc::invalid_value));
  BOOST_TEST(s.message == "invalid value for text: not valid UTF-8 (element 1 of list<text>)");
}

BOOST_AUTO_TEST_CASE(nesting_bound) {
  // list<list<...<int>>> with `levels` lists, holding one element at each level.
  auto nested = [](int levels) {
    DataType t = kInt;
    Bytes v = hex("00000007");
    for (int i = 0; i < levels; ++i) {
      t = DataType::list_of(std::move(t));
      Bytes outer = hex("00000001");
      encode_int(static_cast<std::int32_t>(v.size()), outer);
      outer.insert(outer.end(), v.begin(), v.end());
      v = std::move(outer);
    }
    return std::pair{t, v};
  };
  {
    auto [t, v] = nested(kMaxTypeDepth);
    json::value j;
    Status s = decode_to_json(t, Heap(v).view(), j);
    BOOST_TEST_REQUIRE(s.ok(), s.message);
    Bytes out;
    BOOST_TEST(encode_from_json(t, j, out).ok());
    BOOST_TEST(to_hex(out) == to_hex(v));
  }
  {
    auto [t, v] = nested(kMaxTypeDepth + 1);
    json::value j;
    BOOST_TEST(decode_to_json(t, Heap(v).view(), j).code == ec(errc::nesting_too_deep));
    json::value deep = 7;
    for (int i = 0; i <= kMaxTypeDepth; ++i)
      deep = json::array{deep};
    Bytes out;
    BOOST_TEST(encode_from_json(t, deep, out).code == ec(errc::nesting_too_deep));
  }
}

BOOST_AUTO_TEST_CASE(malformed_type_descriptions) {
  DataType bad_list = DataType::of(TypeId::list);  // no element type
  DataType bad_udt = udt("t", {{"a", kInt}});
  bad_udt.field_names.push_back("b");  // names and types out of step
  // JSON object keys are unique, so a UDT repeating a field name has no exact JSON form.
  DataType twice = udt("t", {{"a", kInt}, {"a", kInt}});
  for (const DataType& t : {bad_list, bad_udt, twice}) {
    BOOST_TEST_CONTEXT(to_cql(t)) {
      json::value v;
      Status s = decode_to_json(t, Heap(hex("00000000")).view(), v);
      BOOST_TEST(s.code == ec(errc::invalid_value), s.message);
      Bytes out;
      json::value empty = t.id == TypeId::udt ? json::value(json::object{}) : json::array{};
      s = encode_from_json(t, empty, out);
      BOOST_TEST(s.code == ec(errc::invalid_value), s.message);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
