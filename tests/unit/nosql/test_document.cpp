// Documents: the depth limit every driver shares (checked without deep recursion), the JSON
// writer's number forms, and the bounded parser.
#include <nosqlc/nosql/async.hpp>
#include <nosqlc/nosql/client.hpp>
#include <nosqlc/nosql/document.hpp>
#include <nosqlc/nosql/driver_manager.hpp>
#include <nosqlc/nosql/errors.hpp>
#include <nosqlc/nosql/memory.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace json = boost::json;
using nosqlc::Document;
using nosqlc::errc;
using nosqlc::kMaxDocumentDepth;

namespace {

// {"a":{"a":...{"a":1}}} with `depth` objects, built without recursion. With a monotonic
// resource the nested values are freed all at once, not by a recursive destructor: a test
// may hold a document deeper than any stack could walk.
Document nested(std::size_t depth, json::storage_ptr sp = {}) {
  json::value inner(1, sp);
  for (std::size_t i = 1; i < depth; ++i) {
    json::object o(sp);
    o.emplace("a", std::move(inner));
    inner = std::move(o);
  }
  Document doc(sp);
  doc.emplace("a", std::move(inner));
  return doc;
}

// The same depth as JSON text, for Boost.JSON's parser.
std::string nested_text(std::size_t depth) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i)
    s += "{\"a\":";
  s += "1";
  s.append(depth, '}');
  return s;
}

errc kind_of_check(const Document& doc) {
  try {
    nosqlc::check_document(doc);
  } catch (const nosqlc::Error& e) {
    return e.kind();
  }
  return errc{};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(document)

BOOST_AUTO_TEST_CASE(depth_is_counted_as_the_parser_counts_it) {
  // The limit the writer checks is the limit the reader parses: exactly the same count.
  json::parse_options opt;
  opt.max_depth = kMaxDocumentDepth;
  std::error_code ec;
  (void)json::parse(nested_text(kMaxDocumentDepth), ec, {}, opt);
  BOOST_TEST(!ec);
  (void)json::parse(nested_text(kMaxDocumentDepth + 1), ec, {}, opt);
  BOOST_TEST(ec);
  BOOST_TEST(kind_of_check(nested(kMaxDocumentDepth)) == errc{});
  BOOST_TEST((kind_of_check(nested(kMaxDocumentDepth + 1)) == errc::invalid_argument));
  BOOST_TEST(nosqlc::parse_document_text(nested_text(kMaxDocumentDepth)).has_value());
  BOOST_TEST(!nosqlc::parse_document_text(nested_text(kMaxDocumentDepth + 1)).has_value());
  // Arrays count as objects do.
  json::value v = json::array{};
  for (std::size_t i = 2; i < kMaxDocumentDepth; ++i)
    v = json::array{std::move(v)};
  BOOST_TEST(kind_of_check(Document{{"a", v}}) == errc{});
  BOOST_TEST((kind_of_check(Document{{"a", json::array{v}}}) == errc::invalid_argument));
}

BOOST_AUTO_TEST_CASE(a_document_far_deeper_than_the_stack_is_refused_not_walked) {
  // 20,000 levels crashed the recursive check; a million would crash any unbounded walk.
  json::monotonic_resource arena;
  Document doc = nested(1'000'000, &arena);
  try {
    nosqlc::check_document(doc);
    BOOST_ERROR("no error for a document 1,000,000 levels deep");
  } catch (const nosqlc::Error& e) {
    BOOST_TEST((e.kind() == errc::invalid_argument));
    std::string what = e.what();
    BOOST_TEST(what.find("deeper than 512") != std::string::npos, what);
    BOOST_TEST(what.size() < 400u);  // the path is cut short
  }
  std::string out;
  BOOST_CHECK_THROW(nosqlc::append_json(out, doc), nosqlc::Error);
  BOOST_TEST(!nosqlc::non_finite_number(json::value(std::move(doc))).has_value());
}

BOOST_AUTO_TEST_CASE(storing_a_document_20000_levels_deep_is_an_error_not_a_crash) {
  // The probe of issue 12 item 1, through a driver's store, update and insert.
  json::monotonic_resource arena;
  auto outcome = [&](auto op) {
    return nosqlc::block_on(nosqlc::attempt([&]() -> asio::awaitable<void> {
      auto client = co_await nosqlc::DriverManager::get_client("nosqlc:memory:");
      auto& col = client->get_collection("deep");
      co_await op(col);
      co_await client->close();
    }()));
  };
  for (int which = 0; which < 3; ++which) {
    BOOST_TEST_CONTEXT("operation " << which) {
      auto r = outcome([&](nosqlc::Collection& col) -> asio::awaitable<void> {
        Document doc = nested(20'000, &arena);
        if (which == 0) co_await col.store("k", std::move(doc));
        if (which == 1) (void)co_await col.insert(std::move(doc));
        if (which == 2) {
          Document small{{"a", 1}};
          co_await col.store("k", small);
          co_await col.update("k", std::move(doc));
        }
      });
      BOOST_TEST((r.error == errc::invalid_argument), r.message);
      BOOST_TEST(r.message.find("deeper than 512") != std::string::npos, r.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(non_finite_numbers_are_named_by_path) {
  Document doc{{"a", Document{{"b", json::array{1, std::numeric_limits<double>::infinity()}}}}};
  try {
    nosqlc::check_document(doc);
    BOOST_ERROR("no error for infinity");
  } catch (const nosqlc::Error& e) {
    BOOST_TEST(std::string(e.what()).find("\"a.b[1]\"") != std::string::npos, e.what());
  }
  BOOST_TEST(*nosqlc::non_finite_number(json::value(doc)) == "a.b[1]");
}

BOOST_AUTO_TEST_CASE(numbers_are_written_as_people_write_them) {
  struct Case {
    double d;
    const char* text;
  };
  const Case cases[] = {
      {11.95, "11.95"},
      {0.1, "0.1"},
      {5.0, "5.0"},
      {-0.0, "-0.0"},
      {100.0, "100.0"},
      {1e20, "100000000000000000000.0"},
      {1e21, "1e+21"},
      {1.5e21, "1.5e+21"},
      {0.000001, "0.000001"},
      {1e-7, "1e-7"},
      {-2.5e-8, "-2.5e-8"},
      {123456.789, "123456.789"},
      {1.0 / 3, "0.3333333333333333"},
      {std::numeric_limits<double>::max(), "1.7976931348623157e+308"},
      {std::numeric_limits<double>::denorm_min(), "5e-324"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      BOOST_TEST(nosqlc::json_text(json::value(c.d)) == c.text);
      // Reads back as the same double, and as a double.
      json::value back = *nosqlc::parse_json_text(c.text);
      BOOST_TEST(back.is_double());
      BOOST_TEST(std::memcmp(&back.get_double(), &c.d, sizeof(double)) == 0);
    }
  }
  BOOST_TEST(nosqlc::json_text(json::value(-42)) == "-42");
  BOOST_TEST(nosqlc::json_text(json::value(std::uint64_t{18446744073709551615ULL})) ==
             "18446744073709551615");
  BOOST_CHECK_THROW(nosqlc::json_text(json::value(std::nan(""))), nosqlc::Error);
}

BOOST_AUTO_TEST_CASE(every_double_round_trips) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    std::uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (!std::isfinite(d)) continue;
    std::string text = nosqlc::json_text(json::value(d));
    auto back = nosqlc::parse_json_text(text);
    BOOST_REQUIRE_MESSAGE(back && back->is_double(), text);
    BOOST_REQUIRE_MESSAGE(back->get_double() == d, text);
  }
}

// Boost.JSON 1.81's own parser reads this text one unit in the last place off; ours does not,
// so a stored double reads back as itself.
BOOST_AUTO_TEST_CASE(the_parser_reads_numbers_exactly) {
  const char* text = "9.967448324391879e-241";
  double exact = 0;
  std::from_chars(text, text + std::strlen(text), exact);
  BOOST_TEST(nosqlc::parse_json_text(text)->get_double() == exact);
  auto doc = nosqlc::parse_document_text(std::string("{\"d\":") + text + ",\"n\":[1,-2,3.5]}");
  BOOST_REQUIRE(doc.has_value());
  BOOST_TEST(doc->at("d").get_double() == exact);
  BOOST_TEST(doc->at("n").as_array()[1].as_int64() == -2);
  nosqlc::JsonError error;
  BOOST_TEST(!nosqlc::parse_json_text("{\"a\": tru}", &error).has_value());
  BOOST_TEST(error.offset == 6u);
  BOOST_TEST(!nosqlc::parse_json_text("[1] 2", &error).has_value());
  BOOST_TEST(!nosqlc::parse_document_text("[1]").has_value());
}

BOOST_AUTO_TEST_CASE(strings_and_structure_match_boost_json) {
  // Everything but doubles is written exactly as Boost.JSON's serializer writes it.
  std::string control;
  for (int c = 0; c < 0x20; ++c)
    control += static_cast<char>(c);
  json::value v = json::parse(R"({"s":"quote \" back \\ slash / é €","n":null,"t":true,
    "f":false,"a":[1,-2,{"x":[]},{}],"o":{"k":"v"},"big":9223372036854775807})");
  v.as_object()["ctl"] = control;
  v.as_object()["del"] = "\x7f";
  BOOST_TEST(nosqlc::json_text(v) == json::serialize(v));
  BOOST_TEST(nosqlc::json_text(Document{}) == "{}");
}

// Strings are written eight characters at a time between escapes: random strings with quotes,
// backslashes and control characters at every offset read back exactly, escaped as a
// character-by-character writer would.
BOOST_AUTO_TEST_CASE(every_string_escapes_and_reads_back) {
  auto reference = [](const std::string& s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\b') {
        out += "\\b";
      } else if (c == '\f') {
        out += "\\f";
      } else if (c < 0x20) {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  };
  const std::vector<std::string> pieces = {"a",    "b",    "X",    " ",        "0",
                                           "~",    "\"",   "\\",   "\n",       "\t",
                                           "\x01", "\x1f", "\x7f", "\xc3\xa9", "abcdefgh"};
  std::mt19937 rng(777);
  for (int round = 0; round < 5000; ++round) {
    std::string s;
    const std::size_t len = rng() % 24;
    for (std::size_t k = 0; k < len; ++k)
      s += pieces[rng() % pieces.size()];
    Document doc{{"s", s}};
    const std::string text = nosqlc::json_text(doc);
    BOOST_TEST_CONTEXT("round " << round) {
      BOOST_TEST(text == "{\"s\":" + reference(s) + "}");
      auto back = nosqlc::parse_document_text(text);
      BOOST_TEST_REQUIRE(back.has_value());
      BOOST_TEST(std::string(back->at("s").as_string()) == s);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
