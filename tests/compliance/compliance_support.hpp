// What the compliance cases share: the per-case context and assertion helpers.
#pragma once

#include "compliance.hpp"

#include <nosqlc/filter/filter.hpp>
#include <nosqlc/nosql/async.hpp>
#include <nosqlc/nosql/collection.hpp>
#include <nosqlc/nosql/errors.hpp>

#include <boost/json/object.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::compliance::detail {

// One case's view of the driver: its client and the collections it created.
class Context {
 public:
  Context(std::shared_ptr<Client> client, ClientFactory factory)
      : client_(std::move(client)), factory_(std::move(factory)) {}

  Client& client() { return *client_; }
  const std::shared_ptr<Client>& client_ptr() const { return client_; }
  // The case's main collection, with a name unique to this case and run.
  Collection& collection();
  // A new name unique to this run; used through collection(name) it is cleaned at teardown.
  std::string fresh_name(std::size_t length = 0);
  // get_collection(name) on the case's client, remembering `name` for cleanup.
  Collection& collection(const std::string& name);
  // Another client from the factory, closed at teardown.
  asio::awaitable<std::shared_ptr<Client>> open_client();

  // Deletes the documents of every collection the case used and closes its clients.
  // Never throws: cleanup trouble must not hide the case's own result.
  asio::awaitable<void> teardown() noexcept;

 private:
  std::shared_ptr<Client> client_;
  ClientFactory factory_;
  std::string main_name_;
  std::vector<std::string> used_;
  std::vector<std::shared_ptr<Client>> extra_clients_;
};

using CaseFn = asio::awaitable<void> (*)(Context&);
struct Case {
  const char* name;
  CaseFn run;
};

std::vector<Case> kv_cases();
std::vector<Case> document_cases();
std::vector<Case> find_cases();
std::vector<Case> filter_cases();
std::vector<Case> cursor_cases();
std::vector<Case> lifecycle_cases();
std::vector<Case> concurrency_cases();

// Checks that `op` fails with `code`; `what` names the operation in the failure message.
template <class T>
asio::awaitable<void> expect_error(asio::awaitable<T> op, errc code, std::string_view what) {
  auto out = co_await attempt(std::move(op));
  BOOST_CHECK_MESSAGE(out.error == make_error_code(code),
                      what << ": expected " << make_error_code(code).message() << ", got "
                           << (out.error ? out.error.message() + " (" + out.message + ")"
                                         : std::string("success")));
}

// The synchronous counterpart of expect_error.
void expect_error_now(const std::function<void()>& op, errc code, std::string_view what);

// The "_id" of each document, sorted; "<none>" for a document without a string _id.
std::vector<std::string> sorted_ids(const std::vector<Document>& docs);

// Runs find and drains the cursor.
asio::awaitable<std::vector<Document>> find_all(Collection& col, const filter::Ast& filter = {},
                                                FindOptions options = {});
// The same through find's builder overload.
asio::awaitable<std::vector<Document>> find_all(Collection& col, const filter::Filter& filter,
                                                FindOptions options = {});

// Stores pynosqlc's five find documents f1..f5 (Alice, Bob, Charlie, Dana, Eve).
asio::awaitable<void> seed_find_documents(Collection& col);

// A document from JSON text (throws unless it is an object). The cases write documents this
// way because GCC 12 cannot compile a braced initializer list inside an expression that
// contains co_await ("array used as initializer").
Document operator""_doc(const char* text, std::size_t size);

// Expected keys, sorted as sorted_ids() sorts (a variadic call for the same GCC reason).
template <class... S>
std::vector<std::string> keys(const S&... s) {
  std::vector<std::string> out{std::string(s)...};
  std::sort(out.begin(), out.end());
  return out;
}

// A JSON value to compare with in BOOST_TEST, which cannot hold a string literal operand.
inline boost::json::value jv(std::string_view s) {
  return boost::json::value(s);
}

// `doc` without its "_id", to compare with what was stored.
Document without_id(Document doc);

}  // namespace nosqlc::compliance::detail
