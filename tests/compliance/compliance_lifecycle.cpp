// Client lifecycle cases: collections by name, closing, and what a closed client does.
#include "compliance_support.hpp"

#include <nosqlc/nosql/url.hpp>

namespace nosqlc::compliance::detail {
namespace {

asio::awaitable<void> get_collection_returns_same_instance(Context& ctx) {
  auto name = ctx.fresh_name();
  auto& c1 = ctx.collection(name);
  auto& c2 = ctx.collection(name);
  BOOST_TEST(&c1 == &c2);
  BOOST_TEST(&ctx.collection(ctx.fresh_name()) != &c1);
  co_return;
}

asio::awaitable<void> collections_are_separate(Context& ctx) {
  auto& a = ctx.collection(ctx.fresh_name());
  auto& b = ctx.collection(ctx.fresh_name());
  co_await a.store("k", R"({"in":"a"})"_doc);
  BOOST_TEST(!(co_await b.get("k")).has_value());
  co_await b.store("k", R"({"in":"b"})"_doc);
  BOOST_TEST((co_await a.get("k"))->at("in") == jv("a"));
  BOOST_TEST((co_await b.get("k"))->at("in") == jv("b"));
  BOOST_TEST((co_await find_all(a)).size() == 1u);
}

asio::awaitable<void> is_closed_false_for_open_client(Context& ctx) {
  BOOST_TEST(!ctx.client().is_closed());
  co_return;
}

asio::awaitable<void> close_marks_client_closed(Context& ctx) {
  co_await ctx.client().close();
  BOOST_TEST(ctx.client().is_closed());
}

asio::awaitable<void> close_twice_is_fine(Context& ctx) {
  co_await ctx.client().close();
  co_await ctx.client().close();
  BOOST_TEST(ctx.client().is_closed());
}

asio::awaitable<void> url_is_a_nosqlc_url(Context& ctx) {
  const auto& url = ctx.client().url();
  BOOST_TEST(!url.empty());
  BOOST_TEST(split_url(url).has_value(), "url() is not a nosqlc URL: " << url);
  co_await ctx.client().close();
  BOOST_TEST(ctx.client().url() == url);  // still known after close
}

asio::awaitable<void> invalid_collection_names_are_invalid_argument(Context& ctx) {
  const std::string names[] = {"",
                               "1abc",
                               "_abc",
                               "a-b",
                               "a b",
                               "a.b",
                               "a;drop",
                               "quote\"d",
                               std::string(49, 'a'),
                               "caf\xC3\xA9",
                               std::string("nul\0x", 5)};
  for (const auto& name : names) {
    expect_error_now([&] { ctx.client().get_collection(name); }, errc::invalid_argument,
                     "get_collection(\"" + name + "\")");
  }
  BOOST_TEST(!ctx.client().is_closed());
  co_return;
}

asio::awaitable<void> longest_valid_collection_name_is_usable(Context& ctx) {
  auto name = ctx.fresh_name(48);
  BOOST_TEST_REQUIRE(name.size() == 48u);
  auto& col = ctx.collection(name);
  co_await col.store("k", R"({"v":1})"_doc);
  BOOST_TEST((co_await col.get("k")).has_value());
}

asio::awaitable<void> closed_client_rejects_every_operation(Context& ctx) {
  auto& col = ctx.collection();
  co_await col.store("k", R"({"v":1})"_doc);
  co_await ctx.client().close();
  co_await expect_error(col.get("k"), errc::client_closed, "get");
  co_await expect_error(col.store("k", R"({"v":2})"_doc), errc::client_closed, "store");
  co_await expect_error(col.del("k"), errc::client_closed, "del");
  co_await expect_error(col.insert(R"({"v":3})"_doc), errc::client_closed, "insert");
  co_await expect_error(col.update("k", R"({"v":4})"_doc), errc::client_closed, "update");
  co_await expect_error(col.find(), errc::client_closed, "find");
  co_await expect_error(col.find(filter::Filter::where("v").eq(1)), errc::client_closed,
                        "find(Filter)");
  expect_error_now([&] { ctx.client().get_collection(col.name()); }, errc::client_closed,
                   "get_collection(existing)");
  expect_error_now([&] { ctx.client().get_collection(ctx.fresh_name()); }, errc::client_closed,
                   "get_collection(new)");
  // client_closed wins over argument checks: the client state is the first thing checked.
  expect_error_now([&] { ctx.client().get_collection("1bad"); }, errc::client_closed,
                   "get_collection(invalid)");
}

asio::awaitable<void> client_closed_error_is_fatal(Context& ctx) {
  auto& col = ctx.collection();
  co_await ctx.client().close();
  try {
    co_await col.get("k");
    BOOST_ERROR("get on a closed client succeeded");
  } catch (const Error& e) {
    BOOST_TEST(e.kind() == errc::client_closed);
    BOOST_TEST(e.is_fatal());
  }
}

asio::awaitable<void> closing_one_client_leaves_another_open(Context& ctx) {
  auto other = co_await ctx.open_client();
  auto name = ctx.fresh_name();
  co_await ctx.client().close();
  auto& col = other->get_collection(name);
  co_await col.store("k", R"({"v":1})"_doc);
  BOOST_TEST((co_await col.get("k")).has_value());
  co_await col.del("k");
}

}  // namespace

std::vector<Case> lifecycle_cases() {
  return {
      {"get_collection_returns_same_instance", get_collection_returns_same_instance},
      {"collections_are_separate", collections_are_separate},
      {"is_closed_false_for_open_client", is_closed_false_for_open_client},
      {"close_marks_client_closed", close_marks_client_closed},
      {"close_twice_is_fine", close_twice_is_fine},
      {"url_is_a_nosqlc_url", url_is_a_nosqlc_url},
      {"invalid_collection_names_are_invalid_argument",
       invalid_collection_names_are_invalid_argument},
      {"longest_valid_collection_name_is_usable", longest_valid_collection_name_is_usable},
      {"closed_client_rejects_every_operation", closed_client_rejects_every_operation},
      {"client_closed_error_is_fatal", client_closed_error_is_fatal},
      {"closing_one_client_leaves_another_open", closing_one_client_leaves_another_open},
  };
}

}  // namespace nosqlc::compliance::detail
