// Reading the cells of system table rows by column name: what the cluster view reads from
// system.local/peers/schema and tracing from system_traces. A cell that is absent, null or
// unreadable reads as empty (nullopt). Internal to nosqlc::cql.
#pragma once

#include "nosqlc/protocol/cluster/hosts.hpp"
#include "nosqlc/protocol/result.hpp"
#include "nosqlc/protocol/values.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nosqlc::protocol::cells {

// Where each wanted column sits in a row (-1: absent).
struct Columns {
  explicit Columns(const std::vector<ColumnSpec>& specs) : specs_(specs) {}
  int operator()(std::string_view name) const {
    for (std::size_t i = 0; i < specs_.size(); ++i) {
      if (specs_[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }

 private:
  const std::vector<ColumnSpec>& specs_;
};

inline std::optional<BytesView> cell(const Row& row, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= row.size()) return std::nullopt;
  return row[static_cast<std::size_t>(index)];
}

inline std::string text_of(const Row& row, int index) {
  auto c = cell(row, index);
  std::string_view s;
  if (!c || !decode_text(*c, s).ok()) return {};
  return std::string(s);
}

inline std::optional<Uuid> uuid_of(const Row& row, int index) {
  auto c = cell(row, index);
  Uuid u{};
  if (!c || !decode_uuid(*c, u).ok()) return std::nullopt;
  return u;
}

inline std::string inet_of(const Row& row, int index) {
  auto c = cell(row, index);
  Inet a;
  if (!c || !decode_inet(*c, a).ok()) return {};
  return address_text(a.address);
}

inline std::optional<std::int32_t> int_of(const Row& row, int index) {
  auto c = cell(row, index);
  std::int32_t v = 0;
  if (!c || !decode_int(*c, v).ok()) return std::nullopt;
  return v;
}

inline std::optional<std::int64_t> bigint_of(const Row& row, int index) {
  auto c = cell(row, index);
  std::int64_t v = 0;
  if (!c || !decode_bigint(*c, v).ok()) return std::nullopt;
  return v;
}

// A timestamp cell: milliseconds since the epoch.
inline std::optional<std::int64_t> timestamp_of(const Row& row, int index) {
  auto c = cell(row, index);
  std::int64_t v = 0;
  if (!c || !decode_timestamp(*c, v).ok()) return std::nullopt;
  return v;
}

// A map<text, text> cell; entries that are not text are left out.
inline std::optional<std::map<std::string, std::string>> text_map_of(const Row& row, int index) {
  auto c = cell(row, index);
  if (!c) return std::nullopt;
  std::vector<std::pair<BytesView, BytesView>> entries;
  if (!decode_map(*c, entries).ok()) return std::nullopt;
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : entries) {
    std::string_view key, value;
    if (!decode_text(k, key).ok() || !decode_text(v, value).ok()) continue;
    out.emplace(std::string(key), std::string(value));
  }
  return out;
}

}  // namespace nosqlc::protocol::cells
