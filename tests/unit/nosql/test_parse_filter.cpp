#include <nosqlc/nosql/errors.hpp>
#include <nosqlc/nosql/parse_filter.hpp>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

BOOST_AUTO_TEST_SUITE(parse_filter)

BOOST_AUTO_TEST_CASE(valid_json_gives_the_ast) {
  auto ast = nosqlc::parse_filter(
      std::string_view(R"({"type":"condition","field":"age","op":"gt","value":18})"));
  BOOST_TEST(ast.to_json() ==
             boost::json::parse(R"({"type":"condition","field":"age","op":"gt","value":18})"));
}

BOOST_AUTO_TEST_CASE(errors_are_invalid_filter_naming_the_node) {
  try {
    nosqlc::parse_filter(boost::json::parse(
        R"({"type":"and","conditions":[{"type":"condition","field":"a","op":"between","value":1}]})"));
    BOOST_ERROR("no error");
  } catch (const nosqlc::Error& e) {
    BOOST_TEST((e.code() == nosqlc::errc::invalid_filter));
    BOOST_TEST(std::string(e.what()).find("conditions[0]") != std::string::npos);
  }
  try {
    nosqlc::parse_filter(std::string_view("{not json"));
    BOOST_ERROR("no error");
  } catch (const nosqlc::Error& e) {
    BOOST_TEST((e.code() == nosqlc::errc::invalid_filter));
  }
}

BOOST_AUTO_TEST_SUITE_END()
