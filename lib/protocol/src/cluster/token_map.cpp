#include "nosqlc/protocol/cluster/token_map.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <utility>

namespace nosqlc::protocol {
namespace {

// "org.apache.cassandra.locator.SimpleStrategy" and "SimpleStrategy" name one class.
std::string_view short_class(std::string_view name) {
  auto dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

std::optional<int> factor_of(std::string_view text) {
  // Cassandra 4 also accepts "3/1" (replicas/transient); the full count is what places them.
  auto slash = text.find('/');
  if (slash != std::string_view::npos) text = text.substr(0, slash);
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0) return std::nullopt;
  return n;
}

}  // namespace

Replication Replication::from_map(const std::map<std::string, std::string>& replication) {
  Replication r;
  auto cls = replication.find("class");
  if (cls == replication.end()) return r;
  const auto name = short_class(cls->second);
  if (name == "LocalStrategy") {
    r.kind = Kind::local;
  } else if (name == "SimpleStrategy") {
    auto rf = replication.find("replication_factor");
    auto n = rf == replication.end() ? std::nullopt : factor_of(rf->second);
    if (!n) return r;
    r.kind = Kind::simple;
    r.factor = *n;
  } else if (name == "NetworkTopologyStrategy") {
    for (const auto& [key, value] : replication) {
      if (key == "class") continue;
      auto n = factor_of(value);
      if (!n) return Replication{};
      r.per_dc[key] = *n;
    }
    r.kind = Kind::network_topology;
  }
  return r;
}

TokenMap::TokenMap(std::vector<TokenNode> nodes) : nodes_(std::move(nodes)) {
  std::map<std::string, std::set<std::string>> racks;
  for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
    const auto& n = nodes_[i];
    ++dc_nodes_[n.dc];
    racks[n.dc].insert(n.rack);
    for (auto t : n.tokens)
      ring_.emplace_back(t, i);
  }
  for (const auto& [dc, names] : racks)
    dc_racks_[dc] = static_cast<std::uint32_t>(names.size());
  // By token, then node index (the order of the claims): the last claim of a token is kept,
  // one owner per token.
  std::sort(ring_.begin(), ring_.end());
  std::vector<std::pair<std::int64_t, std::uint32_t>> unique;
  unique.reserve(ring_.size());
  for (const auto& entry : ring_) {
    if (!unique.empty() && unique.back().first == entry.first) {
      unique.back() = entry;
    } else {
      unique.push_back(entry);
    }
  }
  ring_ = std::move(unique);
}

std::size_t TokenMap::ring_index(std::int64_t token) const noexcept {
  auto it = std::lower_bound(ring_.begin(), ring_.end(), token,
                             [](const auto& entry, std::int64_t t) { return entry.first < t; });
  return it == ring_.end() ? 0 : static_cast<std::size_t>(it - ring_.begin());
}

std::vector<std::uint32_t> TokenMap::replicas(std::int64_t token, const Replication& r) const {
  if (ring_.empty()) return {};
  return replicas_at(ring_index(token), r);
}

std::vector<std::uint32_t> TokenMap::replicas_at(std::size_t start, const Replication& r) const {
  std::vector<std::uint32_t> out;
  auto chosen = [&](std::uint32_t node) {
    return std::find(out.begin(), out.end(), node) != out.end();
  };
  const std::size_t n = ring_.size();
  if (r.kind == Replication::Kind::simple) {
    // SimpleStrategy: the next distinct owners walking the ring.
    const auto want = std::min<std::size_t>(static_cast<std::size_t>(r.factor), nodes_.size());
    for (std::size_t i = 0; i < n && out.size() < want; ++i) {
      const auto node = ring_[(start + i) % n].second;
      if (!chosen(node)) out.push_back(node);
    }
    return out;
  }
  if (r.kind != Replication::Kind::network_topology) return out;
  // NetworkTopologyStrategy: one walk of the ring filling every data centre. A new rack is
  // always taken; a node of a rack already used only while the centre has fewer racks than
  // replicas to place (rf - racks repeats allowed), so replicas spread over racks first.
  struct Centre {
    int left = 0;     // replicas still to place: min(rf, nodes)
    int repeats = 0;  // rack repeats still acceptable: rf - racks
    std::set<std::string_view> racks;
  };
  std::map<std::string_view, Centre> centres;
  int to_fill = 0;
  for (const auto& [dc, rf] : r.per_dc) {
    auto nodes = dc_nodes_.find(dc);
    if (rf <= 0 || nodes == dc_nodes_.end()) continue;
    Centre c;
    c.left = std::min<int>(rf, static_cast<int>(nodes->second));
    c.repeats = rf - static_cast<int>(dc_racks_.at(dc));
    centres.emplace(dc, std::move(c));
    ++to_fill;
  }
  for (std::size_t i = 0; i < n && to_fill > 0; ++i) {
    const auto node = ring_[(start + i) % n].second;
    const auto& info = nodes_[node];
    auto it = centres.find(info.dc);
    if (it == centres.end()) continue;
    Centre& c = it->second;
    if (c.left == 0 || chosen(node)) continue;
    if (!c.racks.insert(info.rack).second) {
      if (c.repeats <= 0) continue;
      --c.repeats;
    }
    out.push_back(node);
    if (--c.left == 0) --to_fill;
  }
  return out;
}

ReplicaTable::ReplicaTable(const TokenMap& map, const Replication& replication) {
  if (replication.kind != Replication::Kind::simple &&
      replication.kind != Replication::Kind::network_topology) {
    return;
  }
  tokens_.reserve(map.ring_.size());
  offsets_.reserve(map.ring_.size() + 1);
  offsets_.push_back(0);
  for (std::size_t i = 0; i < map.ring_.size(); ++i) {
    tokens_.push_back(map.ring_[i].first);
    auto r = map.replicas_at(i, replication);
    replicas_.insert(replicas_.end(), r.begin(), r.end());
    offsets_.push_back(static_cast<std::uint32_t>(replicas_.size()));
  }
}

std::span<const std::uint32_t> ReplicaTable::replicas(std::int64_t token) const noexcept {
  if (tokens_.empty()) return {};
  auto it = std::lower_bound(tokens_.begin(), tokens_.end(), token);
  const auto i = it == tokens_.end() ? 0 : static_cast<std::size_t>(it - tokens_.begin());
  return std::span<const std::uint32_t>(replicas_).subspan(offsets_[i],
                                                           offsets_[i + 1] - offsets_[i]);
}

std::optional<Bytes> routing_key(std::span<const Value> values,
                                 std::span<const std::uint16_t> pk_indexes) {
  if (pk_indexes.empty()) return std::nullopt;
  auto component = [&](std::uint16_t i) -> const Value* {
    if (i >= values.size() || values[i].kind != Value::Kind::normal) return nullptr;
    return &values[i];
  };
  if (pk_indexes.size() == 1) {
    const Value* v = component(pk_indexes[0]);
    if (v == nullptr) return std::nullopt;
    return Bytes(v->bytes.begin(), v->bytes.end());
  }
  Bytes key;
  for (auto i : pk_indexes) {
    const Value* v = component(i);
    if (v == nullptr || v->bytes.size() > 0xFFFF) return std::nullopt;
    key.push_back(static_cast<std::uint8_t>(v->bytes.size() >> 8));
    key.push_back(static_cast<std::uint8_t>(v->bytes.size() & 0xFF));
    key.insert(key.end(), v->bytes.begin(), v->bytes.end());
    key.push_back(0);
  }
  return key;
}

}  // namespace nosqlc::protocol
