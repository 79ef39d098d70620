// Reading the (pk, data) rows of a find's pages into documents. Internal to the driver.
#pragma once

#include "nosqlc/nosql/document.hpp"

#include <nosqlc/filter/filter.hpp>
#include <nosqlc/protocol/client/session.hpp>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace nosqlc::cassandra {

// What a scan does with a row it cannot read, and how many it passed over.
struct Unreadable {
  bool skip = false;
  std::size_t skipped = 0;
};

// The index of the column named `name` among the result's columns, or -1.
int column(const protocol::QueryResult& result, std::string_view name);

// Appends the documents of a page of (pk, data) rows that match `filter`; with `tokens`, the
// Murmur3 token of each document appended, and in `last_token` that of the page's last row
// (matching or not). Throws unreadable_document (unless skipped) and protocol_error for rows
// without pk and data columns.
void collect(const protocol::QueryResult& result, const protocol::RowsResult& rows,
             const filter::Ast& filter, std::vector<Document>& out, Unreadable& unreadable,
             std::vector<std::int64_t>* tokens = nullptr, std::int64_t* last_token = nullptr);

// The session of a cursor's client, or client_closed once the client is gone.
std::shared_ptr<protocol::Session> alive(const std::weak_ptr<protocol::Session>& weak);

}  // namespace nosqlc::cassandra
