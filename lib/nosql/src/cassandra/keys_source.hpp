// A find restricted to known keys: `WHERE pk IN ?`, a chunk of keys per batch. Internal to
// the driver.
#pragma once

#include "nosqlc/nosql/collection.hpp"
#include "nosqlc/nosql/cursor.hpp"
#include "scan_rows.hpp"

#include <nosqlc/filter/filter.hpp>
#include <nosqlc/protocol/client/session.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nosqlc::cassandra {

// Keys are grouped by their first replica in the local DC, a chunk never spans two groups, and
// each chunk is routed by its first key: every IN query then goes to a replica of all its keys.
// `base`: the find's statement options (consistency, tracing); trace ids go to `trace`.
class KeysSource final : public CursorSource {
 public:
  KeysSource(std::shared_ptr<protocol::Session> session, const std::string& keyspace,
             protocol::PreparedPtr select_in, std::vector<std::string> keys, filter::Ast filter,
             bool skip_unreadable, protocol::StatementOptions base, TraceIds* trace);

  asio::awaitable<std::vector<Document>> next_batch() override;
  std::size_t skipped() const noexcept override { return unreadable_.skipped; }

 private:
  std::weak_ptr<protocol::Session> session_;
  protocol::PreparedPtr select_in_;
  std::vector<std::string> keys_;                            // grouped by replica
  std::vector<std::pair<std::size_t, std::size_t>> chunks_;  // [from, to) of keys_
  filter::Ast filter_;
  protocol::StatementOptions base_;
  TraceIds* trace_;
  Unreadable unreadable_;
  std::size_t next_ = 0;
};

}  // namespace nosqlc::cassandra
