// CQL type descriptions: the [option] ids of native_protocol_v4.spec section 4.2.5.2 (as
// they appear in result metadata) and their encoding.
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::protocol {

enum class TypeId : std::uint16_t {
  custom = 0x0000,
  ascii = 0x0001,
  bigint = 0x0002,
  blob = 0x0003,
  boolean = 0x0004,
  counter = 0x0005,
  decimal = 0x0006,
  double_ = 0x0007,
  float_ = 0x0008,
  int_ = 0x0009,
  timestamp = 0x000B,
  uuid = 0x000C,
  varchar = 0x000D,
  varint = 0x000E,
  timeuuid = 0x000F,
  inet = 0x0010,
  date = 0x0011,
  time = 0x0012,
  smallint = 0x0013,
  tinyint = 0x0014,
  duration = 0x0015,
  list = 0x0020,
  map = 0x0021,
  set = 0x0022,
  udt = 0x0030,
  tuple = 0x0031,
};

// A (possibly nested) CQL type.
struct DataType {
  TypeId id = TypeId::blob;
  std::string custom_class;              // custom: the Java class name
  std::vector<DataType> params;          // list/set: element; map: key, value; tuple and udt:
                                         // the component / field types in order
  std::string udt_keyspace, udt_name;    // udt only
  std::vector<std::string> field_names;  // udt only, parallel to params

  static DataType of(TypeId id) { return DataType{id, {}, {}, {}, {}, {}}; }
  static DataType list_of(DataType e) { return collection(TypeId::list, {std::move(e)}); }
  static DataType set_of(DataType e) { return collection(TypeId::set, {std::move(e)}); }
  static DataType map_of(DataType k, DataType v) {
    return collection(TypeId::map, {std::move(k), std::move(v)});
  }
  static DataType tuple_of(std::vector<DataType> ts) {
    return collection(TypeId::tuple, std::move(ts));
  }
  bool operator==(const DataType&) const = default;

 private:
  static DataType collection(TypeId id, std::vector<DataType> ps) {
    DataType t = of(id);
    t.params = std::move(ps);
    return t;
  }
};

// Nested types deeper than this are rejected with nesting_too_deep (hostile input guard).
inline constexpr int kMaxTypeDepth = 32;

// Reads one [option] type; on failure `r` holds the error and the result is unspecified.
DataType read_type(Reader& r);
void write_type(Writer& w, const DataType& t);
// [option list] (section 3): a [short] n then n [option]. No v4 message carries one; here for
// completeness of the notations. invalid_length for a count the rest cannot hold, past 65535
// on write.
std::vector<DataType> read_type_list(Reader& r);
void write_type_list(Writer& w, const std::vector<DataType>& types);

// CQL spelling: "int", "text", "list<int>", "map<text, int>", "frozen<tuple<int, text>>",
// "ks.udt_name" for a UDT, and the class name in quotes for a custom type.
std::string to_cql(const DataType& t);
// The native type spelled `name` in CQL ("int", "varchar", "text", ...), or nullopt.
std::optional<TypeId> native_type_from_cql(std::string_view name) noexcept;

}  // namespace nosqlc::protocol
