#include <nosqlc/nosql/url.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>

using nosqlc::split_url;

BOOST_AUTO_TEST_SUITE(url)

BOOST_AUTO_TEST_CASE(memory_url_has_empty_details) {
  auto parts = split_url("nosqlc:memory:");
  BOOST_TEST_REQUIRE(parts.has_value());
  BOOST_TEST(parts->driver == "memory");
  BOOST_TEST(parts->details.empty());
}

BOOST_AUTO_TEST_CASE(details_keep_everything_after_the_driver) {
  auto parts = split_url("nosqlc:cassandra:h1:9042,h2/ks?consistency=QUORUM&x=a:b");
  BOOST_TEST_REQUIRE(parts.has_value());
  BOOST_TEST(parts->driver == "cassandra");
  BOOST_TEST(parts->details == "h1:9042,h2/ks?consistency=QUORUM&x=a:b");
}

BOOST_AUTO_TEST_CASE(python_and_js_prefixes_are_aliases) {
  for (std::string_view url : {"pynosqlc:cassandra:localhost/ks", "jsnosqlc:cassandra:localhost/ks",
                               "nosqlc:cassandra:localhost/ks"}) {
    auto parts = split_url(url);
    BOOST_TEST_REQUIRE(parts.has_value(), url);
    BOOST_TEST(parts->driver == "cassandra", url);
    BOOST_TEST(parts->details == "localhost/ks", url);
  }
}

BOOST_AUTO_TEST_CASE(parts_are_views_into_the_url) {
  const std::string url = "nosqlc:memory:abc";
  auto parts = split_url(url);
  BOOST_TEST_REQUIRE(parts.has_value());
  BOOST_TEST((parts->driver.data() == url.data() + 7));
  BOOST_TEST((parts->details.data() == url.data() + 14));
  BOOST_TEST(parts->details == "abc");
}

BOOST_AUTO_TEST_CASE(rejected_shapes) {
  for (std::string_view url :
       {"", "nosqlc", "nosqlc:", "nosqlc:memory", "nosqlc::x",
        "nosqlc::", "memory:", "NOSQLC:memory:", "xnosqlc:memory:", " nosqlc:memory:",
        "jdbc:nosqlc:memory:", "pynosqlc:memory", "mongodb://localhost:27017"}) {
    BOOST_TEST(!split_url(url).has_value(), "accepted \"" << url << "\"");
  }
}

BOOST_AUTO_TEST_CASE(driver_name_is_up_to_the_first_colon) {
  auto parts = split_url("nosqlc:a:b:c");
  BOOST_TEST_REQUIRE(parts.has_value());
  BOOST_TEST(parts->driver == "a");
  BOOST_TEST(parts->details == "b:c");
}

BOOST_AUTO_TEST_CASE(redaction_hides_passwords_and_keeps_the_rest) {
  using nosqlc::redact_url;
  BOOST_TEST(redact_url("nosqlc:cassandra:u:hunter2@h:9042/ks") ==
             "nosqlc:cassandra:u:***@h:9042/ks");
  BOOST_TEST(redact_url("nosqlc:cassandra:hunter2@h/ks") == "nosqlc:cassandra:***@h/ks");
  BOOST_TEST(redact_url("nosqlc:cassandra:u:p/a?s&s@h/ks?tls=true") ==
             "nosqlc:cassandra:u:***@h/ks?tls=true");
  BOOST_TEST(redact_url("nosqlc:cassandra:h/ks?page_size=5&password=x&PWD=y&api_token=z") ==
             "nosqlc:cassandra:h/ks?page_size=5&password=***&PWD=***&api_token=***");
  BOOST_TEST(redact_url("nosqlc:cassandra:h1,h2/ks?tls_ca=/etc/ca.pem") ==
             "nosqlc:cassandra:h1,h2/ks?tls_ca=/etc/ca.pem");
  BOOST_TEST(redact_url("nosqlc:memory:") == "nosqlc:memory:");
  BOOST_TEST(redact_url("mongodb://u:hunter2@h") == "mongodb:***@h");  // not nosqlc: hides more
  BOOST_TEST(redact_url("") == "");
}

BOOST_AUTO_TEST_SUITE_END()
