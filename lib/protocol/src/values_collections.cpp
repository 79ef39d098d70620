// Collections (native_protocol_v4.spec 6.11 list, 6.12 map, 6.13 set), tuples (6.20) and
// user defined types (section 7) as sequences of element views.
#include "values_internal.hpp"

#include <climits>

namespace nosqlc::protocol {
namespace detail {

Status read_collection(BytesView in, std::string_view type, std::vector<BytesView>& elements) {
  Reader r(in);
  const std::string what = std::string(type) + " element";
  std::int32_t n = r.i32(type);
  elements.clear();
  if (r.check_count(n, 4, what + " count")) {
    elements.reserve(static_cast<std::size_t>(n));
    for (std::int32_t i = 0; i < n && r.ok(); ++i) {
      std::optional<BytesView> e = r.bytes(what);
      if (!r.ok()) break;
      if (!e) return value_error(errc::invalid_value, type, "null element " + std::to_string(i));
      elements.push_back(*e);
    }
  }
  r.expect_end(type);
  return r.status();
}

Status read_map(BytesView in, std::string_view type,
                std::vector<std::pair<BytesView, BytesView>>& entries) {
  Reader r(in);
  const std::string what = std::string(type) + " entry";
  std::int32_t n = r.i32(type);
  entries.clear();
  if (r.check_count(n, 8, what + " count")) {
    entries.reserve(static_cast<std::size_t>(n));
    for (std::int32_t i = 0; i < n && r.ok(); ++i) {
      std::optional<BytesView> k = r.bytes(what);
      std::optional<BytesView> v = r.bytes(what);
      if (!r.ok()) break;
      if (!k || !v) {
        return value_error(
            errc::invalid_value, type,
            std::string(!k ? "null key" : "null value") + " in entry " + std::to_string(i));
      }
      entries.emplace_back(*k, *v);
    }
  }
  r.expect_end(type);
  return r.status();
}

Status read_components(BytesView in, std::string_view type, std::size_t count, bool allow_fewer,
                       std::vector<std::optional<BytesView>>& out) {
  Reader r(in);
  const std::string what = std::string(type) + " component";
  out.clear();
  out.reserve(count);
  for (std::size_t i = 0; i < count && r.ok(); ++i) {
    if (allow_fewer && r.at_end()) break;
    out.push_back(r.bytes(what));
  }
  r.expect_end(type);
  out.resize(count);
  return r.status();
}

}  // namespace detail

Status decode_collection(BytesView in, std::vector<BytesView>& elements) {
  return detail::read_collection(in, "collection", elements);
}

Status decode_map(BytesView in, std::vector<std::pair<BytesView, BytesView>>& entries) {
  return detail::read_map(in, "map", entries);
}

Status decode_tuple(BytesView in, std::size_t arity,
                    std::vector<std::optional<BytesView>>& components) {
  // Trailing components may be left out (read as null), as Cassandra's TupleType.split reads
  // them; a component cut short is still incomplete.
  return detail::read_components(in, "tuple", arity, true, components);
}

Status decode_udt(BytesView in, std::size_t field_count,
                  std::vector<std::optional<BytesView>>& fields) {
  return detail::read_components(in, "udt", field_count, true, fields);
}

namespace {
Status check_count(std::size_t n, std::string_view type) {
  if (n > INT32_MAX) {
    return detail::value_error(errc::invalid_length, type, std::to_string(n) + " elements");
  }
  return {};
}
}  // namespace

Status encode_collection(std::span<const BytesView> elements, Bytes& out) {
  if (Status s = check_count(elements.size(), "collection"); !s) return s;
  Writer w(out);
  w.i32(static_cast<std::int32_t>(elements.size()));
  for (BytesView e : elements)
    w.bytes(e);
  return w.status();
}

Status encode_map(std::span<const std::pair<BytesView, BytesView>> entries, Bytes& out) {
  if (Status s = check_count(entries.size(), "map"); !s) return s;
  Writer w(out);
  w.i32(static_cast<std::int32_t>(entries.size()));
  for (const auto& [k, v] : entries) {
    w.bytes(k);
    w.bytes(v);
  }
  return w.status();
}

Status encode_tuple(std::span<const std::optional<BytesView>> components, Bytes& out) {
  Writer w(out);
  for (const auto& c : components)
    w.bytes(c);
  return w.status();
}

}  // namespace nosqlc::protocol
