#include "nosqlc/protocol/cluster/hosts.hpp"

#include "../row_cells.hpp"
#include "nosqlc/protocol/values.hpp"

#include <charconv>
#include <cstdio>
#include <set>

namespace nosqlc::protocol {
namespace {

using namespace cells;

// set<text> of decimal tokens; nullopt when unreadable.
std::optional<std::vector<std::int64_t>> tokens_of(const Row& row, int index) {
  auto c = cell(row, index);
  if (!c) return std::vector<std::int64_t>{};
  std::vector<BytesView> elements;
  if (!decode_collection(*c, elements).ok()) return std::nullopt;
  std::vector<std::int64_t> tokens;
  tokens.reserve(elements.size());
  for (auto e : elements) {
    const auto* p = reinterpret_cast<const char*>(e.data());
    std::int64_t t = 0;
    auto [end, ec] = std::from_chars(p, p + e.size(), t);
    if (ec != std::errc() || end != p + e.size()) return std::nullopt;
    tokens.push_back(t);
  }
  return tokens;
}

bool unspecified(const std::string& a) {
  return a == "0.0.0.0" || a == "::";
}

}  // namespace

std::string address_text(const std::vector<std::uint8_t>& b) {
  char buf[48];
  if (b.size() == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return buf;
  }
  if (b.size() != 16) return {};
  std::uint16_t w[8];
  for (int i = 0; i < 8; ++i)
    w[i] = static_cast<std::uint16_t>(b[2 * i] << 8 | b[2 * i + 1]);
  // RFC 5952: the longest run of two or more zero groups (the first of equals) becomes "::".
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (w[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && w[j] == 0)
      ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", w[i]);
    out += buf;
  }
  return out;
}

Discovered read_hosts(const RowsResult& local, const std::vector<ColumnSpec>& local_columns,
                      const RowsResult& peers, const std::vector<ColumnSpec>& peer_columns,
                      const std::string& reached_address, std::uint16_t reached_port) {
  Discovered d;
  std::set<std::pair<std::string, std::uint16_t>> seen;
  {
    Columns col(local_columns);
    HostInfo h;
    // The node reached is where the connection went, whatever it advertises.
    h.address = reached_address;
    h.port = reached_port;
    if (!local.rows().empty()) {
      Row row = *local.rows().begin();
      h.dc = text_of(row, col("data_center"));
      h.rack = text_of(row, col("rack"));
      h.host_id = uuid_of(row, col("host_id"));
      h.release_version = text_of(row, col("release_version"));
      h.schema_version = uuid_of(row, col("schema_version"));
      d.partitioner = text_of(row, col("partitioner"));
      auto tokens = tokens_of(row, col("tokens"));
      if (tokens) h.tokens = std::move(*tokens);
    }
    seen.insert({h.address, h.port});
    d.hosts.push_back(std::move(h));
  }
  Columns col(peer_columns);
  const int native_address = col("native_address");
  const int rpc_address = native_address >= 0 ? native_address : col("rpc_address");
  for (Row row : peers.rows()) {
    const std::string peer = inet_of(row, col("peer"));
    HostInfo h;
    h.address = inet_of(row, rpc_address);
    if (h.address.empty() || unspecified(h.address)) h.address = peer;
    const std::string name = peer.empty() ? h.address : peer;
    if (h.address.empty() || unspecified(h.address)) {
      d.skipped.push_back("peer " + (name.empty() ? std::string("?") : name) +
                          ": no usable address");
      continue;
    }
    auto port = int_of(row, col("native_port"));
    if (col("native_port") >= 0 && (!port || *port <= 0 || *port > 65535)) {
      d.skipped.push_back("peer " + name + ": no usable native_port");
      continue;
    }
    h.port = port ? static_cast<std::uint16_t>(*port) : reached_port;
    auto tokens = tokens_of(row, col("tokens"));
    if (!tokens || tokens->empty()) {
      d.skipped.push_back("peer " + name + (tokens ? ": no tokens" : ": unreadable tokens"));
      continue;
    }
    if (!seen.insert({h.address, h.port}).second) {
      d.skipped.push_back("peer " + name + ": listed twice");
      continue;
    }
    h.tokens = std::move(*tokens);
    h.dc = text_of(row, col("data_center"));
    h.rack = text_of(row, col("rack"));
    h.host_id = uuid_of(row, col("host_id"));
    h.release_version = text_of(row, col("release_version"));
    h.schema_version = uuid_of(row, col("schema_version"));
    d.hosts.push_back(std::move(h));
  }
  return d;
}

std::map<std::string, Replication> read_keyspaces(const RowsResult& rows,
                                                  const std::vector<ColumnSpec>& columns) {
  Columns col(columns);
  const int name = col("keyspace_name");
  const int replication = col("replication");
  std::map<std::string, Replication> out;
  for (Row row : rows.rows()) {
    std::string ks = text_of(row, name);
    auto options = text_map_of(row, replication);
    if (ks.empty() || !options) continue;
    out.emplace(std::move(ks), Replication::from_map(*options));
  }
  return out;
}

}  // namespace nosqlc::protocol
