// A sandbox Executor over a fresh Store, with helpers that run CQL and read the answer back as
// JSON (cells decoded with the codec by their column types).
#pragma once

#include "nosqlc/protocol/value_forms.hpp"
#include "nosqlc/sandbox/cluster.hpp"
#include "nosqlc/sandbox/executor.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <string>
#include <vector>

namespace sandbox_test {

namespace pr = nosqlc::protocol;
namespace sb = nosqlc::sandbox;
namespace json = boost::json;

// A clock the test moves by hand (microseconds since the epoch).
inline std::atomic<std::int64_t>& test_now() {
  static std::atomic<std::int64_t> now{1'700'000'000'000'000};
  return now;
}

struct ExecutorFixture {
  sb::Store store{[] { return test_now().load(); }};
  sb::Cluster cluster{1, 9042};
  sb::Executor ex{store, cluster, 0};
  sb::ClientState state;

  // Runs `cql` with `values` (nullopt binds null) and `params` for the rest.
  sb::Reply q(const std::string& cql, const std::vector<std::optional<pr::Bytes>>& values = {},
              pr::QueryParameters params = {}) {
    keep_.push_back(values);
    params.values.clear();
    for (const auto& v : keep_.back())
      params.values.push_back(v ? pr::Value::of(*v) : pr::Value::null());
    return ex.query(cql, params, state);
  }

  // Runs `cql`, requiring success.
  sb::Reply ok(const std::string& cql, const std::vector<std::optional<pr::Bytes>>& values = {},
               pr::QueryParameters params = {}) {
    sb::Reply r = q(cql, values, std::move(params));
    BOOST_REQUIRE_MESSAGE(!std::holds_alternative<pr::ServerError>(r.message),
                          cql << " failed: " << error(r));
    return r;
  }

  // "Invalid: message" for an ERROR reply, "" otherwise.
  static std::string error(const sb::Reply& r) {
    const auto* e = std::get_if<pr::ServerError>(&r.message);
    if (!e) return "";
    return std::string(pr::to_string(e->code)) + ": " + e->message;
  }
  // The error of running `cql`, requiring one.
  std::string fails(const std::string& cql,
                    const std::vector<std::optional<pr::Bytes>>& values = {}) {
    sb::Reply r = q(cql, values);
    std::string e = error(r);
    BOOST_REQUIRE_MESSAGE(!e.empty(), cql << " unexpectedly succeeded");
    return e;
  }

  static const pr::RowsResult& rows_of(const sb::Reply& r) {
    const auto* result = std::get_if<pr::Result>(&r.message);
    BOOST_REQUIRE_MESSAGE(result, "not a RESULT: " << error(r));
    const auto* rows = std::get_if<pr::RowsResult>(result);
    BOOST_REQUIRE_MESSAGE(rows, "not a Rows result");
    return *rows;
  }

  // The rows as a JSON array of arrays, cells decoded by their column types.
  static json::array rows(const sb::Reply& r) {
    const auto& rs = rows_of(r);
    json::array out;
    for (auto row : rs.rows()) {
      json::array cells;
      std::size_t i = 0;
      for (auto cell : row) {
        json::value v;
        auto st = pr::decode_to_json(rs.metadata.columns.at(i++).type, cell, v);
        BOOST_REQUIRE_MESSAGE(st.ok(), st.message);
        cells.push_back(std::move(v));
      }
      out.push_back(std::move(cells));
    }
    return out;
  }
  static std::vector<std::string> column_names(const sb::Reply& r) {
    std::vector<std::string> out;
    for (const auto& c : rows_of(r).metadata.columns)
      out.push_back(c.name);
    return out;
  }
  json::array select(const std::string& cql) { return rows(ok(cql)); }

  static pr::Bytes text(std::string_view s) { return pr::Bytes(s.begin(), s.end()); }
  static pr::Bytes int_value(std::int32_t v) {
    pr::Bytes out;
    pr::encode_int(v, out);
    return out;
  }

 private:
  std::vector<std::vector<std::optional<pr::Bytes>>> keep_;
};

inline json::value parse_json(std::string_view s) {
  return json::parse(s);
}

}  // namespace sandbox_test
