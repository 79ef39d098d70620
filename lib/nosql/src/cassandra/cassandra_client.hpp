// The Cassandra driver's Client: owns the I/O thread and the CQL session.
#pragma once

#include "nosqlc/nosql/cassandra/url.hpp"
#include "nosqlc/nosql/client.hpp"

#include <nosqlc/protocol/client/session.hpp>

#include <asio/io_context.hpp>

#include <memory>
#include <thread>

namespace nosqlc::cassandra {

// An io_context running on a thread of its own for the life of a client.
class Runtime {
 public:
  Runtime();
  ~Runtime();
  asio::any_io_executor executor() { return io_.get_executor(); }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
};

class CassandraClient final : public Client {
 public:
  CassandraClient(std::string url, CassandraUrl config, std::shared_ptr<Runtime> runtime,
                  std::shared_ptr<protocol::Session> session);
  ~CassandraClient() override;

  protocol::Session& session() noexcept { return *session_; }
  // For cursors, which must notice when the client is gone rather than wait on a stopped
  // I/O thread.
  std::weak_ptr<protocol::Session> weak_session() const noexcept { return session_; }
  const std::shared_ptr<Runtime>& runtime() const noexcept { return runtime_; }
  const CassandraUrl& config() const noexcept { return config_; }
  // The session's strand: collections keep their shared state there.
  asio::any_io_executor executor() const noexcept { return session_->get_executor(); }
  // Waits for schema agreement after a schema change when there are several nodes.
  asio::awaitable<void> after_schema_change();

 protected:
  std::unique_ptr<Collection> make_collection(std::string name) override;
  std::string normalize_name(std::string_view name) const override;
  asio::awaitable<std::vector<std::string>> do_collection_names() override;
  asio::awaitable<void> do_close() override;

 private:
  CassandraUrl config_;
  // Destroyed last: the session's I/O runs on it. Shared with the cursors, whose pagers hold
  // session state that must be released while its io_context still exists.
  std::shared_ptr<Runtime> runtime_;
  std::shared_ptr<protocol::Session> session_;
};

// Parses a stored `data` cell: the document, with "_id" set to `key`; nullopt when the cell is
// not a JSON object at most kMaxDocumentDepth deep.
std::optional<Document> parse_document(std::string_view key, std::string_view data);
// As parse_document, but throws unreadable_document (naming the key) instead of nullopt.
Document read_document(std::string_view key, std::string_view data);
// The message of that error.
std::string unreadable_message(std::string_view key);

}  // namespace nosqlc::cassandra
