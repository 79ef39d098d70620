#include "nosqlc/protocol/cluster/router.hpp"

#include <algorithm>

namespace nosqlc::protocol {

Router::Router(std::vector<HostInfo> hosts, std::map<std::string, Replication> keyspaces,
               RoutingPolicy policy)
    : hosts_(std::move(hosts)), policy_(std::move(policy)) {
  // Distances: the filter first, then the local DC, then the first few of each remote DC
  // (in address order, so that every session of a process picks the same ones).
  std::vector<std::uint32_t> order(hosts_.size());
  for (std::uint32_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) {
    return std::tie(hosts_[a].address, hosts_[a].port) <
           std::tie(hosts_[b].address, hosts_[b].port);
  });
  distance_.assign(hosts_.size(), Distance::ignored);
  std::map<std::string, std::size_t> remote_taken;
  for (auto i : order) {
    const auto& h = hosts_[i];
    if (policy_.host_filter && !policy_.host_filter(h)) continue;
    if (policy_.local_dc.empty() || h.dc == policy_.local_dc) {
      distance_[i] = Distance::local;
      local_.push_back(i);
    } else if (remote_taken[h.dc] < policy_.remote_hosts_per_dc) {
      ++remote_taken[h.dc];
      distance_[i] = Distance::remote;
      remote_.push_back(i);
    }
  }
  // One replica table per distinct replication: keyspaces mostly share a few.
  std::vector<TokenNode> nodes;
  nodes.reserve(hosts_.size());
  for (const auto& h : hosts_)
    nodes.push_back({h.dc, h.rack, h.tokens});
  TokenMap map(std::move(nodes));
  std::vector<std::pair<Replication, const ReplicaTable*>> built;
  for (const auto& entry : keyspaces) {
    // Not a structured binding: clang 14 cannot capture one in the lambda below.
    const std::string& name = entry.first;
    const Replication& replication = entry.second;
    if (replication.kind != Replication::Kind::simple &&
        replication.kind != Replication::Kind::network_topology) {
      continue;
    }
    auto same = std::find_if(built.begin(), built.end(),
                             [&](const auto& b) { return b.first == replication; });
    auto& table = tables_[name];
    if (same != built.end()) {
      table = *same->second;
    } else {
      table = ReplicaTable(map, replication);
      built.emplace_back(replication, &table);
    }
  }
}

std::span<const std::uint32_t> Router::replicas(std::string_view keyspace,
                                                std::int64_t token) const {
  auto it = tables_.find(keyspace);
  if (it == tables_.end()) return {};
  return it->second.replicas(token);
}

void Router::plan(std::string_view keyspace, std::optional<std::int64_t> token, bool fixed_order,
                  std::size_t rotation, const std::function<std::size_t(std::uint32_t)>& load,
                  std::vector<std::uint32_t>& plan) const {
  plan.clear();
  if (token) {
    for (auto r : replicas(keyspace, *token)) {
      if (distance_[r] == Distance::local) plan.push_back(r);
    }
    if (!fixed_order) {
      // Least busy first, equals in ring order: an insertion sort of a few replicas.
      for (std::size_t i = 1; i < plan.size(); ++i) {
        const auto h = plan[i];
        const auto l = load(h);
        std::size_t j = i;
        for (; j > 0 && load(plan[j - 1]) > l; --j)
          plan[j] = plan[j - 1];
        plan[j] = h;
      }
    }
  }
  const std::size_t replicas_planned = plan.size();
  auto add_rotated = [&](const std::vector<std::uint32_t>& hosts) {
    const std::size_t n = hosts.size();
    for (std::size_t i = 0; i < n; ++i) {
      const auto h = hosts[(rotation + i) % n];
      if (std::find(plan.begin(), plan.begin() + static_cast<std::ptrdiff_t>(replicas_planned),
                    h) == plan.begin() + static_cast<std::ptrdiff_t>(replicas_planned)) {
        plan.push_back(h);
      }
    }
  };
  add_rotated(local_);
  add_rotated(remote_);
}

namespace {

bool upper_equals(std::string_view word, std::string_view keyword) {
  if (word.size() != keyword.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != keyword[i]) return false;
  }
  return true;
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Calls `f` with each word of `cql` outside strings, quoted names and comments, until it
// returns false.
template <class F>
void for_each_word(std::string_view cql, F f) {
  const std::size_t n = cql.size();
  for (std::size_t i = 0; i < n;) {
    const char c = cql[i];
    if (c == '\'' || c == '"') {  // a string or a quoted name; doubled quotes escape
      for (++i; i < n; ++i) {
        if (cql[i] != c) continue;
        if (i + 1 < n && cql[i + 1] == c) {
          ++i;
          continue;
        }
        break;
      }
      ++i;
    } else if (c == '$' && i + 1 < n && cql[i + 1] == '$') {  // $$ ... $$
      auto end = cql.find("$$", i + 2);
      i = end == std::string_view::npos ? n : end + 2;
    } else if ((c == '-' && i + 1 < n && cql[i + 1] == '-') ||
               (c == '/' && i + 1 < n && cql[i + 1] == '/')) {
      auto end = cql.find('\n', i);
      i = end == std::string_view::npos ? n : end + 1;
    } else if (c == '/' && i + 1 < n && cql[i + 1] == '*') {
      auto end = cql.find("*/", i + 2);
      i = end == std::string_view::npos ? n : end + 2;
    } else if (is_word_char(c)) {
      std::size_t j = i;
      while (j < n && is_word_char(cql[j]))
        ++j;
      if (!f(cql.substr(i, j - i))) return;
      i = j;
    } else {
      ++i;
    }
  }
}

}  // namespace

bool is_conditional_statement(std::string_view cql) {
  bool first = true;
  bool conditional = false;
  for_each_word(cql, [&](std::string_view word) {
    if (first) {
      first = false;
      return upper_equals(word, "INSERT") || upper_equals(word, "UPDATE") ||
             upper_equals(word, "DELETE") || upper_equals(word, "BEGIN");
    }
    conditional = upper_equals(word, "IF");
    return !conditional;
  });
  return conditional;
}

bool is_select_statement(std::string_view cql) {
  bool select = false;
  for_each_word(cql, [&](std::string_view word) {
    select = upper_equals(word, "SELECT");
    return false;
  });
  return select;
}

}  // namespace nosqlc::protocol
