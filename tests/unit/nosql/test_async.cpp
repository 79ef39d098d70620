#include <nosqlc/nosql/async.hpp>
#include <nosqlc/nosql/client.hpp>
#include <nosqlc/nosql/driver_manager.hpp>
#include <nosqlc/nosql/memory.hpp>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <future>
#include <stdexcept>
#include <string>
#include <thread>

using nosqlc::errc;
using nosqlc::Error;

namespace {

asio::awaitable<int> answer() {
  // Suspends once, so that results really cross an event-loop turn.
  co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
  co_return 42;
}

asio::awaitable<int> fails(errc code) {
  co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
  throw Error(code, "failed on purpose");
}

asio::awaitable<void> nothing(int& ran) {
  ++ran;
  co_return;
}

asio::awaitable<void> fails_void() {
  throw Error(errc::timeout, "too slow");
  co_return;
}

asio::awaitable<int> throws_other() {
  throw std::logic_error("not a system_error");
  co_return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(async)

BOOST_AUTO_TEST_CASE(async_run_with_callback) {
  asio::io_context io;
  int value = 0;
  bool called = false;
  nosqlc::async_run(io.get_executor(), answer(), [&](std::exception_ptr e, int v) {
    called = true;
    BOOST_TEST(!e);
    value = v;
  });
  BOOST_TEST(!called);  // nothing runs before the loop does
  io.run();
  BOOST_TEST(called);
  BOOST_TEST(value == 42);
}

BOOST_AUTO_TEST_CASE(async_run_callback_receives_the_error) {
  asio::io_context io;
  std::exception_ptr error;
  nosqlc::async_run(io.get_executor(), fails(errc::conflict),
                    [&](std::exception_ptr e, int) { error = e; });
  io.run();
  BOOST_TEST_REQUIRE(static_cast<bool>(error));
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    BOOST_TEST((e.kind() == errc::conflict));
  }
}

BOOST_AUTO_TEST_CASE(async_run_void_with_callback) {
  asio::io_context io;
  int ran = 0;
  int completions = 0;
  nosqlc::async_run(io.get_executor(), nothing(ran), [&](std::exception_ptr e) {
    BOOST_TEST(!e);
    ++completions;
  });
  io.run();
  BOOST_TEST(ran == 1);
  BOOST_TEST(completions == 1);
}

BOOST_AUTO_TEST_CASE(async_run_with_use_future) {
  asio::io_context io;
  std::future<int> ok = nosqlc::async_run(io.get_executor(), answer(), asio::use_future);
  std::future<int> bad =
      nosqlc::async_run(io.get_executor(), fails(errc::timeout), asio::use_future);
  io.run();
  BOOST_TEST(ok.get() == 42);
  try {
    bad.get();
    BOOST_ERROR("the future did not rethrow");
  } catch (const Error& e) {
    BOOST_TEST((e.code() == errc::timeout));
  }
}

BOOST_AUTO_TEST_CASE(async_run_with_use_future_from_another_thread) {
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::thread loop([&] { io.run(); });
  auto fut = nosqlc::async_run(io.get_executor(), answer(), asio::use_future);
  BOOST_TEST(fut.get() == 42);
  work.reset();
  loop.join();
}

BOOST_AUTO_TEST_CASE(attempt_gives_value_or_error_code) {
  auto ok = nosqlc::block_on(nosqlc::attempt(answer()));
  BOOST_TEST(static_cast<bool>(ok));
  BOOST_TEST(!ok.error);
  BOOST_TEST_REQUIRE(ok.value.has_value());
  BOOST_TEST(*ok.value == 42);

  auto bad = nosqlc::block_on(nosqlc::attempt(fails(errc::document_not_found)));
  BOOST_TEST(!static_cast<bool>(bad));
  BOOST_TEST((bad.error == errc::document_not_found));
  BOOST_TEST(bad.message.find("failed on purpose") != std::string::npos, bad.message);
  BOOST_TEST(!bad.value.has_value());
}

BOOST_AUTO_TEST_CASE(attempt_void) {
  int ran = 0;
  auto ok = nosqlc::block_on(nosqlc::attempt(nothing(ran)));
  BOOST_TEST(static_cast<bool>(ok));
  BOOST_TEST(ran == 1);
  auto bad = nosqlc::block_on(nosqlc::attempt(fails_void()));
  BOOST_TEST((bad.error == errc::timeout));
  BOOST_TEST(bad.message.find("too slow") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(attempt_lets_other_exceptions_through) {
  BOOST_CHECK_THROW(nosqlc::block_on(nosqlc::attempt(throws_other())), std::logic_error);
}

BOOST_AUTO_TEST_CASE(attempt_on_a_real_operation) {
  auto client = nosqlc::block_on(nosqlc::DriverManager::get_client("nosqlc:memory:"));
  auto& col = client->get_collection("c");
  auto out = nosqlc::block_on(nosqlc::attempt(col.update("missing", {{"a", 1}})));
  BOOST_TEST((out.error == errc::document_not_found));
  auto got = nosqlc::block_on(nosqlc::attempt(col.get("missing")));
  BOOST_TEST(static_cast<bool>(got));
  BOOST_TEST_REQUIRE(got.value.has_value());
  BOOST_TEST(!got.value->has_value());  // success, and no document
}

BOOST_AUTO_TEST_CASE(block_on_returns_and_rethrows) {
  BOOST_TEST(nosqlc::block_on(answer()) == 42);
  int ran = 0;
  nosqlc::block_on(nothing(ran));
  BOOST_TEST(ran == 1);
  try {
    nosqlc::block_on(fails(errc::invalid_state));
    BOOST_ERROR("block_on did not rethrow");
  } catch (const Error& e) {
    BOOST_TEST((e.kind() == errc::invalid_state));
  }
  BOOST_CHECK_THROW(nosqlc::block_on(throws_other()), std::logic_error);
}

BOOST_AUTO_TEST_CASE(find_runs_through_block_on_and_use_future) {
  // co_spawn needs a default-constructible result type, Cursor included.
  auto client = nosqlc::block_on(nosqlc::DriverManager::get_client("nosqlc:memory:"));
  auto& col = client->get_collection("c");
  nosqlc::block_on(col.store("k", {{"a", 1}}));
  auto cursor = nosqlc::block_on(col.find());
  BOOST_TEST(nosqlc::block_on(cursor.documents()).size() == 1u);
  asio::io_context io;
  auto fut = nosqlc::async_run(io.get_executor(), col.find(), asio::use_future);
  io.run();
  auto second = fut.get();
  BOOST_TEST(nosqlc::block_on(second.documents()).size() == 1u);
}

BOOST_AUTO_TEST_CASE(operations_copy_their_arguments_before_running) {
  // An awaitable may be awaited long after the call (e.g. collected and run concurrently):
  // it must not read the caller's key or filter at that point.
  auto client = nosqlc::block_on(nosqlc::DriverManager::get_client("nosqlc:memory:"));
  auto& col = client->get_collection("c");
  std::string key = "first";
  auto store = col.store(key, {{"a", 1}});
  key = "changed-before-the-store-ran";
  nosqlc::block_on(std::move(store));
  BOOST_TEST(nosqlc::block_on(col.get("first")).has_value());
  BOOST_TEST(!nosqlc::block_on(col.get("changed-before-the-store-ran")).has_value());

  key = "first";
  auto update = col.update(key, {{"b", 2}});
  auto get = col.get(key);
  key = "zzzzz";
  nosqlc::block_on(std::move(update));
  auto got = nosqlc::block_on(std::move(get));
  BOOST_TEST_REQUIRE(got.has_value());
  BOOST_TEST(got->at("b") == 2);

  auto ast = nosqlc::filter::Filter::where("a").eq(1).build();
  auto find = col.find(ast);
  ast = nosqlc::filter::Filter::where("a").eq(999).build();
  auto cursor = nosqlc::block_on(std::move(find));
  BOOST_TEST(nosqlc::block_on(cursor.documents()).size() == 1u);

  auto del = col.del(key = "first");
  key = "zzzzz";
  nosqlc::block_on(std::move(del));
  BOOST_TEST(!nosqlc::block_on(col.get("first")).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
