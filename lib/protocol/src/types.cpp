#include "nosqlc/protocol/types.hpp"

#include <algorithm>
#include <cctype>

namespace nosqlc::protocol {
namespace {

constexpr std::pair<TypeId, std::string_view> kNativeNames[] = {
    {TypeId::ascii, "ascii"},     {TypeId::bigint, "bigint"},
    {TypeId::blob, "blob"},       {TypeId::boolean, "boolean"},
    {TypeId::counter, "counter"}, {TypeId::decimal, "decimal"},
    {TypeId::double_, "double"},  {TypeId::float_, "float"},
    {TypeId::int_, "int"},        {TypeId::timestamp, "timestamp"},
    {TypeId::uuid, "uuid"},       {TypeId::varchar, "text"},
    {TypeId::varint, "varint"},   {TypeId::timeuuid, "timeuuid"},
    {TypeId::inet, "inet"},       {TypeId::date, "date"},
    {TypeId::time, "time"},       {TypeId::smallint, "smallint"},
    {TypeId::tinyint, "tinyint"}, {TypeId::duration, "duration"},
};

bool is_native(std::uint16_t id) {
  return (id >= 0x0001 && id <= 0x0015 && id != 0x000A);
}

DataType read_type_at(Reader& r, int depth) {
  DataType t;
  if (depth > kMaxTypeDepth) {
    r.fail(errc::nesting_too_deep, "[option] type");
    return t;
  }
  std::uint16_t id = r.u16("[option] type id");
  if (!r.ok()) return t;
  t.id = static_cast<TypeId>(id);
  if (is_native(id)) return t;
  switch (t.id) {
    case TypeId::custom:
      t.custom_class = std::string(r.string("custom type class"));
      return t;
    case TypeId::list:
    case TypeId::set:
      t.params.push_back(read_type_at(r, depth + 1));
      return t;
    case TypeId::map:
      t.params.push_back(read_type_at(r, depth + 1));
      t.params.push_back(read_type_at(r, depth + 1));
      return t;
    case TypeId::udt: {
      t.udt_keyspace = std::string(r.string("udt keyspace"));
      t.udt_name = std::string(r.string("udt name"));
      std::uint16_t n = r.u16("udt field count");
      if (!r.check_count(n, 4, "udt field count")) return t;
      for (std::uint16_t i = 0; i < n && r.ok(); ++i) {
        t.field_names.emplace_back(r.string("udt field name"));
        t.params.push_back(read_type_at(r, depth + 1));
      }
      return t;
    }
    case TypeId::tuple: {
      std::uint16_t n = r.u16("tuple arity");
      if (!r.check_count(n, 2, "tuple arity")) return t;
      for (std::uint16_t i = 0; i < n && r.ok(); ++i)
        t.params.push_back(read_type_at(r, depth + 1));
      return t;
    }
    default:
      r.fail(errc::unknown_type, "[option] type id " + std::to_string(id));
      return t;
  }
}

}  // namespace

DataType read_type(Reader& r) {
  return read_type_at(r, 0);
}

std::vector<DataType> read_type_list(Reader& r) {
  std::vector<DataType> out;
  std::uint16_t n = r.u16("[option list]");
  if (!r.check_count(n, 2, "[option list]")) return out;
  out.reserve(n);
  for (std::uint16_t i = 0; i < n && r.ok(); ++i)
    out.push_back(read_type(r));
  return out;
}

void write_type_list(Writer& w, const std::vector<DataType>& types) {
  if (types.size() > UINT16_MAX) return w.fail(errc::invalid_length, "[option list]");
  w.u16(static_cast<std::uint16_t>(types.size()));
  for (const auto& t : types)
    write_type(w, t);
}

void write_type(Writer& w, const DataType& t) {
  w.u16(static_cast<std::uint16_t>(t.id));
  switch (t.id) {
    case TypeId::custom:
      w.string(t.custom_class);
      break;
    case TypeId::list:
    case TypeId::set:
    case TypeId::map:
      for (const auto& p : t.params)
        write_type(w, p);
      break;
    case TypeId::udt:
      w.string(t.udt_keyspace);
      w.string(t.udt_name);
      if (t.field_names.size() != t.params.size()) return w.fail(errc::invalid_value, "udt fields");
      w.u16(static_cast<std::uint16_t>(t.params.size()));
      for (std::size_t i = 0; i < t.params.size(); ++i) {
        w.string(t.field_names[i]);
        write_type(w, t.params[i]);
      }
      break;
    case TypeId::tuple:
      w.u16(static_cast<std::uint16_t>(t.params.size()));
      for (const auto& p : t.params)
        write_type(w, p);
      break;
    default:
      break;
  }
}

std::string to_cql(const DataType& t) {
  for (const auto& [id, name] : kNativeNames) {
    if (id == t.id) return std::string(name);
  }
  auto join = [&](std::string_view kind) {
    std::string s(kind);
    s += '<';
    for (std::size_t i = 0; i < t.params.size(); ++i) {
      if (i) s += ", ";
      s += to_cql(t.params[i]);
    }
    return s + '>';
  };
  switch (t.id) {
    case TypeId::custom:
      return "'" + t.custom_class + "'";
    case TypeId::list:
      return join("list");
    case TypeId::set:
      return join("set");
    case TypeId::map:
      return join("map");
    case TypeId::tuple:
      return "frozen<" + join("tuple") + ">";
    case TypeId::udt:
      return t.udt_keyspace + "." + t.udt_name;
    default:
      return "unknown";
  }
}

std::optional<TypeId> native_type_from_cql(std::string_view name) noexcept {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "varchar") return TypeId::varchar;
  for (const auto& [id, n] : kNativeNames) {
    if (n == lower) return id;
  }
  return std::nullopt;
}

}  // namespace nosqlc::protocol
