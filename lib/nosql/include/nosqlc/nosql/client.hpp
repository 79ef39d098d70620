// A session with one database, giving access to its collections.
#pragma once

#include "nosqlc/nosql/collection.hpp"
#include "nosqlc/nosql/driver.hpp"

#include <asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc {

// Thread-safe. Obtained from DriverManager::get_client or ClientDataSource::get_client.
class Client {
 public:
  virtual ~Client() = default;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // The collection `name`, created on first call and cached by name. Throws invalid_argument
  // unless `name` matches [A-Za-z][A-Za-z0-9_]{0,47} (a name every backend accepts), and
  // client_closed after close().
  Collection& get_collection(std::string_view name);
  // The names of the collections in the database, sorted: for Cassandra the tables of the
  // keyspace, for the memory driver those this client opened. Throws client_closed, and the
  // driver's connection and server errors.
  asio::awaitable<std::vector<std::string>> collection_names();
  // A snapshot of the client's counters: requests, errors by kind, retries, hosts with their
  // latencies (observability.hpp; write_prometheus formats it). All zero for a driver that
  // keeps none (the memory driver). Callable from any thread.
  virtual Metrics metrics() const { return {}; }
  // The trace `id` (from CallOptions::trace) as the database recorded it, waiting up to
  // `max_wait` for it to be complete. Throws unsupported_operation for a driver without
  // traces, invalid_argument for an id that is not one, timeout when it stays incomplete.
  virtual asio::awaitable<Trace> read_trace(
      std::string id, std::chrono::milliseconds max_wait = std::chrono::milliseconds(2000));
  // Closes the client and releases its connections. Later operations throw client_closed;
  // closing twice is a no-op.
  asio::awaitable<void> close();
  bool is_closed() const noexcept { return closed_.load(std::memory_order_acquire); }
  // The URL this client was opened with, as given (for messages: redact_url(url())).
  const std::string& url() const noexcept { return url_; }

  // Throws client_closed if the client is closed.
  void check_open() const;

 protected:
  explicit Client(std::string url) : url_(std::move(url)) {}
  // Makes the collection for a valid name. Called once per distinct (normalized) name.
  virtual std::unique_ptr<Collection> make_collection(std::string name) = 0;
  // The name under which the backend stores `name` (identity by default).
  virtual std::string normalize_name(std::string_view name) const { return std::string(name); }
  // The database's collection names; by default those opened through get_collection.
  virtual asio::awaitable<std::vector<std::string>> do_collection_names();
  // Destroys the cached collections now (a driver whose collections hold I/O objects calls it
  // from its destructor, before those objects' event loop goes away).
  void drop_collections() noexcept;
  // Releases driver resources; called once by close().
  virtual asio::awaitable<void> do_close() { co_return; }

 private:
  std::string url_;
  std::atomic<bool> closed_{false};
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Collection>, std::less<>> collections_;
};

// Opens clients from a fixed configuration (pynosqlc's ClientDataSource).
class ClientDataSource {
 public:
  ClientDataSource(std::string url, Properties properties = {});
  ClientDataSource(std::string url, std::string username, std::string password,
                   Properties properties = {});
  // A new client for the configured URL; throws as DriverManager::get_client.
  asio::awaitable<std::shared_ptr<Client>> get_client() const;
  const std::string& url() const noexcept { return url_; }
  // The properties passed to the driver, username and password included.
  const Properties& properties() const noexcept { return properties_; }

 private:
  std::string url_;
  Properties properties_;
};

}  // namespace nosqlc
