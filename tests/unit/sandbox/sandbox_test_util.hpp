// Helpers shared by the sandbox unit tests.
#pragma once

#include "cql/parser.hpp"
#include "nosqlc/sandbox/store.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace sandbox_test {

namespace cql = nosqlc::sandbox::cql;
using nosqlc::protocol::Bytes;

// Parses `q`, failing the test (with the parser's message) if it does not parse.
inline cql::ParsedStatement parse_ok(std::string_view q) {
  auto r = cql::parse(q);
  BOOST_REQUIRE_MESSAGE(r.has_value(),
                        "parse failed: " << q << " -> " << (r ? "" : r.error().message()));
  return std::move(*r);
}

// The statement of `q` as a T (failing the test if it is another statement).
template <class T>
T parse_as(std::string_view q) {
  auto p = parse_ok(q);
  BOOST_REQUIRE_MESSAGE(std::holds_alternative<T>(p.statement), "wrong statement kind: " << q);
  return std::get<T>(std::move(p.statement));
}

// The error message of `q`, failing the test if it parses.
inline std::string parse_error(std::string_view q) {
  auto r = cql::parse(q);
  BOOST_REQUIRE_MESSAGE(!r.has_value(), "unexpectedly parsed: " << q);
  return r.error().message();
}

inline cql::Constant constant(const cql::Term& t) {
  BOOST_REQUIRE(std::holds_alternative<cql::Constant>(t.value));
  return std::get<cql::Constant>(t.value);
}

inline Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

inline Bytes int_bytes(std::int32_t v) {
  auto u = static_cast<std::uint32_t>(v);
  return Bytes{static_cast<std::uint8_t>(u >> 24), static_cast<std::uint8_t>(u >> 16),
               static_cast<std::uint8_t>(u >> 8), static_cast<std::uint8_t>(u)};
}

}  // namespace sandbox_test
