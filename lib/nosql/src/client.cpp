#include "nosqlc/nosql/client.hpp"

#include "nosqlc/nosql/driver_manager.hpp"
#include "nosqlc/nosql/errors.hpp"
#include "nosqlc/nosql/url.hpp"

#include <cctype>

namespace nosqlc {
namespace {

bool valid_collection_name(std::string_view name) {
  if (name.empty() || name.size() > 48) return false;
  if (!std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '_') || u >= 0x80) return false;
  }
  return true;
}

}  // namespace

void Client::check_open() const {
  if (is_closed())
    throw Error(errc::client_closed, "the client of " + redact_url(url_) + " was closed");
}

Collection& Client::get_collection(std::string_view name) {
  check_open();
  if (!valid_collection_name(name)) {
    throw Error(errc::invalid_argument, "invalid collection name \"" + std::string(name) +
                                            "\": must match [A-Za-z][A-Za-z0-9_]{0,47}");
  }
  std::string key = normalize_name(name);
  std::lock_guard lock(mutex_);
  auto it = collections_.find(key);
  if (it == collections_.end()) {
    it = collections_.emplace(key, make_collection(key)).first;
  }
  return *it->second;
}

asio::awaitable<std::vector<std::string>> Client::collection_names() {
  check_open();
  co_return co_await do_collection_names();
}

asio::awaitable<std::vector<std::string>> Client::do_collection_names() {
  std::vector<std::string> names;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, col] : collections_)
      names.push_back(name);
  }
  co_return names;  // the map keeps them sorted
}

void Client::drop_collections() noexcept {
  std::lock_guard lock(mutex_);
  collections_.clear();
}

asio::awaitable<void> Client::close() {
  if (closed_.exchange(true, std::memory_order_acq_rel)) co_return;
  co_await do_close();
}

// A coroutine (hence the co_return), so that the error comes when it is awaited, as every
// other operation's does.
asio::awaitable<Trace> Client::read_trace(std::string, std::chrono::milliseconds) {
  if (!is_closed()) {
    throw Error(errc::unsupported_operation, "read_trace() is not supported by this driver");
  }
  check_open();
  co_return Trace{};
}

ClientDataSource::ClientDataSource(std::string url, Properties properties)
    : url_(std::move(url)), properties_(std::move(properties)) {}

ClientDataSource::ClientDataSource(std::string url, std::string username, std::string password,
                                   Properties properties)
    : url_(std::move(url)), properties_(std::move(properties)) {
  properties_["username"] = std::move(username);
  properties_["password"] = std::move(password);
}

asio::awaitable<std::shared_ptr<Client>> ClientDataSource::get_client() const {
  co_return co_await DriverManager::get_client(url_, properties_);
}

}  // namespace nosqlc
