// A collection stored as one Cassandra table (pk text PRIMARY KEY, data text).
#pragma once

#include "nosqlc/nosql/collection.hpp"

#include <nosqlc/protocol/client/session.hpp>

#include <asio/steady_timer.hpp>

#include <atomic>
#include <memory>

namespace nosqlc::cassandra {

class CassandraClient;

class CassandraCollection final : public Collection {
 public:
  CassandraCollection(CassandraClient& client, std::string name);

  // The prepared statements of this collection, made once the table exists.
  struct Statements {
    protocol::PreparedPtr get, put, del, cas, select_in, scan_range;
  };

 protected:
  asio::awaitable<std::optional<Document>> do_get(std::string key,
                                                  const CallOptions& options) override;
  asio::awaitable<void> do_store(std::string key, Document doc,
                                 const CallOptions& options) override;
  asio::awaitable<void> do_del(std::string key, const CallOptions& options) override;
  asio::awaitable<void> do_insert(std::string key, Document doc,
                                  const CallOptions& options) override;
  asio::awaitable<void> do_update(std::string key, Document patch,
                                  const CallOptions& options) override;
  asio::awaitable<Cursor> do_find(const filter::Ast& filter, FindOptions options) override;

 private:
  // The table exists and the statements are prepared: at once from any thread once done;
  // before that, the first caller does the work on the session's strand, once per client, and
  // concurrent callers wait for it. Errors are nosqlc's.
  asio::awaitable<const Statements*> ready();
  asio::awaitable<const Statements*> prepare_once();  // on the strand
  asio::awaitable<std::shared_ptr<const Statements>> prepare_all();
  asio::awaitable<std::optional<Document>> get_now(std::string key, const CallOptions& options);
  asio::awaitable<void> store_now(std::string key, std::string data, const CallOptions& options);
  asio::awaitable<void> store_with_ttl(std::string key, std::string data,
                                       const CallOptions& options);
  asio::awaitable<void> del_now(std::string key, const CallOptions& options);
  asio::awaitable<void> update_now(std::string key, Document patch, const CallOptions& options);

  CassandraClient& cass_;
  std::string table_;                              // keyspace.name
  std::shared_ptr<const Statements> statements_;   // set once, on the strand
  std::atomic<const Statements*> ready_{nullptr};  // statements_, published to every thread
  bool preparing_ = false;
  std::unique_ptr<asio::steady_timer> prepared_signal_;
};

}  // namespace nosqlc::cassandra
