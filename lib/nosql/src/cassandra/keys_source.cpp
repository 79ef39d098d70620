#include "keys_source.hpp"

#include "call_options.hpp"
#include "cql_values.hpp"
#include "error_mapping.hpp"

#include <nosqlc/protocol/notations.hpp>

#include <algorithm>
#include <map>

namespace nosqlc::cassandra {
namespace {

namespace pr = nosqlc::protocol;

// Keys per `WHERE pk IN ?` query.
constexpr std::size_t kKeysPerQuery = 100;

// A list<text> value: [int] count, then each element as [bytes] (spec section 6.8).
pr::Bytes text_list(const std::vector<std::string>& items, std::size_t from, std::size_t to) {
  pr::Bytes out;
  pr::Writer w(out);
  w.i32(static_cast<std::int32_t>(to - from));
  for (std::size_t i = from; i < to; ++i)
    w.bytes(text(items[i]));
  return out;
}

}  // namespace

KeysSource::KeysSource(std::shared_ptr<pr::Session> session, const std::string& keyspace,
                       pr::PreparedPtr select_in, std::vector<std::string> keys, filter::Ast filter,
                       bool skip_unreadable, pr::StatementOptions base, TraceIds* trace)
    : session_(session),
      select_in_(std::move(select_in)),
      filter_(std::move(filter)),
      base_(std::move(base)),
      trace_(trace) {
  unreadable_.skip = skip_unreadable;
  const std::string local = session->local_dc();
  std::map<std::string, std::vector<std::string>> groups;  // by first local replica
  for (std::string& k : keys) {
    std::string first;
    for (const auto& h : session->replicas(keyspace, text(k))) {
      if (local.empty() || h.dc == local) {
        first = h.address;
        break;
      }
    }
    groups[first].push_back(std::move(k));
  }
  for (auto& [replica, members] : groups) {
    for (std::size_t from = 0; from < members.size(); from += kKeysPerQuery) {
      const std::size_t to = std::min(members.size(), from + kKeysPerQuery);
      chunks_.emplace_back(keys_.size() + from, keys_.size() + to);
    }
    for (std::string& k : members)
      keys_.push_back(std::move(k));
  }
}

asio::awaitable<std::vector<Document>> KeysSource::next_batch() {
  std::vector<Document> out;
  while (out.empty() && next_ < chunks_.size()) {
    const auto [from, to] = chunks_[next_++];
    pr::Bytes list = text_list(keys_, from, to);
    pr::StatementOptions o = base_;
    o.page_size = 0;  // at most kKeysPerQuery rows
    const auto first = text(keys_[from]);
    o.routing_key.emplace(first.begin(), first.end());
    auto session = alive(session_);
    auto r = co_await translated(session->execute(select_in_, values(pr::BytesView(list)), o));
    note_trace(trace_, r);
    if (const auto* rows = r.rows()) collect(r, *rows, filter_, out, unreadable_);
  }
  co_return out;
}

}  // namespace nosqlc::cassandra
