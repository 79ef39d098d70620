// CQL values to JSON (the mapping is documented in value_forms.hpp).
#include "values_json.hpp"

namespace nosqlc::protocol {
namespace {

using namespace json_form;

Status to_json(const DataType& t, BytesView in, json::value& out, int depth);

Status native_to_json(const DataType& t, BytesView in, json::value& out) {
  Status s;
  switch (t.id) {
    case TypeId::ascii:
    case TypeId::varchar: {
      std::string_view v;
      s = t.id == TypeId::ascii ? decode_ascii(in, v) : decode_text(in, v);
      if (s) out = json::string(v);
      return s;
    }
    case TypeId::blob:
    case TypeId::custom:
      out = json::string(format_blob(in));
      return s;
    case TypeId::boolean: {
      bool v = false;
      if ((s = decode_boolean(in, v))) out = v;
      return s;
    }
    case TypeId::tinyint: {
      std::int8_t v = 0;
      if ((s = decode_tinyint(in, v))) out = static_cast<std::int64_t>(v);
      return s;
    }
    case TypeId::smallint: {
      std::int16_t v = 0;
      if ((s = decode_smallint(in, v))) out = static_cast<std::int64_t>(v);
      return s;
    }
    case TypeId::int_: {
      std::int32_t v = 0;
      if ((s = decode_int(in, v))) out = static_cast<std::int64_t>(v);
      return s;
    }
    case TypeId::bigint:
    case TypeId::counter: {
      std::int64_t v = 0;
      if (t.id == TypeId::counter && !(s = detail::check_size(in, 8, "counter"))) return s;
      if ((s = decode_bigint(in, v))) out = v;
      return s;
    }
    case TypeId::varint: {
      std::int64_t v = 0;
      if (detail::trim_varint(in).size() <= 8) {
        if ((s = decode_varint(in, v))) out = v;
        return s;
      }
      std::string text;
      if ((s = varint_to_string(in, text))) out = json::string(text);
      return s;
    }
    case TypeId::decimal: {
      Decimal d;
      std::string text;
      if ((s = decode_decimal(in, d)) && (s = decimal_to_string(d, text))) out = json::string(text);
      return s;
    }
    case TypeId::float_: {
      float v = 0;
      if ((s = decode_float(in, v))) out = float_json(v);
      return s;
    }
    case TypeId::double_: {
      double v = 0;
      if ((s = decode_double(in, v))) out = float_json(v);
      return s;
    }
    case TypeId::timestamp: {
      std::int64_t v = 0;
      if ((s = decode_timestamp(in, v))) out = json::string(format_timestamp(v));
      return s;
    }
    case TypeId::date: {
      std::uint32_t v = 0;
      if ((s = decode_date(in, v))) out = json::string(format_date(v));
      return s;
    }
    case TypeId::time: {
      std::int64_t v = 0;
      if ((s = decode_time(in, v))) out = json::string(format_time(v));
      return s;
    }
    case TypeId::uuid:
    case TypeId::timeuuid: {
      Uuid v{};
      s = t.id == TypeId::uuid ? decode_uuid(in, v) : decode_timeuuid(in, v);
      if (s) out = json::string(format_uuid(v));
      return s;
    }
    case TypeId::inet: {
      Inet v;
      if ((s = decode_inet(in, v))) out = json::string(format_inet(v.address));
      return s;
    }
    case TypeId::duration: {
      Duration v;
      if ((s = decode_duration(in, v))) out = json::string(format_duration(v));
      return s;
    }
    default:
      return value_error(errc::unknown_type, "value",
                         "type id " + std::to_string(static_cast<unsigned>(t.id)));
  }
}

Status to_json(const DataType& t, BytesView in, json::value& out, int depth) {
  if (depth > kMaxTypeDepth) {
    return value_error(errc::nesting_too_deep, to_cql(t),
                       "more than " + std::to_string(kMaxTypeDepth) + " levels");
  }
  if (Status s = check_shape(t); !s) return s;
  if (in.empty() && !has_empty_value(t.id)) {
    out = nullptr;
    return {};
  }
  switch (t.id) {
    case TypeId::list:
    case TypeId::set: {
      std::vector<BytesView> elements;
      if (Status s = detail::read_collection(in, to_cql(t), elements); !s) return s;
      json::array& arr = out.emplace_array();
      arr.resize(elements.size());
      for (std::size_t i = 0; i < elements.size(); ++i) {
        if (Status s = to_json(t.params[0], elements[i], arr[i], depth + 1); !s) {
          return with_context(std::move(s), "element " + std::to_string(i), t);
        }
      }
      return {};
    }
    case TypeId::map: {
      std::vector<std::pair<BytesView, BytesView>> entries;
      if (Status s = detail::read_map(in, to_cql(t), entries); !s) return s;
      const bool as_object = is_text(t.params[0].id);
      json::object* obj = as_object ? &out.emplace_object() : nullptr;
      json::array* arr = as_object ? nullptr : &out.emplace_array();
      if (arr) arr->reserve(entries.size());
      for (std::size_t i = 0; i < entries.size(); ++i) {
        json::value k, v;
        Status s = to_json(t.params[0], entries[i].first, k, depth + 1);
        if (s) s = to_json(t.params[1], entries[i].second, v, depth + 1);
        if (!s) return with_context(std::move(s), "entry " + std::to_string(i), t);
        if (obj) {
          (*obj)[k.get_string()] = std::move(v);
        } else {
          arr->emplace_back(json::array{std::move(k), std::move(v)});
        }
      }
      return {};
    }
    case TypeId::tuple:
    case TypeId::udt: {
      std::vector<std::optional<BytesView>> parts;
      const bool udt = t.id == TypeId::udt;
      // Both may stop early: the missing trailing components are null (TupleType.split).
      if (Status s = detail::read_components(in, to_cql(t), t.params.size(), true, parts); !s) {
        return s;
      }
      json::array* arr = udt ? nullptr : &out.emplace_array();
      json::object* obj = udt ? &out.emplace_object() : nullptr;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        json::value v;
        if (parts[i]) {
          if (Status s = to_json(t.params[i], *parts[i], v, depth + 1); !s) {
            return with_context(
                std::move(s), udt ? "field " + t.field_names[i] : "component " + std::to_string(i),
                t);
          }
        }
        if (udt) {
          // JSON keys are unique: a type repeating a name cannot be mapped without loss.
          if (!obj->emplace(t.field_names[i], std::move(v)).second) {
            return value_error(errc::invalid_value, to_cql(t),
                               "duplicate field name \"" + t.field_names[i].substr(0, 64) + "\"");
          }
        } else {
          arr->push_back(std::move(v));
        }
      }
      return {};
    }
    default:
      return native_to_json(t, in, out);
  }
}

}  // namespace

Status decode_to_json(const DataType& t, BytesView in, json::value& out) {
  return to_json(t, in, out, 0);
}

Status decode_to_json(const DataType& t, std::optional<BytesView> in, json::value& out) {
  if (!in) {
    out = nullptr;
    return {};
  }
  return to_json(t, *in, out, 0);
}

}  // namespace nosqlc::protocol
