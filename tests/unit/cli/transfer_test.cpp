// import and export: round trip, bad lines, concurrency, progress bar.
#include "unit/cli/cli_fixture.hpp"

#include <nosqlc/cli/progress.hpp>

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <streambuf>

using cli_test::env_for;
using cli_test::json_lines;
using cli_test::memory_client;
using cli_test::run_cli;

namespace {

// 1,000 varied documents as JSON lines: most with "_id", every tenth without.
std::string thousand_documents() {
  std::mt19937 rng(42);
  std::string text;
  for (int i = 0; i < 1000; ++i) {
    boost::json::object doc;
    if (i % 10 != 0) doc["_id"] = "doc-" + std::to_string(i);
    doc["n"] = i;
    doc["x"] = static_cast<double>(rng() % 100000) / 7.0;
    doc["s"] = "text, \"quoted\" \\ \xc3\xa9 " + std::to_string(rng());
    doc["flag"] = i % 3 == 0;
    doc["none"] = nullptr;
    doc["tags"] = boost::json::array{"a", i, boost::json::object{{"deep", i % 7}}};
    doc["nested"] = boost::json::object{{"level", boost::json::object{{"k", i * 2}}}};
    text += boost::json::serialize(doc) + "\n";
  }
  return text;
}

// The documents of JSON lines keyed by "_id", as serialized text for comparison.
std::map<std::string, boost::json::value> by_id(const std::string& lines) {
  std::map<std::string, boost::json::value> out;
  for (auto& v : json_lines(lines))
    out.emplace(std::string(v.at("_id").as_string()), v);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_transfer)

BOOST_AUTO_TEST_CASE(round_trip_of_1000_documents) {
  std::string original = thousand_documents();
  auto first = env_for(memory_client());
  auto imp = run_cli({"import", "-"}, first, original);
  BOOST_TEST(imp.code == 0);
  BOOST_TEST(imp.err == "nosqlc: imported 1000, rejected 0\n");
  BOOST_TEST(run_cli({"count"}, first).out == "1000\n");

  auto exp = run_cli({"export"}, first);
  BOOST_TEST(exp.code == 0);
  BOOST_TEST(exp.err.empty());
  auto exported = by_id(exp.out);
  BOOST_TEST(exported.size() == 1000u);

  // Documents with "_id" come back exactly; the others with a new key as "_id".
  auto originals = json_lines(original);
  std::size_t with_id = 0;
  for (auto& v : originals) {
    auto& doc = v.as_object();
    if (auto* id = doc.if_contains("_id")) {
      ++with_id;
      BOOST_TEST(exported.at(std::string(id->as_string())) == v);
    }
  }
  BOOST_TEST(with_id == 900u);
  std::size_t assigned = 0;
  for (auto& [id, doc] : exported) {
    if (id.starts_with("doc-")) continue;
    ++assigned;
    auto copy = doc.as_object();
    copy.erase("_id");
    bool found = false;
    for (auto& v : originals)
      found = found || v == boost::json::value(copy);
    BOOST_TEST(found);
  }
  BOOST_TEST(assigned == 100u);

  // Out of the first store and into a second one: the same set of documents.
  auto second = env_for(memory_client());
  auto imp2 = run_cli({"--concurrency", "7", "import", "-"}, second, exp.out);
  BOOST_TEST(imp2.code == 0);
  BOOST_TEST(imp2.err == "nosqlc: imported 1000, rejected 0\n");
  auto exp2 = run_cli({"export"}, second);
  BOOST_TEST((by_id(exp2.out) == exported));

  // A filtered export.
  auto some = run_cli({"export", "flag=true,n<30"}, second);
  BOOST_TEST(json_lines(some.out).size() == 10u);  // 0, 3, ..., 27
}

BOOST_AUTO_TEST_CASE(import_from_a_file) {
  std::string path = "/tmp/nosqlc_cli_import_test_" + std::to_string(::getpid()) + ".jsonl";
  {
    std::ofstream f(path);
    f << R"({"_id":"a","v":1})"
      << "\n"
      << R"({"_id":"b","v":2})"
      << "\r\n";
  }
  auto env = env_for(memory_client());
  auto r = run_cli({"import", path}, env);
  std::remove(path.c_str());
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.err == "nosqlc: imported 2, rejected 0\n");
  BOOST_TEST(run_cli({"get", "b"}, env).out == R"({"_id":"b","v":2})"
                                               "\n");

  auto missing = run_cli({"import", path}, env);
  BOOST_TEST(missing.code == 2);
  BOOST_TEST(missing.err.find("cannot open") != std::string::npos, missing.err);
}

// Lines: 1 good, 2 good, 3 invalid JSON (at column 14, "o"), 4 an array, 5 blank, 6 good, 7 bad
// _id, 8 good.
const std::string kMixed = R"({"_id":"l1","v":1})"
                           "\n"
                           R"({"_id":"l2","v":2})"
                           "\n"
                           R"({"_id":"l3", oops})"
                           "\n"
                           "[1,2]\n"
                           "   \n"
                           R"({"_id":"l6","v":6})"
                           "\n"
                           R"({"_id":7,"v":7})"
                           "\n"
                           R"({"v":8})"
                           "\n";

BOOST_AUTO_TEST_CASE(bad_lines_skipped) {
  auto env = env_for(memory_client());
  auto r = run_cli({"--on-error", "skip", "import", "-"}, env, kMixed);
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.err ==
             "nosqlc: line 3: invalid JSON at column 14: syntax error\n"
             "nosqlc: line 4: not a JSON object (found an array)\n"
             "nosqlc: line 7: \"_id\" must be a non-empty string\n"
             "nosqlc: imported 4, rejected 3\n");
  BOOST_TEST(run_cli({"count"}, env).out == "4\n");
  BOOST_TEST(run_cli({"get", "l6"}, env).code == 0);
  BOOST_TEST(run_cli({"count", "v=8"}, env).out == "1\n");
}

BOOST_AUTO_TEST_CASE(bad_line_stops_by_default) {
  auto env = env_for(memory_client());
  auto r = run_cli({"import", "-"}, env, kMixed);
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err ==
             "nosqlc: line 3: invalid JSON at column 14: syntax error\n"
             "nosqlc: import stopped after line 3 (a bad line, with --on-error stop): "
             "imported 2, rejected 1, failed 0; 4 more lines not attempted\n");
  BOOST_TEST(run_cli({"count"}, env).out == "2\n");
  BOOST_TEST(run_cli({"get", "l6"}, env).code == 1);
}

BOOST_AUTO_TEST_CASE(stop_with_writes_in_flight) {
  auto client = std::make_shared<cli_test::SlowClient>();
  auto env = env_for(client);
  auto r = run_cli({"--concurrency", "4", "import", "-"}, env, kMixed);
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.ends_with("nosqlc: import stopped after line 3 (a bad line, with --on-error "
                             "stop): imported 2, rejected 1, failed 0; 4 more lines not "
                             "attempted\n"),
             r.err);
  BOOST_TEST(client->collection->docs.size() == 2u);
}

BOOST_AUTO_TEST_CASE(writes_run_concurrently_up_to_the_bound) {
  std::string lines;
  for (int i = 0; i < 200; ++i)
    lines += R"({"_id":"k)" + std::to_string(i) + R"("})" + "\n";
  for (std::size_t bound : {1u, 8u, 64u}) {
    BOOST_TEST_CONTEXT("concurrency " << bound) {
      auto client = std::make_shared<cli_test::SlowClient>();
      auto r =
          run_cli({"--concurrency", std::to_string(bound), "import", "-"}, env_for(client), lines);
      BOOST_TEST(r.code == 0);
      BOOST_TEST(r.err == "nosqlc: imported 200, rejected 0\n");
      BOOST_TEST(client->collection->docs.size() == 200u);
      BOOST_TEST(client->collection->max_in_flight == bound);
    }
  }
}

BOOST_AUTO_TEST_CASE(write_error_ends_the_import_with_3) {
  auto client = std::make_shared<cli_test::SlowClient>();
  std::string lines = R"({"_id":"a"})"
                      "\n"
                      R"({"_id":"fail"})"
                      "\n"
                      R"({"_id":"b"})"
                      "\n"
                      R"({"_id":"c"})"
                      "\n";
  std::string more;
  for (int i = 0; i < 6; ++i)
    more += R"({"_id":"m)" + std::to_string(i) + "\"}\n";
  auto r = run_cli({"--concurrency", "1", "import", "-"}, env_for(client), lines + more);
  BOOST_TEST(r.code == 3);
  // Lines go in chunks of 4 x concurrency (store_many): the chunk with the failure is written
  // whole, then the import stops, saying what it did not attempt.
  BOOST_TEST(r.err ==
             "nosqlc: line 2: timeout: write timed out\n"
             "nosqlc: import stopped after line 4 (the write of line 2 failed): imported 3, "
             "rejected 0, failed 1; 6 more lines not attempted\n");
  BOOST_TEST(client->collection->docs.size() == 3u);
}

// With other writes of its chunk in flight when one fails, those finish and are counted: the
// counts are final.
BOOST_AUTO_TEST_CASE(a_failed_write_lets_the_writes_in_flight_finish) {
  auto client = std::make_shared<cli_test::SlowClient>();
  std::string lines;
  for (int i = 0; i < 20; ++i)
    lines += R"({"_id":")" + std::string(i == 1 ? "fail" : "k" + std::to_string(i)) + "\"}\n";
  auto r = run_cli({"--concurrency", "4", "import", "-"}, env_for(client), lines);
  BOOST_TEST(r.code == 3);
  // The first chunk is lines 1 to 16: all written but line 2; nothing after it was read.
  BOOST_TEST(r.err.find("nosqlc: line 2: timeout: write timed out\n") == 0u, r.err);
  BOOST_TEST(r.err.ends_with("nosqlc: import stopped after line 16 (the write of line 2 failed): "
                             "imported 15, rejected 0, failed 1; 4 more lines not attempted\n"),
             r.err);
  BOOST_TEST(client->collection->docs.size() == 15u);
  BOOST_TEST(client->collection->max_in_flight == 4u);
}

// A document the driver refuses is a bad line: skipped under --on-error skip.
BOOST_AUTO_TEST_CASE(a_document_the_driver_refuses_is_a_rejected_line) {
  std::string lines = R"({"_id":"a"})"
                      "\n"
                      R"({"_id":"refused"})"
                      "\n"
                      R"({"_id":"c"})"
                      "\n";
  auto client = std::make_shared<cli_test::SlowClient>();
  auto r =
      run_cli({"--on-error", "skip", "--concurrency", "1", "import", "-"}, env_for(client), lines);
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.err ==
             "nosqlc: line 2: invalid argument: the document is too large\n"
             "nosqlc: imported 2, rejected 1\n");
  BOOST_TEST(client->collection->docs.size() == 2u);
}

// SIGINT or SIGTERM (here the flag their handler sets) ends the import cleanly: no line read
// after it, writes in flight finished, a summary, and 128 + the signal as exit code.
BOOST_AUTO_TEST_CASE(an_interrupt_stops_the_import_with_a_summary) {
  // A stream that raises the flag once its third line has been read.
  struct Tripwire : std::streambuf {
    std::string text;
    std::atomic<int>* flag;
    std::size_t newlines = 0;
    Tripwire(std::string t, std::atomic<int>* f) : text(std::move(t)), flag(f) {
      setg(text.data(), text.data(), text.data());
    }
    int_type underflow() override {
      char* at = egptr();
      if (at == text.data() + text.size()) return traits_type::eof();
      setg(text.data(), at, at + 1);  // one byte at a time
      if (*at == '\n' && ++newlines == 3) flag->store(SIGINT);
      return traits_type::to_int_type(*at);
    }
  };
  std::string lines;
  for (int i = 0; i < 10; ++i)
    lines += R"({"_id":"k)" + std::to_string(i) + "\"}\n";
  std::atomic<int> interrupt{0};
  Tripwire source(lines, &interrupt);
  std::istream in(&source);
  auto client = memory_client();
  auto env = env_for(client);
  env.interrupt = &interrupt;
  std::ostringstream out, err;
  int code = nosqlc::cli::run({"import", "-"}, in, out, err, env);
  BOOST_TEST(code == 130);
  BOOST_TEST(err.str() ==
             "nosqlc: import stopped after line 3 (interrupted by SIGINT): imported 3, "
             "rejected 0, failed 0; the input after line 3 was not read\n");
  BOOST_TEST(run_cli({"count"}, env).out == "3\n");
}

BOOST_AUTO_TEST_CASE(no_progress_bar_when_not_a_terminal) {
  auto env = env_for(memory_client());
  env.err_is_terminal = false;
  auto imp = run_cli({"import", "-"}, env, thousand_documents());
  BOOST_TEST(imp.err == "nosqlc: imported 1000, rejected 0\n");
  BOOST_TEST(imp.err.find('\r') == std::string::npos);
  auto exp = run_cli({"export"}, env);
  BOOST_TEST(exp.err.empty());
}

BOOST_AUTO_TEST_CASE(progress_bar_on_a_terminal) {
  auto env = env_for(memory_client());
  env.err_is_terminal = true;
  auto imp = run_cli({"import", "-"}, env, thousand_documents());
  BOOST_TEST(imp.code == 0);
  BOOST_TEST(imp.err.starts_with("\rimport ["), imp.err);
  BOOST_TEST(imp.err.find("100%") != std::string::npos);
  BOOST_TEST(imp.err.find("1000 docs") != std::string::npos);
  BOOST_TEST(imp.err.find("docs/s") != std::string::npos);
  BOOST_TEST(imp.err.find("ETA") != std::string::npos);
  BOOST_TEST(imp.err.ends_with("\nnosqlc: imported 1000, rejected 0\n"));

  auto exp = run_cli({"export"}, env);
  BOOST_TEST(json_lines(exp.out).size() == 1000u);  // the bar never goes to stdout
  BOOST_TEST(exp.err.starts_with("\rexport ["), exp.err);
  BOOST_TEST(exp.err.find("100%") != std::string::npos);

  auto quiet = run_cli({"--no-progress", "export"}, env);
  BOOST_TEST(quiet.err.empty());
}

BOOST_AUTO_TEST_CASE(bad_lines_clear_the_bar_first) {
  auto env = env_for(memory_client());
  env.err_is_terminal = true;
  auto r = run_cli({"--on-error", "skip", "import", "-"}, env, kMixed);
  BOOST_TEST(r.code == 0);
  // Each message starts on a blanked line: "\r<spaces>\rnosqlc: line N: ...".
  for (const char* msg : {"\rnosqlc: line 3: ", "\rnosqlc: line 4: ", "\rnosqlc: line 7: "})
    BOOST_TEST(r.err.find(msg) != std::string::npos, msg);
  BOOST_TEST(r.err.ends_with("\nnosqlc: imported 4, rejected 3\n"), r.err);
}

BOOST_AUTO_TEST_CASE(progress_render) {
  using nosqlc::cli::Progress;
  std::string half = Progress::render("import", 50, 500, 1000, 10.0);
  BOOST_TEST(half == "import [############------------]  50%  50 docs  5 docs/s  ETA 0:10");
  std::string open_ended = Progress::render("export", 42, 42, std::nullopt, 2.0);
  BOOST_TEST(open_ended == "export 42 docs  21 docs/s");
  std::string start = Progress::render("import", 0, 0, 1000, 0.0);
  BOOST_TEST(start.find("ETA --:--") != std::string::npos, start);
  std::string hours = Progress::render("import", 1, 1, 10000, 1.0);
  BOOST_TEST(hours.ends_with("ETA 2:46:39"), hours);
}

BOOST_AUTO_TEST_SUITE_END()
