// The Cassandra driver's Client: owns the CQL session (and, through it, its I/O threads).
#pragma once

#include "nosqlc/nosql/cassandra/url.hpp"
#include "nosqlc/nosql/client.hpp"

#include <nosqlc/protocol/client/session.hpp>

#include <memory>

namespace nosqlc::cassandra {

class CassandraClient final : public Client {
 public:
  CassandraClient(std::string url, CassandraUrl config, std::shared_ptr<protocol::Session> session);
  ~CassandraClient() override;

  protocol::Session& session() noexcept { return *session_; }
  std::shared_ptr<protocol::Session> shared_session() const noexcept { return session_; }
  Metrics metrics() const override;
  asio::awaitable<Trace> read_trace(std::string id, std::chrono::milliseconds max_wait) override;
  // For cursors, which must notice when the client is gone rather than wait on a stopped
  // I/O thread.
  std::weak_ptr<protocol::Session> weak_session() const noexcept { return session_; }
  const CassandraUrl& config() const noexcept { return config_; }
  // The session's strand: collections prepare their statements there.
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
