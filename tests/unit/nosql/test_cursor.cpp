#include <nosqlc/nosql/async.hpp>
#include <nosqlc/nosql/cursor.hpp>
#include <nosqlc/nosql/errors.hpp>

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

using nosqlc::block_on;
using nosqlc::Cursor;
using nosqlc::Document;
using nosqlc::errc;

namespace {

// What a FakeSource did, kept outside it because the cursor owns (and destroys) the source.
struct Log {
  int batches = 0;    // next_batch calls
  int closes = 0;     // close calls
  int destroyed = 0;  // destructor calls
};

// Yields the given batches in turn, then empty batches; optionally throws on one call.
class FakeSource final : public nosqlc::CursorSource {
 public:
  FakeSource(std::vector<std::vector<Document>> batches, std::shared_ptr<Log> log,
             int fail_on_call = -1)
      : batches_(std::move(batches)), log_(std::move(log)), fail_on_call_(fail_on_call) {}
  ~FakeSource() override { ++log_->destroyed; }
  asio::awaitable<std::vector<Document>> next_batch() override {
    int call = log_->batches++;
    if (call == fail_on_call_) throw nosqlc::Error(errc::connection_error, "connection lost");
    if (static_cast<std::size_t>(call) < batches_.size()) co_return batches_[call];
    co_return std::vector<Document>{};
  }
  asio::awaitable<void> close() override {
    ++log_->closes;
    co_return;
  }

 private:
  std::vector<std::vector<Document>> batches_;
  std::shared_ptr<Log> log_;
  int fail_on_call_;
};

// Batches of documents {"n": 0}, {"n": 1}, ... with the given sizes.
std::vector<std::vector<Document>> numbered(std::initializer_list<int> sizes) {
  std::vector<std::vector<Document>> out;
  int n = 0;
  for (int size : sizes) {
    out.emplace_back();
    for (int i = 0; i < size; ++i)
      out.back().push_back(Document{{"n", n++}});
  }
  return out;
}

Cursor make(std::initializer_list<int> sizes, std::shared_ptr<Log> log,
            std::optional<std::size_t> limit = std::nullopt) {
  return Cursor(std::make_unique<FakeSource>(numbered(sizes), std::move(log)), limit);
}

// The "n" of every document next() yields.
asio::awaitable<std::vector<std::int64_t>> drain(Cursor& c) {
  std::vector<std::int64_t> out;
  while (co_await c.next())
    out.push_back(c.document().at("n").as_int64());
  co_return out;
}

std::vector<std::int64_t> iota(int n) {
  std::vector<std::int64_t> v;
  for (int i = 0; i < n; ++i)
    v.push_back(i);
  return v;
}

errc error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nosqlc::Error& e) {
    return e.kind();
  }
  BOOST_FAIL("no nosqlc::Error thrown");
  return errc{};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cursor)

BOOST_AUTO_TEST_CASE(yields_every_document_across_batches_in_order) {
  auto log = std::make_shared<Log>();
  auto c = make({3, 1, 2}, log);
  BOOST_TEST(block_on(drain(c)) == iota(6));
  BOOST_TEST(log->batches == 4);  // three batches and the empty one that ends the cursor
  BOOST_TEST(log->closes == 1);   // released at the end
  BOOST_TEST(!block_on(c.next()));
  BOOST_TEST(log->batches == 4);  // nothing more asked of the source
  BOOST_TEST(log->closes == 1);
}

BOOST_AUTO_TEST_CASE(single_document_batches) {
  auto log = std::make_shared<Log>();
  auto c = make({1, 1, 1, 1, 1}, log);
  BOOST_TEST(block_on(drain(c)) == iota(5));
  BOOST_TEST(log->batches == 6);
}

BOOST_AUTO_TEST_CASE(empty_first_batch_means_no_documents) {
  auto log = std::make_shared<Log>();
  auto c = make({}, log);
  BOOST_TEST(!block_on(c.next()));
  BOOST_TEST(log->batches == 1);
  BOOST_TEST(log->closes == 1);
  BOOST_TEST(block_on(c.documents()).empty());
}

BOOST_AUTO_TEST_CASE(an_empty_batch_ends_the_cursor) {
  auto log = std::make_shared<Log>();
  auto c = make({2, 0, 3}, log);
  BOOST_TEST(block_on(drain(c)) == iota(2));
  BOOST_TEST(log->batches == 2);
}

BOOST_AUTO_TEST_CASE(limit_stops_early_without_fetching_more) {
  auto log = std::make_shared<Log>();
  auto c = make({3, 3, 3}, log, 4);
  BOOST_TEST(block_on(drain(c)) == iota(4));
  BOOST_TEST(log->batches == 2);  // the third batch is never requested
  BOOST_TEST(log->closes == 1);
}

BOOST_AUTO_TEST_CASE(limit_equal_to_a_batch_boundary) {
  auto log = std::make_shared<Log>();
  auto c = make({3, 3}, log, 3);
  BOOST_TEST(block_on(drain(c)) == iota(3));
  BOOST_TEST(log->batches == 1);
}

BOOST_AUTO_TEST_CASE(limit_zero_yields_nothing_and_fetches_nothing) {
  auto log = std::make_shared<Log>();
  auto c = make({3}, log, 0);
  BOOST_TEST(!block_on(c.next()));
  BOOST_TEST(log->batches == 0);
  BOOST_TEST(log->closes == 1);
}

BOOST_AUTO_TEST_CASE(limit_above_the_result_size) {
  auto log = std::make_shared<Log>();
  auto c = make({2, 2}, log, 100);
  BOOST_TEST(block_on(drain(c)) == iota(4));
}

BOOST_AUTO_TEST_CASE(close_releases_the_source_exactly_once) {
  auto log = std::make_shared<Log>();
  auto c = make({3, 3}, log);
  BOOST_TEST(block_on(c.next()));
  block_on(c.close());
  BOOST_TEST(c.is_closed());
  BOOST_TEST(log->closes == 1);
  BOOST_TEST(log->destroyed == 1);  // the source is freed, not just told
  block_on(c.close());
  BOOST_TEST(log->closes == 1);
}

BOOST_AUTO_TEST_CASE(close_after_end_does_not_close_again) {
  auto log = std::make_shared<Log>();
  auto c = make({1}, log);
  BOOST_TEST(block_on(drain(c)).size() == 1u);
  BOOST_TEST(log->closes == 1);
  block_on(c.close());
  BOOST_TEST(log->closes == 1);
}

BOOST_AUTO_TEST_CASE(destroying_an_open_cursor_frees_the_source) {
  auto log = std::make_shared<Log>();
  {
    auto c = make({3}, log);
    BOOST_TEST(block_on(c.next()));
  }
  BOOST_TEST(log->destroyed == 1);
}

BOOST_AUTO_TEST_CASE(next_after_close_is_invalid_state) {
  auto log = std::make_shared<Log>();
  auto c = make({3}, log);
  block_on(c.close());
  BOOST_TEST((error_of([&] { block_on(c.next()); }) == errc::invalid_state));
  BOOST_TEST((error_of([&] { block_on(c.documents()); }) == errc::invalid_state));
  BOOST_TEST(log->batches == 0);
}

BOOST_AUTO_TEST_CASE(document_requires_a_current_document) {
  auto log = std::make_shared<Log>();
  auto c = make({2}, log);
  BOOST_TEST((error_of([&] { (void)c.document(); }) == errc::invalid_state));
  BOOST_TEST(block_on(c.next()));
  BOOST_TEST(c.document().at("n") == 0);
  BOOST_TEST(c.document().at("n") == 0);  // stable until the next next()
  BOOST_TEST(block_on(c.next()));
  BOOST_TEST(c.document().at("n") == 1);
  BOOST_TEST(!block_on(c.next()));
  BOOST_TEST((error_of([&] { (void)c.document(); }) == errc::invalid_state));
  block_on(c.close());
  BOOST_TEST((error_of([&] { (void)c.document(); }) == errc::invalid_state));
}

BOOST_AUTO_TEST_CASE(documents_from_the_start_returns_all) {
  auto log = std::make_shared<Log>();
  auto c = make({2, 3}, log);
  auto docs = block_on(c.documents());
  BOOST_TEST_REQUIRE(docs.size() == 5u);
  for (int i = 0; i < 5; ++i)
    BOOST_TEST(docs[i].at("n") == i);
  BOOST_TEST(log->closes == 1);
  BOOST_TEST(block_on(c.documents()).empty());
}

BOOST_AUTO_TEST_CASE(documents_returns_those_after_the_current_one) {
  auto log = std::make_shared<Log>();
  auto c = make({2, 3}, log);
  BOOST_TEST(block_on(c.next()));
  BOOST_TEST(block_on(c.next()));  // current: n == 1
  auto rest = block_on(c.documents());
  BOOST_TEST_REQUIRE(rest.size() == 3u);
  BOOST_TEST(rest[0].at("n") == 2);
  BOOST_TEST(rest[2].at("n") == 4);
  BOOST_TEST((error_of([&] { (void)c.document(); }) == errc::invalid_state));
}

BOOST_AUTO_TEST_CASE(documents_respects_the_limit) {
  auto log = std::make_shared<Log>();
  auto c = make({2, 3}, log, 3);
  BOOST_TEST(block_on(c.next()));
  BOOST_TEST(block_on(c.documents()).size() == 2u);
}

BOOST_AUTO_TEST_CASE(source_errors_propagate) {
  auto log = std::make_shared<Log>();
  Cursor c(std::make_unique<FakeSource>(numbered({2, 2}), log, 1), std::nullopt);
  BOOST_TEST(block_on(c.next()));
  BOOST_TEST(block_on(c.next()));
  BOOST_TEST((error_of([&] { block_on(c.next()); }) == errc::connection_error));
  block_on(c.close());
  BOOST_TEST(log->closes == 1);
}

BOOST_AUTO_TEST_CASE(cursor_without_source_is_empty) {
  Cursor def;
  BOOST_TEST(!block_on(def.next()));
  Cursor c(nullptr);
  BOOST_TEST(!block_on(c.next()));
  BOOST_TEST(block_on(c.documents()).empty());
  block_on(c.close());
  BOOST_TEST(c.is_closed());
}

BOOST_AUTO_TEST_CASE(move_keeps_position_and_ownership) {
  auto log = std::make_shared<Log>();
  auto c = make({2, 2}, log);
  BOOST_TEST(block_on(c.next()));
  Cursor moved(std::move(c));
  BOOST_TEST(moved.document().at("n") == 0);
  Cursor assigned = make({}, std::make_shared<Log>());
  assigned = std::move(moved);
  BOOST_TEST(block_on(drain(assigned)) == (std::vector<std::int64_t>{1, 2, 3}));
  BOOST_TEST(log->closes == 1);
  BOOST_TEST(log->destroyed == 1);
}

BOOST_AUTO_TEST_SUITE_END()
