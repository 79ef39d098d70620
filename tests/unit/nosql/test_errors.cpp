#include <nosqlc/nosql/errors.hpp>

#include <boost/json/object.hpp>
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <system_error>

using nosqlc::errc;
using nosqlc::Error;

namespace {

constexpr errc kAll[] = {errc::no_suitable_driver,    errc::invalid_url,
                         errc::invalid_filter,        errc::invalid_argument,
                         errc::unsupported_operation, errc::document_not_found,
                         errc::client_closed,         errc::invalid_state,
                         errc::connection_error,      errc::timeout,
                         errc::authentication_error,  errc::protocol_error,
                         errc::server_error,          errc::conflict,
                         errc::unreadable_document,   errc::collection_not_found};

}  // namespace

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(codes_are_stable_and_in_one_category) {
  BOOST_TEST(std::string(nosqlc::error_category().name()) == "nosqlc");
  // Values are part of the API: they may be logged or stored.
  BOOST_TEST(static_cast<int>(errc::no_suitable_driver) == 1);
  BOOST_TEST(static_cast<int>(errc::conflict) == 14);
  BOOST_TEST(static_cast<int>(errc::collection_not_found) == 16);
  for (errc e : kAll) {
    std::error_code ec = e;  // implicit through is_error_code_enum
    BOOST_TEST((ec.category() == nosqlc::error_category()));
    BOOST_TEST(ec.value() == static_cast<int>(e));
    BOOST_TEST(static_cast<bool>(ec));
  }
}

BOOST_AUTO_TEST_CASE(messages_are_distinct_and_known) {
  std::set<std::string> seen;
  for (errc e : kAll) {
    auto msg = nosqlc::make_error_code(e).message();
    BOOST_TEST(!msg.empty());
    BOOST_TEST(msg.find("unknown") == std::string::npos, msg);
    seen.insert(msg);
  }
  BOOST_TEST(seen.size() == std::size(kAll));
  BOOST_TEST(nosqlc::make_error_code(errc::document_not_found).message() == "document not found");
  BOOST_TEST(nosqlc::error_category().message(999) == "unknown nosqlc error");
}

BOOST_AUTO_TEST_CASE(error_carries_code_kind_and_message) {
  Error e(errc::invalid_url, "bad URL \"x\"");
  BOOST_TEST((e.kind() == errc::invalid_url));
  BOOST_TEST((e.code() == errc::invalid_url));
  BOOST_TEST((e.code() != errc::invalid_filter));
  std::string what = e.what();
  BOOST_TEST(what.find("bad URL \"x\"") != std::string::npos, what);
  // One family: catchable as the standard bases.
  try {
    throw Error(errc::timeout, "slow");
  } catch (const std::system_error& se) {
    BOOST_TEST((se.code() == errc::timeout));
  }
  try {
    throw Error(errc::timeout, "slow");
  } catch (const std::runtime_error& re) {
    BOOST_TEST(std::string(re.what()).find("slow") != std::string::npos);
  }
}

// The kind once, then the message: a layer that wraps an error's text does not repeat it
// ("connection error: connection error: ..." was the symptom).
BOOST_AUTO_TEST_CASE(what_names_the_kind_once) {
  Error e(errc::connection_error, "cannot connect to 127.0.0.1:1: Connection refused");
  BOOST_TEST(std::string(e.what()) ==
             "connection error: cannot connect to 127.0.0.1:1: Connection refused");
  BOOST_TEST(e.message() == "cannot connect to 127.0.0.1:1: Connection refused");
  Error wrapped(errc::connection_error, e.message());
  BOOST_TEST(std::string(wrapped.what()) == std::string(e.what()));
  nosqlc::ServerError s(0x2200, "unconfigured table t", {});
  BOOST_TEST(std::string(s.what()) == "server error: 0x2200: unconfigured table t");
}

BOOST_AUTO_TEST_CASE(fatal_errors_are_those_that_need_a_new_client) {
  const std::set<errc> fatal{errc::client_closed, errc::connection_error,
                             errc::authentication_error, errc::protocol_error};
  for (errc e : kAll) {
    Error err(e, "x");
    BOOST_TEST(err.is_fatal() == (fatal.count(e) > 0), nosqlc::make_error_code(e).message());
  }
}

BOOST_AUTO_TEST_CASE(server_error_keeps_the_server_fields) {
  boost::json::object details{{"consistency", "QUORUM"}, {"required", 3}, {"alive", 1}};
  nosqlc::ServerError e(0x1000, "Cannot achieve consistency level QUORUM", details);
  BOOST_TEST((e.kind() == errc::server_error));
  BOOST_TEST(e.server_code() == 0x1000);
  BOOST_TEST(e.server_message() == "Cannot achieve consistency level QUORUM");
  BOOST_TEST((e.details() == details));
  BOOST_TEST(!e.is_fatal());
  std::string what = e.what();
  BOOST_TEST(what.find("0x1000") != std::string::npos, what);
  BOOST_TEST(what.find("Cannot achieve consistency level QUORUM") != std::string::npos, what);
  try {
    throw e;
  } catch (const Error& base) {
    BOOST_TEST((base.code() == errc::server_error));
  }
}

BOOST_AUTO_TEST_CASE(server_error_without_details) {
  nosqlc::ServerError e(0x2200, "Invalid query", {});
  BOOST_TEST(e.details().empty());
  BOOST_TEST(std::string(e.what()).find("0x2200") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
