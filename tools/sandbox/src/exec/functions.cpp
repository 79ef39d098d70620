// The native scalar functions' catalog and overload resolution (Cassandra 4.0's
// FunctionResolver, Functions and AbstractType.testAssignment), with the time, uuid and blob
// conversion functions (TimeFcts, UuidFcts, BytesConversionFcts). Casts and arithmetic are in
// function_casts.cpp and function_operations.cpp.
#include "exec/functions.hpp"

#include "cql/cells.hpp"
#include "cql/literals.hpp"
#include "cql/uuids.hpp"
#include "exec/functions_internal.hpp"

#include <nosqlc/protocol/value_forms.hpp>

#include <algorithm>
#include <chrono>

namespace nosqlc::sandbox::detail {
namespace {

std::int64_t now_millis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t millis_of_timestamp(BytesView v) {
  std::int64_t ms = 0;
  (void)protocol::decode_timestamp(v, ms);
  return ms;
}

void add_time_functions(std::vector<ScalarFunction>& fs) {
  const DataType timeuuid = DataType::of(TypeId::timeuuid);
  const DataType timestamp = DataType::of(TypeId::timestamp);
  const DataType date = DataType::of(TypeId::date);
  const DataType bigint = DataType::of(TypeId::bigint);
  auto add = [&](std::string name, std::vector<DataType> params, DataType ret,
                 std::function<std::optional<Bytes>(Args)> f) {
    fs.push_back({std::move(name), std::move(params), std::move(ret), std::move(f)});
  };
  auto now_uuid = [](Args) -> std::optional<Bytes> { return cells::uuid_cell(time_uuid()); };
  add("now", {}, timeuuid, now_uuid);
  add("currenttimeuuid", {}, timeuuid, now_uuid);
  add("currenttimestamp", {}, timestamp,
      [](Args) -> std::optional<Bytes> { return cells::timestamp_cell(now_millis()); });
  add("currentdate", {}, date,
      [](Args) -> std::optional<Bytes> { return date_of_millis(now_millis()); });
  add("currenttime", {}, DataType::of(TypeId::time), [](Args) -> std::optional<Bytes> {
    Bytes out;
    (void)protocol::encode_time((now_millis() % kMillisPerDay) * 1'000'000, out);
    return out;
  });
  add("uuid", {}, DataType::of(TypeId::uuid),
      [](Args) -> std::optional<Bytes> { return cells::uuid_cell(random_uuid()); });
  // UUIDGen.minTimeUUID and maxTimeUUID: the extreme clock sequence and node bytes.
  add("mintimeuuid", {timestamp}, timeuuid, [](Args a) -> std::optional<Bytes> {
    return cells::uuid_cell(
        time_uuid_at(uuid_time_of_millis(millis_of_timestamp(*a[0])), 0x8080808080808080ULL));
  });
  add("maxtimeuuid", {timestamp}, timeuuid, [](Args a) -> std::optional<Bytes> {
    return cells::uuid_cell(time_uuid_at(uuid_time_of_millis(millis_of_timestamp(*a[0]) + 1) - 1,
                                         0x7f7f7f7f7f7f7f7fULL));
  });
  auto uuid_ms = [](Args a) { return time_uuid_millis(*a[0]); };
  add("dateof", {timeuuid}, timestamp,
      [uuid_ms](Args a) -> std::optional<Bytes> { return cells::timestamp_cell(uuid_ms(a)); });
  add("unixtimestampof", {timeuuid}, bigint,
      [uuid_ms](Args a) -> std::optional<Bytes> { return cells::bigint_cell(uuid_ms(a)); });
  add("todate", {timeuuid}, date,
      [uuid_ms](Args a) -> std::optional<Bytes> { return date_of_millis(uuid_ms(a)); });
  add("todate", {timestamp}, date,
      [](Args a) -> std::optional<Bytes> { return date_of_millis(millis_of_timestamp(*a[0])); });
  add("totimestamp", {timeuuid}, timestamp,
      [uuid_ms](Args a) -> std::optional<Bytes> { return cells::timestamp_cell(uuid_ms(a)); });
  add("totimestamp", {date}, timestamp,
      [](Args a) -> std::optional<Bytes> { return cells::timestamp_cell(millis_of_date(*a[0])); });
  add("tounixtimestamp", {timeuuid}, bigint,
      [uuid_ms](Args a) -> std::optional<Bytes> { return cells::bigint_cell(uuid_ms(a)); });
  add("tounixtimestamp", {timestamp}, bigint, [](Args a) -> std::optional<Bytes> {
    return cells::bigint_cell(millis_of_timestamp(*a[0]));
  });
  add("tounixtimestamp", {date}, bigint,
      [](Args a) -> std::optional<Bytes> { return cells::bigint_cell(millis_of_date(*a[0])); });
}

// BytesConversionFcts: <type>asblob and blobas<type> for every native type but blob, and the
// varchar spellings beside the text ones.
void add_blob_functions(std::vector<ScalarFunction>& fs) {
  struct Native {
    std::string_view name;
    TypeId id;
  };
  static constexpr Native kTypes[] = {
      {"ascii", TypeId::ascii},       {"bigint", TypeId::bigint},
      {"boolean", TypeId::boolean},   {"counter", TypeId::counter},
      {"date", TypeId::date},         {"decimal", TypeId::decimal},
      {"double", TypeId::double_},    {"duration", TypeId::duration},
      {"float", TypeId::float_},      {"inet", TypeId::inet},
      {"int", TypeId::int_},          {"smallint", TypeId::smallint},
      {"text", TypeId::varchar},      {"varchar", TypeId::varchar},
      {"time", TypeId::time},         {"timestamp", TypeId::timestamp},
      {"timeuuid", TypeId::timeuuid}, {"tinyint", TypeId::tinyint},
      {"uuid", TypeId::uuid},         {"varint", TypeId::varint}};
  const DataType blob = DataType::of(TypeId::blob);
  for (const Native& n : kTypes) {
    const DataType type = DataType::of(n.id);
    fs.push_back({std::string(n.name) + "asblob", {type}, blob, [](Args a) -> std::optional<Bytes> {
                    return *a[0];
                  }});
    std::string from = "blobas" + std::string(n.name);
    std::string type_name(n.name == "varchar" ? "text" : n.name);
    fs.push_back({from, {blob}, type, [from, type, type_name](Args a) -> std::optional<Bytes> {
                    if (validate_value(type, *a[0], "")) {
                      fail_invalid("In call to function system." + from + ", value " +
                                   protocol::format_blob(*a[0]) +
                                   " is not a valid binary representation for type " + type_name);
                    }
                    return *a[0];
                  }});
  }
}

const std::vector<ScalarFunction>& catalog() {
  static const std::vector<ScalarFunction> functions = [] {
    std::vector<ScalarFunction> fs;
    add_time_functions(fs);
    add_blob_functions(fs);
    add_cast_functions(fs);
    return fs;
  }();
  return functions;
}

enum class Fit { exact, weak, none };

// AbstractType.isValueCompatibleWith for the sandbox's native types.
bool value_compatible(const DataType& receiver, const DataType& from) {
  switch (receiver.id) {
    case TypeId::blob:
      return true;
    case TypeId::varchar:
      return from.id == TypeId::ascii;
    case TypeId::bigint:
      return from.id == TypeId::timestamp;
    case TypeId::timestamp:
      return from.id == TypeId::bigint;
    case TypeId::varint:
      return from.id == TypeId::int_ || from.id == TypeId::bigint;
    case TypeId::uuid:
      return from.id == TypeId::timeuuid;
    default:
      return false;
  }
}

Fit fit(const FunctionArg& a, const DataType& param) {
  if (a.type) {
    if (*a.type == param) return Fit::exact;
    return value_compatible(param, *a.type) ? Fit::weak : Fit::none;
  }
  if (a.term && term_fits(*a.term, param)) return Fit::weak;
  return Fit::none;
}

std::string signatures(const std::vector<const ScalarFunction*>& fs) {
  std::string out;
  for (const ScalarFunction* f : fs) {
    if (!out.empty()) out += ", ";
    out += f->signature();
  }
  return out;
}

}  // namespace

// SimpleDateSerializer.timeInMillisToDay: days floor-divided, shifted by 2^31.
Bytes date_of_millis(std::int64_t ms) {
  Bytes out;
  protocol::encode_date(
      static_cast<std::uint32_t>(floor_div(ms, kMillisPerDay) + std::int64_t{protocol::kDateEpoch}),
      out);
  return out;
}

std::int64_t millis_of_date(BytesView v) {
  std::uint32_t d = 0;
  (void)protocol::decode_date(v, d);
  return (std::int64_t{d} - std::int64_t{protocol::kDateEpoch}) * kMillisPerDay;
}

std::optional<Bytes> ScalarFunction::call(Args args) const {
  if (null_in_null_out) {
    for (std::size_t i = 0; i < args.size(); ++i) {
      // FunctionArguments: an empty value of a type where empty means no value is a null.
      if (!args[i] || (args[i]->empty() && i < params.size() && empty_is_null(params[i].id))) {
        return std::nullopt;
      }
    }
  }
  return apply(args);
}

bool empty_is_null(TypeId id) noexcept {
  return id != TypeId::ascii && id != TypeId::varchar && id != TypeId::blob && id != TypeId::custom;
}

std::string ScalarFunction::column_name(std::span<const std::string> args) const {
  switch (naming) {
    case Naming::cast:
      return "cast(" + args[0] + " as " + protocol::to_cql(returns) + ")";
    case Naming::infix:
      return args[0] + " " + name + " " + args[1];
    case Naming::prefix:
      return name + args[0];
    case Naming::call:
      break;
  }
  std::string out = "system." + name + "(";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i) out += ", ";
    out += args[i];
  }
  return out + ")";
}

std::string ScalarFunction::signature() const {
  std::string out = "system." + name + " : (";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i) out += ", ";
    out += protocol::to_cql(params[i]);
  }
  return out + ") -> " + protocol::to_cql(returns);
}

std::string function_arg_name(const ScalarFunction& f, std::size_t i) {
  return "arg" + std::to_string(i) + "(system." + f.name + ")";
}

const ScalarFunction& resolve_function(std::string_view name, std::span<const FunctionArg> args) {
  std::vector<const ScalarFunction*> candidates;
  for (const ScalarFunction& f : catalog()) {
    if (f.name == name) candidates.push_back(&f);
  }
  if (candidates.empty()) fail_invalid("Unknown function '" + std::string(name) + "'");
  if (candidates.size() == 1) {
    const ScalarFunction& f = *candidates[0];
    if (f.params.size() != args.size()) {
      fail_invalid("Invalid number of arguments in call to function system." + f.name + ": " +
                   std::to_string(f.params.size()) + " required but " +
                   std::to_string(args.size()) + " provided");
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (fit(args[i], f.params[i]) == Fit::none) {
        fail_invalid("Type error: " + args[i].text + " cannot be passed as argument " +
                     std::to_string(i) + " of function system." + f.name + " of type " +
                     protocol::to_cql(f.params[i]));
      }
    }
    return f;
  }
  std::vector<const ScalarFunction*> compatible;
  for (const ScalarFunction* f : candidates) {
    if (f->params.size() != args.size()) continue;
    Fit all = Fit::exact;
    for (std::size_t i = 0; i < args.size() && all != Fit::none; ++i) {
      Fit one = fit(args[i], f->params[i]);
      if (one == Fit::none || (one == Fit::weak && all == Fit::exact)) all = one;
    }
    if (all == Fit::exact) return *f;
    if (all == Fit::weak) compatible.push_back(f);
  }
  if (compatible.empty()) {
    fail_invalid("Invalid call to function system." + std::string(name) +
                 ", none of its type signatures match (known type signatures: " +
                 signatures(candidates) + ")");
  }
  if (compatible.size() > 1) {
    fail_invalid("Ambiguous call to function system." + std::string(name) +
                 " (can be matched by following signatures: " + signatures(compatible) +
                 "): use type casts to disambiguate");
  }
  return *compatible[0];
}

const ScalarFunction* find_cast(const DataType& from, const DataType& to) {
  for (const ScalarFunction& f : catalog()) {
    if (f.naming == ScalarFunction::Naming::cast && f.params[0] == from && f.returns == to) {
      return &f;
    }
  }
  return nullptr;
}

// Constants.Literal.testAssignment and the other literals': which types a literal can be.
bool term_fits(const cql::Term& term, const DataType& type) {
  if (std::holds_alternative<cql::BindMarker>(term.value)) return true;
  if (const auto* c = std::get_if<cql::CollectionLiteral>(&term.value)) {
    if (c->kind == cql::CollectionLiteral::Kind::list) return type.id == TypeId::list;
    if (c->kind == cql::CollectionLiteral::Kind::set) return type.id == TypeId::set;
    return type.id == TypeId::map || (c->entries.empty() && type.id == TypeId::set);
  }
  if (std::holds_alternative<cql::TupleLiteral>(term.value)) return type.id == TypeId::tuple;
  if (std::holds_alternative<cql::FunctionCall>(term.value)) return true;  // checked when called
  const auto& k = std::get<cql::Constant>(term.value);
  using K = cql::Constant::Kind;
  auto one_of = [&](std::initializer_list<TypeId> ids) {
    return std::find(ids.begin(), ids.end(), type.id) != ids.end();
  };
  switch (k.kind) {
    case K::null:
      return true;
    case K::string:
      return one_of({TypeId::ascii, TypeId::varchar, TypeId::inet, TypeId::date, TypeId::time,
                     TypeId::timestamp});
    case K::integer:
      return one_of({TypeId::bigint, TypeId::counter, TypeId::date, TypeId::decimal,
                     TypeId::double_, TypeId::duration, TypeId::float_, TypeId::int_,
                     TypeId::smallint, TypeId::time, TypeId::timestamp, TypeId::tinyint,
                     TypeId::varint});
    case K::float_:
    case K::nan:
    case K::infinity:
      return one_of({TypeId::decimal, TypeId::double_, TypeId::float_});
    case K::uuid:
      return one_of({TypeId::uuid, TypeId::timeuuid});
    case K::boolean:
      return type.id == TypeId::boolean;
    case K::blob:
      return type.id == TypeId::blob;
    case K::duration:
      return type.id == TypeId::duration;
  }
  return false;
}

}  // namespace nosqlc::sandbox::detail
