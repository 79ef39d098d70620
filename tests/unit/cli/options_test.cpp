// Command-line parsing: flags, environment, usage errors.
#include "unit/cli/cli_fixture.hpp"

#include <nosqlc/cli/options.hpp>

#include <boost/test/unit_test.hpp>

using nosqlc::cli::Command;
using nosqlc::cli::Env;
using nosqlc::cli::OnError;
using nosqlc::cli::parse_args;
using nosqlc::cli::UsageError;

BOOST_AUTO_TEST_SUITE(cli_options)

BOOST_AUTO_TEST_CASE(flags_before_and_after_the_command) {
  auto o = parse_args({"--url", "nosqlc:memory:", "-c", "orders", "get", "k1", "--pretty"}, {});
  BOOST_TEST((o.command == Command::get));
  BOOST_TEST(o.args == std::vector<std::string>{"k1"});
  BOOST_TEST(*o.url == "nosqlc:memory:");
  BOOST_TEST(*o.collection == "orders");
  BOOST_TEST(o.pretty);
}

BOOST_AUTO_TEST_CASE(long_flags_with_equals_and_import_options) {
  auto o = parse_args({"--url=nosqlc:memory:", "--collection=c", "--on-error=skip", "--limit", "5",
                       "--concurrency=8", "--no-progress", "import", "-"},
                      {});
  BOOST_TEST((o.command == Command::import_));
  BOOST_TEST(o.args == std::vector<std::string>{"-"});
  BOOST_TEST(*o.collection == "c");
  BOOST_TEST((o.on_error == OnError::skip));
  BOOST_TEST(*o.limit == 5u);
  BOOST_TEST(o.concurrency == 8u);
  BOOST_TEST(!o.progress);
}

BOOST_AUTO_TEST_CASE(production_flags) {
  auto o = parse_args({"--timeout", "1500", "--consistency=local_quorum", "--trace", "--log-level",
                       "DEBUG", "-v", "get", "k"},
                      {});
  BOOST_TEST(o.timeout->count() == 1500);
  BOOST_TEST((*o.consistency == nosqlc::Consistency::local_quorum));
  BOOST_TEST(o.trace);
  BOOST_TEST((*o.log_level == nosqlc::LogLevel::debug));
  BOOST_TEST(o.verbose);
  auto d = parse_args({"get", "k"}, {});
  BOOST_TEST(!d.timeout.has_value());
  BOOST_TEST(!d.consistency.has_value());
  BOOST_TEST(!d.trace);
  BOOST_TEST(!d.log_level.has_value());
  BOOST_TEST(!d.verbose);
  BOOST_CHECK_THROW(parse_args({"--timeout", "0", "get", "k"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"--timeout", "soon", "get", "k"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"--consistency", "MOST", "get", "k"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"--log-level", "loud", "get", "k"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"--trace=yes", "get", "k"}, {}), UsageError);
}

BOOST_AUTO_TEST_CASE(defaults) {
  auto o = parse_args({"find"}, {});
  BOOST_TEST((o.command == Command::find));
  BOOST_TEST(o.args.empty());
  BOOST_TEST(!o.url);
  BOOST_TEST(!o.collection);
  BOOST_TEST(!o.pretty);
  BOOST_TEST((o.on_error == OnError::stop));
  BOOST_TEST(o.concurrency == 64u);
  BOOST_TEST(o.progress);
}

BOOST_AUTO_TEST_CASE(url_and_collection_from_env_flags_win) {
  Env env;
  env.vars = {{"NOSQLC_URL", "nosqlc:memory:"}, {"NOSQLC_COLLECTION", "envcol"}};
  auto o = parse_args({"count"}, env);
  BOOST_TEST(*o.url == "nosqlc:memory:");
  BOOST_TEST(*o.collection == "envcol");
  auto p = parse_args({"--url", "nosqlc:other:", "-c", "flagcol", "count"}, env);
  BOOST_TEST(*p.url == "nosqlc:other:");
  BOOST_TEST(*p.collection == "flagcol");
  env.vars["NOSQLC_URL"] = "";  // empty is unset
  BOOST_TEST(!parse_args({"count"}, env).url);
}

BOOST_AUTO_TEST_CASE(credentials_user_from_flag_or_env_password_from_env_only) {
  Env env;
  env.vars = {{"NOSQLC_USERNAME", "envuser"}, {"NOSQLC_PASSWORD", "s3cret"}};
  auto o = parse_args({"count"}, env);
  BOOST_TEST(*o.username == "envuser");
  BOOST_TEST(*o.password == "s3cret");
  auto p = parse_args({"-u", "flaguser", "count"}, env);
  BOOST_TEST(*p.username == "flaguser");
  BOOST_TEST(*p.password == "s3cret");
  BOOST_TEST(!parse_args({"count"}, {}).username);
  BOOST_CHECK_THROW(parse_args({"--password", "x", "count"}, {}), UsageError);
  Env only_password;
  only_password.vars = {{"NOSQLC_PASSWORD", "s3cret"}};
  BOOST_CHECK_THROW(parse_args({"count"}, only_password), UsageError);
}

BOOST_AUTO_TEST_CASE(login_checks_come_after_help_and_refuse_an_empty_user) {
  Env only_password;
  only_password.vars = {{"NOSQLC_PASSWORD", "s3cret"}};
  BOOST_TEST((parse_args({"--help"}, only_password).command == Command::help));
  BOOST_CHECK_THROW(parse_args({"-u", "", "count"}, {}), UsageError);
  try {
    parse_args({"--passwd=s3cret", "count"}, {});
    BOOST_FAIL("no error");
  } catch (const UsageError& e) {
    BOOST_TEST(std::string(e.what()).find("s3cret") == std::string::npos, e.what());
    BOOST_TEST(std::string(e.what()).find("--passwd") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(double_dash_ends_options) {
  auto o = parse_args({"-c", "x", "get", "--", "--pretty"}, {});
  BOOST_TEST(o.args == std::vector<std::string>{"--pretty"});
  BOOST_TEST(!o.pretty);
}

BOOST_AUTO_TEST_CASE(help) {
  BOOST_TEST((parse_args({"--help"}, {}).command == Command::help));
  BOOST_TEST((parse_args({"get", "-h"}, {}).command == Command::help));
  BOOST_TEST((parse_args({"help"}, {}).command == Command::help));
  auto r = cli_test::run_cli({"--help"});
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out.find("usage: nosqlc") == 0u);
  BOOST_TEST(r.out.find("field:in=a|b|c") != std::string::npos);
  BOOST_TEST(r.out.find("Exit codes") != std::string::npos);
  BOOST_TEST(r.err.empty());
}

BOOST_AUTO_TEST_CASE(usage_errors_throw) {
  BOOST_CHECK_THROW(parse_args({}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"frobnicate"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"--frob", "get", "k"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"get"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"get", "a", "b"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"store", "k"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"find", "a=1", "b=2"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"collections", "x"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"get", "k", "--url"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"--on-error", "ignore", "import", "-"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"--limit", "0", "find"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"--limit", "3x", "find"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"--concurrency", "2000", "import", "-"}, {}), UsageError);
  BOOST_CHECK_THROW(parse_args({"--pretty=yes", "find"}, {}), UsageError);
}

BOOST_AUTO_TEST_CASE(unknown_command_exits_2_with_one_line) {
  auto r = cli_test::run_cli({"--url", "nosqlc:memory:", "frobnicate"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err == "nosqlc: unknown command \"frobnicate\" (see nosqlc --help)\n");
  BOOST_TEST(r.out.empty());
}

BOOST_AUTO_TEST_CASE(unknown_flag_exits_2) {
  auto r = cli_test::run_cli({"--bogus", "find"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("unknown option \"--bogus\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_url_exits_2) {
  auto r = cli_test::run_cli({"-c", "items", "get", "k"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err == "nosqlc: get: no database URL: give --url URL or set NOSQLC_URL\n");
}

BOOST_AUTO_TEST_CASE(missing_collection_exits_2) {
  auto r = cli_test::run_cli({"--url", "nosqlc:memory:", "get", "k"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("no collection: give -c NAME or set NOSQLC_COLLECTION") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(url_from_env_is_used) {
  Env env;
  env.vars = {{"NOSQLC_URL", "nosqlc:memory:"}, {"NOSQLC_COLLECTION", "items"}};
  auto r = cli_test::run_cli({"get", "nothing-here"}, env);
  BOOST_TEST(r.code == 1);  // connected and looked: not a usage error
  BOOST_TEST(r.err == "nosqlc: get: no document at key \"nothing-here\"\n");
}

BOOST_AUTO_TEST_SUITE_END()
