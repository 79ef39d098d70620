// libFuzzer target for the CQL value codec (values.hpp): the input is an [option] type
// (native_protocol_v4.spec 4.2.5.2) followed by a value of that type. A value that decodes
// to JSON must encode back, decode to the same JSON, and encode to the same bytes again.
#include "nosqlc/protocol/types.hpp"
#include "nosqlc/protocol/value_forms.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

namespace json = boost::json;

bool contains_null(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return true;
    case json::kind::array:
      for (const auto& e : v.get_array()) {
        if (contains_null(e)) return true;
      }
      return false;
    case json::kind::object:
      for (const auto& kv : v.get_object()) {
        if (contains_null(kv.value())) return true;
      }
      return false;
    default:
      return false;
  }
}

[[noreturn]] void fail(const char* what, const json::value& j, const nosqlc::protocol::Status& s) {
  std::fprintf(stderr, "fuzz_value: %s\njson: %s\nstatus: %s\n", what, json::serialize(j).c_str(),
               s.message.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nosqlc::protocol;
  Reader r(BytesView(data, size));
  DataType type = read_type(r);
  if (!r.ok()) return 0;
  const BytesView value = r.rest();

  json::value decoded;
  if (!decode_to_json(type, value, decoded)) return 0;

  Bytes encoded;
  if (Status s = encode_from_json(type, decoded, encoded); !s) {
    // The one lossy corner of the mapping: Cassandra's legacy empty value of a non-string type
    // decodes to null, and null has no encoding as a top-level value or as a list, set or map
    // element. Everything else that decodes must encode.
    if (contains_null(decoded)) return 0;
    fail("decoded value does not encode", decoded, s);
  }

  json::value again;
  if (Status s = decode_to_json(type, encoded, again); !s) {
    fail("encoded value does not decode", decoded, s);
  }
  if (again != decoded) fail("JSON changed in a round trip", decoded, {});

  // The encoder is canonical: the same JSON gives the same bytes.
  Bytes twice;
  if (Status s = encode_from_json(type, again, twice); !s || twice != encoded) {
    fail("encoding is not deterministic", again, s);
  }
  return 0;
}
