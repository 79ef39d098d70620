#include "scan_rows.hpp"

#include "cassandra_client.hpp"
#include "cql_values.hpp"
#include "nosqlc/nosql/errors.hpp"

#include <nosqlc/protocol/cluster/murmur3.hpp>

namespace nosqlc::cassandra {

int column(const protocol::QueryResult& result, std::string_view name) {
  const auto& cols = result.columns();
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

void collect(const protocol::QueryResult& result, const protocol::RowsResult& rows,
             const filter::Ast& filter, std::vector<Document>& out, Unreadable& unreadable,
             std::vector<std::int64_t>* tokens, std::int64_t* last_token) {
  int pk = column(result, "pk");
  int data = column(result, "data");
  if (pk < 0 || data < 0) throw Error(errc::protocol_error, "rows without pk and data columns");
  for (auto row : rows.rows()) {
    auto key = row[static_cast<std::size_t>(pk)];
    if (key && last_token) *last_token = protocol::murmur3_token(*key);
    auto cell = row[static_cast<std::size_t>(data)];
    if (!key || !cell) continue;  // a row whose data is null holds no document
    auto doc = parse_document(as_text(*key), as_text(*cell));
    if (!doc) {
      if (!unreadable.skip)
        throw Error(errc::unreadable_document, unreadable_message(as_text(*key)));
      ++unreadable.skipped;
      continue;
    }
    if (filter::matches(filter, *doc)) {
      out.push_back(std::move(*doc));
      if (tokens) tokens->push_back(protocol::murmur3_token(*key));
    }
  }
}

std::shared_ptr<protocol::Session> alive(const std::weak_ptr<protocol::Session>& weak) {
  auto s = weak.lock();
  if (!s) throw Error(errc::client_closed, "the cursor's client was closed");
  return s;
}

}  // namespace nosqlc::cassandra
