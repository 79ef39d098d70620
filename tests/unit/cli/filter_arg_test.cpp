// The FILTER operand: short form grammar, value typing, escaping, errors, JSON passthrough.
#include <nosqlc/cli/filter_arg.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

using nosqlc::cli::parse_filter;
using nosqlc::cli::SyntaxError;

namespace {

boost::json::value ast_json(std::string_view filter) {
  return parse_filter(filter).to_json();
}

std::string cond(const std::string& field, const std::string& op, const std::string& value) {
  return R"({"type":"condition","field":)" + boost::json::serialize(boost::json::value(field)) +
         R"(,"op":")" + op + R"(","value":)" + value + "}";
}

// The parsed filter equals the expected JSON AST.
void check(std::string_view filter, const std::string& expected) {
  BOOST_TEST_CONTEXT("filter " << filter) {
    BOOST_TEST(boost::json::serialize(ast_json(filter)) ==
               boost::json::serialize(boost::json::parse(expected)));
  }
}

// Parsing fails at `column` with a message containing `part`.
void check_error(std::string_view filter, std::size_t column, const std::string& part) {
  BOOST_TEST_CONTEXT("filter " << filter) {
    try {
      parse_filter(filter);
      BOOST_FAIL("no error");
    } catch (const SyntaxError& e) {
      BOOST_TEST(e.column() == column);
      std::string what = e.what();
      BOOST_TEST(what.find("column " + std::to_string(column)) != std::string::npos, what);
      BOOST_TEST(what.find(part) != std::string::npos, what);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_filter_arg)

BOOST_AUTO_TEST_CASE(each_operator) {
  check("status=pending", cond("status", "eq", R"("pending")"));
  check("status!=done", cond("status", "ne", R"("done")"));
  check("qty>3", cond("qty", "gt", "3"));
  check("qty>=3", cond("qty", "gte", "3"));
  check("qty<3", cond("qty", "lt", "3"));
  check("qty<=3", cond("qty", "lte", "3"));
  check("tags~js", cond("tags", "contains", R"("js")"));
  check("status:in=a|b", cond("status", "in", R"(["a","b"])"));
  check("status:nin=a|b|c", cond("status", "nin", R"(["a","b","c"])"));
  check("qty:gte=3", cond("qty", "gte", "3"));
  check("email?", cond("email", "exists", "true"));
  check("!email?", cond("email", "exists", "false"));
  check("email:exists=false", cond("email", "exists", "false"));
}

BOOST_AUTO_TEST_CASE(conditions_are_anded) {
  check("status=pending,qty>3,tags~js",
        R"({"type":"and","conditions":[)" + cond("status", "eq", R"("pending")") + "," +
            cond("qty", "gt", "3") + "," + cond("tags", "contains", R"("js")") + "]}");
}

BOOST_AUTO_TEST_CASE(empty_filter_matches_everything) {
  check("", R"({"type":"and","conditions":[]})");
  check("   ", R"({"type":"and","conditions":[]})");
}

BOOST_AUTO_TEST_CASE(value_typing) {
  check("a=3", cond("a", "eq", "3"));
  check("a=-2.5", cond("a", "eq", "-2.5"));
  check("a=1e3", cond("a", "eq", "1e3"));
  check("a=true", cond("a", "eq", "true"));
  check("a=false", cond("a", "eq", "false"));
  check("a=null", cond("a", "eq", "null"));
  check(R"(a="3")", cond("a", "eq", R"("3")"));
  check(R"(a="true")", cond("a", "eq", R"("true")"));
  check("a=007", cond("a", "eq", R"("007")"));  // not JSON: a string
  check("a=True", cond("a", "eq", R"("True")"));
  check("a=hello world", cond("a", "eq", R"("hello world")"));
  check("a=[1,\"x\"]", cond("a", "eq", R"([1,"x"])"));
  check(R"(a={"b":[1,2]})", cond("a", "eq", R"({"b":[1,2]})"));
  check("status:in=a|3|true", cond("status", "in", R"(["a",3,true])"));
  check(R"(status:in=["a",3])", cond("status", "in", R"(["a",3])"));
}

BOOST_AUTO_TEST_CASE(spaces_are_ignored_around_parts) {
  check(" status = pending , qty >= 3 ", R"({"type":"and","conditions":[)" +
                                             cond("status", "eq", R"("pending")") + "," +
                                             cond("qty", "gte", "3") + "]}");
  check("a:in= x | y ", cond("a", "in", R"(["x","y"])"));
}

BOOST_AUTO_TEST_CASE(values_may_hold_operator_characters) {
  check("url=http://x/?a=b", cond("url", "eq", R"("http://x/?a=b")"));
  check("a=<b>", cond("a", "eq", R"("<b>")"));
}

BOOST_AUTO_TEST_CASE(escaping_with_json_strings) {
  check(R"(note="a, b",n=1)", R"({"type":"and","conditions":[)" + cond("note", "eq", R"("a, b")") +
                                  "," + cond("n", "eq", "1") + "]}");
  check(R"(note="say \"hi\"")", cond("note", "eq", R"("say \"hi\"")"));
  check(R"(note="  padded ")", cond("note", "eq", R"("  padded ")"));
  check(R"(a:in="x|y"|"p,q"|z)", cond("a", "in", R"(["x|y","p,q","z"])"));
  check(R"(a=["x,y"],b=2)", R"({"type":"and","conditions":[)" + cond("a", "eq", R"(["x,y"])") +
                                "," + cond("b", "eq", "2") + "]}");
  check(R"("odd,name"=1)", cond("odd,name", "eq", "1"));
  check(R"(a="")", cond("a", "eq", R"("")"));
}

BOOST_AUTO_TEST_CASE(dot_paths) {
  check("address.city=Paris", cond("address.city", "eq", R"("Paris")"));
  check("_id=k1", cond("_id", "eq", R"("k1")"));
}

BOOST_AUTO_TEST_CASE(errors_name_column_and_condition) {
  check_error("=3", 1, "expected a field name");
  check_error("a=1,,b=2", 5, "empty condition");
  check_error("a=1,", 5, "empty condition");
  check_error("a=1,qty", 8, "condition 2 \"qty\"");
  check_error("a=1,qty", 8, "expected an operator");
  check_error("a=1, b:between=3", 8, "unknown operator \"between\"");
  check_error("a=1,b=", 7, "expected a value");
  check_error(R"(a="open)", 3, "unterminated string");
  check_error(R"(a=[1,2)", 3, "unterminated JSON value");
  check_error(R"(a=[1,,2])", 6, "bad JSON value");
  check_error(R"(a="x" y)", 7, "expected \",\" or the end");
  check_error("!a", 3, "expected \"?\"");
  check_error("a!3", 2, "expected \"!=\"");
  check_error("a:in=x|,b=1", 8, "expected a value");
  check_error("a:exists=maybe", 1, "exists");  // the AST's own check, at the condition
  check_error("a..b=1", 1, "condition 1");     // empty dot segment
  check_error("a:in", 2, "expected \":op=\"");
}

BOOST_AUTO_TEST_CASE(json_filter_passthrough) {
  std::string json =
      R"({"type":"or","conditions":[{"type":"condition","field":"qty","op":"gt","value":3},)"
      R"({"type":"not","condition":{"type":"condition","field":"s","op":"in","value":["a"]}}]})";
  check(json, json);
  check("  " + json, json);
}

BOOST_AUTO_TEST_CASE(json_filter_errors) {
  try {
    parse_filter(R"({"type":"condition",})");
    BOOST_FAIL("no error");
  } catch (const SyntaxError& e) {
    BOOST_TEST(e.column() == 21u);
    BOOST_TEST(std::string(e.what()).find("invalid JSON filter at column 21") == 0u, e.what());
  }
  BOOST_CHECK_THROW(parse_filter(R"({"type":"condition","field":"a","op":"between","value":1})"),
                    nosqlc::filter::FilterError);
}

BOOST_AUTO_TEST_CASE(parse_json_reports_columns) {
  BOOST_TEST(nosqlc::cli::parse_json(R"( {"a":1} )").is_object());
  try {
    nosqlc::cli::parse_json("[1,2] x");
    BOOST_FAIL("no error");
  } catch (const SyntaxError& e) {
    BOOST_TEST(e.column() == 7u);
  }
  try {
    nosqlc::cli::parse_json("[1,2");
    BOOST_FAIL("no error");
  } catch (const SyntaxError& e) {
    BOOST_TEST(e.column() == 5u);
  }
}

BOOST_AUTO_TEST_CASE(numbers_beyond_a_double_are_errors_not_strings) {
  check_error("qty>=1e999", 6, "number out of range: 1e999");
  check_error("a=1,b:in=1|-1e999", 12, "number out of range: -1e999");
  check("qty>=1e300", cond("qty", "gte", "1e300"));
  try {
    nosqlc::cli::parse_json(R"({"a":{"b":[1,1e999]}})");
    BOOST_FAIL("no error");
  } catch (const SyntaxError& e) {
    BOOST_TEST(std::string(e.what()).find("number out of range at a.b[1]") != std::string::npos,
               e.what());
  }
}

BOOST_AUTO_TEST_CASE(documents_as_deep_as_the_drivers_read) {
  std::string deep;
  for (int i = 0; i < 500; ++i)
    deep += R"({"a":)";
  deep += "1";
  for (int i = 0; i < 500; ++i)
    deep += "}";
  BOOST_TEST(nosqlc::cli::parse_json(deep).is_object());
  BOOST_CHECK_THROW(nosqlc::cli::parse_json("[" + deep + "," + std::string(20, '[') + "]"),
                    SyntaxError);
}

BOOST_AUTO_TEST_SUITE_END()
