// The CQL lexer: token kinds, case folding, escapes, literals, comments, positions.
#include "cql/lexer.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace cql = nosqlc::sandbox::cql;
using cql::TokenKind;

namespace {

// The visible tokens of `q` (hidden ones and the end dropped).
std::vector<cql::Token> visible(std::string_view q) {
  auto r = cql::lex(q);
  BOOST_REQUIRE_MESSAGE(r.has_value(), "lex failed: " << (r ? "" : r.error().message()));
  std::vector<cql::Token> out;
  for (auto& t : *r) {
    if (t.kind != TokenKind::hidden && t.kind != TokenKind::end) out.push_back(t);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sandbox_lexer)

BOOST_AUTO_TEST_CASE(identifiers_fold_unless_quoted) {
  auto t = visible(R"(SeLeCt "MyCol" "with ""quote""" col_1)");
  BOOST_REQUIRE_EQUAL(t.size(), 4u);
  BOOST_TEST((t[0].kind == TokenKind::identifier));
  BOOST_TEST(t[0].text == "select");
  BOOST_TEST((t[1].kind == TokenKind::quoted_identifier));
  BOOST_TEST(t[1].text == "MyCol");
  BOOST_TEST(t[2].text == "with \"quote\"");
  BOOST_TEST(t[3].text == "col_1");
}

BOOST_AUTO_TEST_CASE(durations_and_what_only_looks_like_them) {
  auto t = visible("1h30m -2MO3d 12 1e5 5ms 0000000d-0000-1000-8000-000000000000 3x");
  BOOST_REQUIRE_EQUAL(t.size(), 8u);
  BOOST_TEST((t[0].kind == TokenKind::duration));
  BOOST_TEST(t[0].text == "1h30m");
  BOOST_TEST((t[1].kind == TokenKind::duration));
  BOOST_TEST(t[1].text == "-2MO3d");
  BOOST_TEST((t[2].kind == TokenKind::integer));
  BOOST_TEST((t[3].kind == TokenKind::float_));
  BOOST_TEST((t[4].kind == TokenKind::duration));
  BOOST_TEST((t[5].kind == TokenKind::uuid));     // a uuid whose first group ends in 'd'
  BOOST_TEST((t[6].kind == TokenKind::integer));  // 3x: not a unit, so 3 then x
  BOOST_TEST((t[7].kind == TokenKind::identifier));
}

BOOST_AUTO_TEST_CASE(strings) {
  auto t = visible("'it''s' '' $$a 'raw' $$ 'ünï'");
  BOOST_REQUIRE_EQUAL(t.size(), 4u);
  BOOST_TEST(t[0].text == "it's");
  BOOST_TEST(t[1].text == "");
  BOOST_TEST(t[2].text == "a 'raw' ");
  BOOST_TEST(t[3].text == "ünï");
  for (const auto& tok : t)
    BOOST_TEST((tok.kind == TokenKind::string));
}

BOOST_AUTO_TEST_CASE(numbers_uuids_blobs) {
  struct Case {
    const char* input;
    TokenKind kind;
    const char* text;
  };
  const Case cases[] = {
      {"42", TokenKind::integer, "42"},
      {"-7", TokenKind::integer, "-7"},
      {"1.5", TokenKind::float_, "1.5"},
      {"-2.", TokenKind::float_, "-2."},
      {"3e10", TokenKind::float_, "3e10"},
      {"1.5E-3", TokenKind::float_, "1.5E-3"},
      {"0xCAFE", TokenKind::blob, "0xCAFE"},
      {"0x", TokenKind::blob, "0x"},
      {"550e8400-e29b-41d4-a716-446655440000", TokenKind::uuid,
       "550e8400-e29b-41d4-a716-446655440000"},
      {"ABCDEF00-e29b-41d4-a716-446655440000", TokenKind::uuid,
       "ABCDEF00-e29b-41d4-a716-446655440000"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.input) {
      auto t = visible(c.input);
      BOOST_REQUIRE_EQUAL(t.size(), 1u);
      BOOST_TEST((t[0].kind == c.kind));
      BOOST_TEST(t[0].text == c.text);
    }
  }
  // An identifier that merely starts like a uuid stays an identifier.
  auto t = visible("deadbeef");
  BOOST_REQUIRE_EQUAL(t.size(), 1u);
  BOOST_TEST((t[0].kind == TokenKind::identifier));
}

BOOST_AUTO_TEST_CASE(symbols_and_markers) {
  auto t = visible("a<=b >= c != d < e > f ? :name :\"Named\" {k: v}");
  std::vector<std::string> texts;
  for (auto& tok : t)
    texts.push_back(tok.text);
  std::vector<std::string> want = {"a", "<=", "b",    ">=",    "c", "!=", "d", "<", "e", ">",
                                   "f", "?",  "name", "Named", "{", "k",  ":", "v", "}"};
  BOOST_TEST(texts == want, boost::test_tools::per_element());
  BOOST_TEST((t[11].kind == TokenKind::bind_marker));
  BOOST_TEST((t[12].kind == TokenKind::named_marker));
  BOOST_TEST((t[13].kind == TokenKind::named_marker));
}

BOOST_AUTO_TEST_CASE(comments_are_hidden) {
  auto t = visible("a -- one\nb // two\nc /* three\nfour */ d");
  BOOST_REQUIRE_EQUAL(t.size(), 4u);
  BOOST_TEST(t[3].text == "d");
  BOOST_TEST(t[3].pos.line == 4);
  BOOST_TEST(t[3].pos.column == 8);
}

BOOST_AUTO_TEST_CASE(positions_count_code_points) {
  auto t = visible("'é' x\n  y");
  BOOST_REQUIRE_EQUAL(t.size(), 3u);
  BOOST_TEST(t[1].pos.line == 1);
  BOOST_TEST(t[1].pos.column == 4);
  BOOST_TEST(t[2].pos.line == 2);
  BOOST_TEST(t[2].pos.column == 2);
  auto all = cql::lex("ab");
  BOOST_REQUIRE(all.has_value());
  BOOST_TEST((all->back().kind == TokenKind::end));
  BOOST_TEST(all->back().pos.column == 2);
}

BOOST_AUTO_TEST_CASE(errors) {
  struct Case {
    const char* input;
    const char* message;
  };
  const Case cases[] = {
      {"SELECT 'abc", "line 1:11 mismatched character '<EOF>' expecting '''"},
      {"SELECT \"abc", "line 1:11 mismatched character '<EOF>' expecting '\"'"},
      {"a /* never closed", "line 1:17 mismatched character '<EOF>' expecting '*'"},
      {"SELECT @ FROM t", "line 1:7 no viable alternative at character '@'"},
      {"a\n  ! b", "line 2:2 no viable alternative at character '!'"},
      {"x ∑", "line 1:2 no viable alternative at character '∑'"},
      {"SELECT \"\" FROM t", "line 1:7 no viable alternative at input '\"\"'"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.input) {
      auto r = cql::lex(c.input);
      BOOST_REQUIRE(!r.has_value());
      BOOST_TEST(r.error().message() == c.message);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
