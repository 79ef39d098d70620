#include "compliance_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/tree/test_unit.hpp>

#include <atomic>
#include <cstdio>
#include <exception>
#include <random>

namespace nosqlc::compliance {
namespace detail {
namespace {

// Random per process so that runs against a database that keeps its tables never meet
// the previous run's documents.
const std::string& run_token() {
  static const std::string token = [] {
    std::random_device rd;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06x", static_cast<unsigned>(rd() & 0xFFFFFF));
    return std::string(buf);
  }();
  return token;
}

std::atomic<unsigned> name_counter{0};

}  // namespace

std::string Context::fresh_name(std::size_t length) {
  std::string name = "cpl" + run_token() + "_" + std::to_string(++name_counter);
  if (name.size() < length) name.append(length - name.size(), 'x');
  return name;
}

Collection& Context::collection(const std::string& name) {
  if (std::find(used_.begin(), used_.end(), name) == used_.end()) used_.push_back(name);
  return client_->get_collection(name);
}

Collection& Context::collection() {
  if (main_name_.empty()) main_name_ = fresh_name();
  return collection(main_name_);
}

asio::awaitable<std::shared_ptr<Client>> Context::open_client() {
  auto client = co_await factory_();
  extra_clients_.push_back(client);
  co_return client;
}

asio::awaitable<void> Context::teardown() noexcept {
  try {
    if (!used_.empty()) {
      // A case that closed its client leaves its documents to a fresh one.
      auto cleaner = client_;
      if (cleaner->is_closed()) cleaner = co_await open_client();
      for (const auto& name : used_) {
        auto& col = cleaner->get_collection(name);
        auto docs = co_await find_all(col);
        for (const auto& doc : docs) {
          if (auto* id = doc.if_contains("_id"); id && id->is_string()) {
            co_await col.del(std::string_view(id->get_string()));
          }
        }
      }
    }
  } catch (const std::exception& e) {
    BOOST_TEST_MESSAGE("compliance cleanup failed: " << e.what());
  }
  extra_clients_.push_back(client_);
  for (auto& c : extra_clients_) {
    try {
      co_await c->close();
    } catch (const std::exception& e) {
      BOOST_TEST_MESSAGE("compliance close failed: " << e.what());
    }
  }
}

void expect_error_now(const std::function<void()>& op, errc code, std::string_view what) {
  std::error_code got;
  std::string message = "success";
  try {
    op();
  } catch (const std::system_error& e) {
    got = e.code();
    message = e.code().message() + " (" + e.what() + ")";
  }
  BOOST_CHECK_MESSAGE(got == make_error_code(code), what << ": expected "
                                                         << make_error_code(code).message()
                                                         << ", got " << message);
}

std::vector<std::string> sorted_ids(const std::vector<Document>& docs) {
  std::vector<std::string> ids;
  for (const auto& d : docs) {
    auto* id = d.if_contains("_id");
    ids.push_back(id && id->is_string() ? std::string(id->get_string()) : "<none>");
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

asio::awaitable<std::vector<Document>> find_all(Collection& col, const filter::Ast& filter,
                                                FindOptions options) {
  auto cursor = co_await col.find(filter, options);
  auto docs = co_await cursor.documents();
  co_await cursor.close();
  co_return docs;
}

asio::awaitable<std::vector<Document>> find_all(Collection& col, const filter::Filter& filter,
                                                FindOptions options) {
  auto cursor = co_await col.find(filter, options);
  auto docs = co_await cursor.documents();
  co_await cursor.close();
  co_return docs;
}

Document operator""_doc(const char* text, std::size_t size) {
  return boost::json::parse(std::string_view(text, size)).as_object();
}

Document without_id(Document doc) {
  doc.erase("_id");
  return doc;
}

namespace {

// Gives the case a fresh client, and always tears down, also when the case failed.
asio::awaitable<void> run_case(ClientFactory factory, CaseFn fn) {
  auto client = co_await factory();
  BOOST_REQUIRE_MESSAGE(client != nullptr, "the client factory returned no client");
  BOOST_REQUIRE_MESSAGE(!client->is_closed(), "the client factory returned a closed client");
  Context ctx(std::move(client), std::move(factory));
  std::exception_ptr failure;
  try {
    co_await fn(ctx);
  } catch (...) {
    failure = std::current_exception();
  }
  co_await ctx.teardown();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace
}  // namespace detail

void register_compliance_suite(const std::string& driver_name, ClientFactory factory) {
  namespace ut = boost::unit_test;
  struct Area {
    const char* name;
    std::vector<detail::Case> cases;
  };
  const Area areas[] = {
      {"kv", detail::kv_cases()},
      {"document", detail::document_cases()},
      {"lifecycle", detail::lifecycle_cases()},
      {"find", detail::find_cases()},
      {"filter", detail::filter_cases()},
      {"cursor", detail::cursor_cases()},
      {"concurrency", detail::concurrency_cases()},
  };
  auto* suite = new ut::test_suite("compliance_" + driver_name, __FILE__, __LINE__);
  for (const auto& area : areas) {
    auto* sub = new ut::test_suite(area.name, __FILE__, __LINE__);
    for (const auto& c : area.cases) {
      auto body = [factory, fn = c.run] { block_on(detail::run_case(factory, fn)); };
      sub->add(ut::make_test_case(body, c.name, __FILE__, __LINE__));
    }
    suite->add(sub);
  }
  ut::framework::master_test_suite().add(suite);
}

}  // namespace nosqlc::compliance
