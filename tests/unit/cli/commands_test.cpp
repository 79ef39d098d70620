// The document commands: output format and the exit code of each class of outcome.
#include "unit/cli/cli_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <cerrno>
#include <sstream>
#include <streambuf>

using cli_test::env_for;
using cli_test::memory_client;
using cli_test::run_cli;

BOOST_AUTO_TEST_SUITE(cli_commands)

BOOST_AUTO_TEST_CASE(store_get_compact_and_pretty) {
  auto env = env_for(memory_client());
  auto s = run_cli({"store", "k1", R"({"b":[1,2],"a":{"c":"x"},"e":[],"o":{}})"}, env);
  BOOST_TEST(s.code == 0);
  BOOST_TEST(s.out.empty());
  BOOST_TEST(s.err.empty());

  auto g = run_cli({"get", "k1"}, env);
  BOOST_TEST(g.code == 0);
  BOOST_TEST(g.out == R"({"b":[1,2],"a":{"c":"x"},"e":[],"o":{},"_id":"k1"})"
                      "\n");

  auto p = run_cli({"--pretty", "get", "k1"}, env);
  BOOST_TEST(p.code == 0);
  BOOST_TEST(p.out ==
             "{\n"
             "  \"b\": [\n"
             "    1,\n"
             "    2\n"
             "  ],\n"
             "  \"a\": {\n"
             "    \"c\": \"x\"\n"
             "  },\n"
             "  \"e\": [],\n"
             "  \"o\": {},\n"
             "  \"_id\": \"k1\"\n"
             "}\n");
}

BOOST_AUTO_TEST_CASE(insert_prints_the_key) {
  auto env = env_for(memory_client());
  auto i = run_cli({"insert", R"({"item":"gadget"})"}, env);
  BOOST_TEST(i.code == 0);
  BOOST_REQUIRE(i.out.size() == 37u);  // a UUID and a newline
  std::string key = i.out.substr(0, 36);
  auto g = run_cli({"get", key}, env);
  BOOST_TEST(g.code == 0);
  BOOST_TEST(g.out == R"({"item":"gadget","_id":")" + key + "\"}\n");
}

BOOST_AUTO_TEST_CASE(update_and_delete) {
  auto env = env_for(memory_client());
  BOOST_TEST(run_cli({"store", "k", R"({"qty":1,"s":"a"})"}, env).code == 0);
  BOOST_TEST(run_cli({"update", "k", R"({"qty":2})"}, env).code == 0);
  BOOST_TEST(run_cli({"get", "k"}, env).out == R"({"qty":2,"s":"a","_id":"k"})"
                                               "\n");
  BOOST_TEST(run_cli({"delete", "k"}, env).code == 0);
  BOOST_TEST(run_cli({"get", "k"}, env).code == 1);
  BOOST_TEST(run_cli({"delete", "k"}, env).code == 0);  // deleting nothing is fine
}

// The memory driver has no consistency or traces: the flags are refused (exit 3), not ignored;
// a timeout applies.
BOOST_AUTO_TEST_CASE(per_call_flags_reach_the_driver) {
  auto env = env_for(memory_client());
  BOOST_TEST(run_cli({"store", "k", R"({"a":1})"}, env).code == 0);
  auto cl = run_cli({"--consistency", "QUORUM", "get", "k"}, env);
  BOOST_TEST(cl.code == 3);
  BOOST_TEST(cl.err.find("no consistency to set") != std::string::npos, cl.err);
  auto tr = run_cli({"--trace", "find"}, env);
  BOOST_TEST(tr.code == 3);
  BOOST_TEST(tr.err.find("no trace to set") != std::string::npos, tr.err);
  BOOST_TEST(run_cli({"--timeout", "100", "get", "k"}, env).code == 0);
}

BOOST_AUTO_TEST_CASE(find_and_count_json_lines) {
  auto env = env_for(memory_client());
  for (int i = 0; i < 5; ++i) {
    std::string doc =
        R"({"n":)" + std::to_string(i) + R"(,"even":)" + (i % 2 == 0 ? "true" : "false") + "}";
    BOOST_TEST(run_cli({"store", "k" + std::to_string(i), doc}, env).code == 0);
  }
  auto f = run_cli({"find", "even=true,n>0"}, env);
  BOOST_TEST(f.code == 0);
  BOOST_TEST(f.out == R"({"n":2,"even":true,"_id":"k2"})"
                      "\n"
                      R"({"n":4,"even":true,"_id":"k4"})"
                      "\n");
  auto all = run_cli({"find"}, env);
  BOOST_TEST(cli_test::json_lines(all.out).size() == 5u);
  auto limited = run_cli({"--limit", "2", "find"}, env);
  BOOST_TEST(cli_test::json_lines(limited.out).size() == 2u);

  auto c = run_cli({"count", R"({"type":"condition","field":"n","op":"lt","value":3})"}, env);
  BOOST_TEST(c.code == 0);
  BOOST_TEST(c.out == "3\n");

  auto pretty = run_cli({"--pretty", "find", "_id=k1"}, env);
  BOOST_TEST(pretty.out == "{\n  \"n\": 1,\n  \"even\": false,\n  \"_id\": \"k1\"\n}\n");
}

BOOST_AUTO_TEST_CASE(not_found_exits_1) {
  auto env = env_for(memory_client());
  auto g = run_cli({"get", "missing"}, env);
  BOOST_TEST(g.code == 1);
  BOOST_TEST(g.out.empty());
  BOOST_TEST(g.err == "nosqlc: get: no document at key \"missing\"\n");

  auto u = run_cli({"update", "missing", R"({"a":1})"}, env);
  BOOST_TEST(u.code == 1);
  BOOST_TEST(u.err == "nosqlc: update: document not found: key \"missing\"\n", u.err);

  auto f = run_cli({"find", "a=1"}, env);
  BOOST_TEST(f.code == 1);
  BOOST_TEST(f.out.empty());
  BOOST_TEST(f.err == "nosqlc: find: no document matches\n");

  auto c = run_cli({"count", "a=1"}, env);
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.out == "0\n");

  auto e = run_cli({"export"}, env);  // exporting nothing is not a failure
  BOOST_TEST(e.code == 0);
  BOOST_TEST(e.out.empty());
}

BOOST_AUTO_TEST_CASE(bad_operands_exit_2) {
  auto env = env_for(memory_client());
  auto bad_json = run_cli({"store", "k", R"({"a":1,})"}, env);
  BOOST_TEST(bad_json.code == 2);
  BOOST_TEST(bad_json.err == "nosqlc: store: invalid JSON at column 8: syntax error\n");

  auto not_object = run_cli({"insert", "[1,2]"}, env);
  BOOST_TEST(not_object.code == 2);
  BOOST_TEST(not_object.err.find("must be an object") != std::string::npos);

  auto bad_filter = run_cli({"find", "qty>3,name"}, env);
  BOOST_TEST(bad_filter.code == 2);
  BOOST_TEST(bad_filter.err.starts_with("nosqlc: find: invalid filter at column 11 (condition 2"),
             bad_filter.err);

  auto bad_ast = run_cli({"count", R"({"type":"xor","conditions":[]})"}, env);
  BOOST_TEST(bad_ast.code == 2);
  BOOST_TEST(bad_ast.err.starts_with("nosqlc: count: invalid filter at root"), bad_ast.err);

  auto bad_name = run_cli({"-c", "9lives", "get", "k"}, env);
  BOOST_TEST(bad_name.code == 2);
  BOOST_TEST(bad_name.err.find("invalid collection name") != std::string::npos);

  auto empty_key = run_cli({"get", ""}, env);
  BOOST_TEST(empty_key.code == 2);
}

BOOST_AUTO_TEST_CASE(one_line_per_failure) {
  auto env = env_for(memory_client());
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"get", "x"}, {"store", "k", "{"}, {"find", "a:zz=1"}}) {
    auto r = run_cli(args, env);
    BOOST_TEST(r.code != 0);
    BOOST_TEST(r.err.starts_with("nosqlc: "));
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}

BOOST_AUTO_TEST_CASE(connection_failures_exit_3) {
  cli_test::FailingDriverScope scope;
  for (std::string kind : {"connection", "timeout", "auth", "protocol", "server"}) {
    BOOST_TEST_CONTEXT(kind) {
      auto r = run_cli({"--url", "nosqlc:failing:" + kind, "-c", "items", "get", "k"});
      BOOST_TEST(r.code == 3);
      BOOST_TEST(r.err.starts_with("nosqlc: get: "), r.err);
    }
  }
  auto server = run_cli({"--url", "nosqlc:failing:server", "-c", "items", "count"});
  BOOST_TEST(server.err.find("Overloaded") != std::string::npos, server.err);
}

BOOST_AUTO_TEST_CASE(driver_and_url_errors_exit_3) {
  auto none = run_cli({"--url", "nosqlc:nosuch:", "-c", "items", "get", "k"});
  BOOST_TEST(none.code == 3);
  BOOST_TEST(none.err.find("no driver for URL") != std::string::npos, none.err);
  auto bad = run_cli({"--url", "nosqlc:memory:extra", "-c", "items", "get", "k"});
  BOOST_TEST(bad.code == 3);
  BOOST_TEST(bad.err.find("invalid URL") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(server_error_during_an_operation_exits_3) {
  auto env = env_for(std::make_shared<cli_test::SlowClient>());
  auto r = run_cli({"get", "boom"}, env);
  BOOST_TEST(r.code == 3);
  BOOST_TEST(r.err.find("Cannot achieve consistency") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(closed_client_exits_3) {
  auto client = memory_client();
  nosqlc::block_on(client->close());
  auto r = run_cli({"get", "k"}, env_for(client));
  BOOST_TEST(r.code == 3);
}

BOOST_AUTO_TEST_CASE(collections_lists_the_names) {
  auto client = memory_client();
  auto env = env_for(client);
  run_cli({"-c", "beta", "store", "k", "{}"}, env);
  run_cli({"-c", "alpha", "store", "k", "{}"}, env);
  auto r = run_cli({"collections"}, env);
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out == "\"alpha\"\n\"beta\"\n");
  auto pretty = run_cli({"--pretty", "collections"}, env);
  BOOST_TEST(pretty.out == "alpha\nbeta\n");
  nosqlc::block_on(client->close());
  BOOST_TEST(run_cli({"collections"}, env).code == 3);  // a closed client
}

BOOST_AUTO_TEST_CASE(injected_client_is_not_closed) {
  auto client = memory_client();
  run_cli({"store", "k", "{}"}, env_for(client));
  BOOST_TEST(!client->is_closed());
  BOOST_TEST(run_cli({"get", "k"}, env_for(client)).code == 0);
}

namespace {

// Every write fails, as on a full disk.
struct FullDisk final : std::streambuf {
  int_type overflow(int_type) override {
    errno = ENOSPC;
    return traits_type::eof();
  }
  std::streamsize xsputn(const char*, std::streamsize) override {
    errno = ENOSPC;
    return 0;
  }
};

cli_test::Result run_into(std::ostream& out, std::vector<std::string> args,
                          const nosqlc::cli::Env& env) {
  std::istringstream in;
  std::ostringstream err;
  cli_test::Result r;
  r.code = nosqlc::cli::run(std::move(args), in, out, err, env);
  r.err = err.str();
  return r;
}

// A stored document another tool wrote: the source either fails naming it or, asked to,
// passes over it and counts it.
class OneBadRow final : public nosqlc::CursorSource {
 public:
  explicit OneBadRow(bool skip) : skip_(skip) {}
  asio::awaitable<std::vector<nosqlc::Document>> next_batch() override {
    if (done_) co_return std::vector<nosqlc::Document>{};
    done_ = true;
    if (!skip_) {
      throw nosqlc::Error(nosqlc::errc::unreadable_document,
                          "the stored document at key \"bad\" is not a JSON object");
    }
    co_return std::vector<nosqlc::Document>{{{"_id", "good"}}};
  }
  std::size_t skipped() const noexcept override { return done_ && skip_ ? 1 : 0; }

 private:
  bool skip_;
  bool done_ = false;
};

class BadRowCollection final : public nosqlc::Collection {
 public:
  BadRowCollection(nosqlc::Client& c, std::string name) : Collection(c, std::move(name)) {}

 protected:
  asio::awaitable<nosqlc::Cursor> do_find(const nosqlc::filter::Ast&,
                                          nosqlc::FindOptions o) override {
    co_return nosqlc::Cursor(std::make_unique<OneBadRow>(o.skip_unreadable), o.limit);
  }
};

class BadRowClient final : public nosqlc::Client {
 public:
  BadRowClient() : Client("nosqlc:badrow:") {}

 protected:
  std::unique_ptr<nosqlc::Collection> make_collection(std::string name) override {
    return std::make_unique<BadRowCollection>(*this, std::move(name));
  }
};

}  // namespace

// A full disk must not pass for a complete export: every command that prints checks.
BOOST_AUTO_TEST_CASE(output_that_cannot_be_written_exits_4) {
  auto env = env_for(memory_client());
  run_cli({"store", "k", R"({"a":1})"}, env);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"export"}, {"find"}, {"get", "k"}, {"count"}, {"insert", "{}"}}) {
    BOOST_TEST_CONTEXT(args.front()) {
      FullDisk full;
      std::ostream out(&full);
      auto r = run_into(out, args, env);
      BOOST_TEST(r.code == 4);
      BOOST_TEST(r.err == "nosqlc: " + args.front() +
                              ": cannot write the output: No space left on device\n",
                 r.err);
    }
  }
}

BOOST_AUTO_TEST_CASE(unreadable_stored_documents_fail_or_are_skipped_and_counted) {
  auto env = env_for(std::make_shared<BadRowClient>());
  for (std::string command : {"find", "count", "export"}) {
    BOOST_TEST_CONTEXT(command) {
      auto failed = run_cli({command}, env);
      BOOST_TEST(failed.code == 3);
      BOOST_TEST(failed.err.find("\"bad\"") != std::string::npos, failed.err);
      auto skipped = run_cli({"--on-error", "skip", command}, env);
      BOOST_TEST(skipped.code == 0);
      BOOST_TEST(skipped.err == "nosqlc: " + command +
                                    ": skipped 1 unreadable stored document (--on-error skip)\n",
                 skipped.err);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
