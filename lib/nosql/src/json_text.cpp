// The JSON text of documents: a writer whose numbers read like the JSON people write, and a
// parser bounded to the documents' depth.
#include "nosqlc/nosql/document.hpp"
#include "nosqlc/nosql/errors.hpp"

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace nosqlc {
namespace {

namespace json = boost::json;

// Whether one of the 8 bytes of `v` needs an escape in a JSON string: a control character,
// '"' or '\\' (bit tricks that test every byte at once; bytes from 0x80 never match).
bool escape_in_word(std::uint64_t v) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto zero_byte = [&](std::uint64_t x) { return (x - ones) & ~x & highs; };
  const std::uint64_t below_space = (v - ones * 0x20) & ~v & highs;
  return (below_space | zero_byte(v ^ (ones * '"')) | zero_byte(v ^ (ones * '\\'))) != 0;
}

void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run of characters that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Eight characters at a time while none needs an escape.
    while (s.size() - i >= 8) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (escape_in_word(word)) break;
      i += 8;
    }
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    out.push_back('\\');
    switch (c) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\b':
        out.push_back('b');
        break;
      case '\f':
        out.push_back('f');
        break;
      case '\n':
        out.push_back('n');
        break;
      case '\r':
        out.push_back('r');
        break;
      case '\t':
        out.push_back('t');
        break;
      default:
        out.append("u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

template <class Int>
void append_integer(std::string& out, Int v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// The shortest round-trip digits come from to_chars in scientific form ("1.195e+01"); they
// are then laid out as JavaScript's Number::toString does (plain for exponents -6 to 20),
// with ".0" added to a whole number so that it reads back as a double.
void append_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    throw Error(errc::invalid_argument, "cannot write a non-finite number as JSON");
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  const auto e_at = sci.find('e');
  char digits[24];
  std::size_t n = 0;
  for (char c : sci.substr(0, e_at)) {
    if (c != '.') digits[n++] = c;
  }
  std::string_view exp_text = sci.substr(e_at + 1);  // "+01", "-07"
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  int exponent = 0;
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  if (exponent < -6 || exponent > 20) {
    out.push_back(digits[0]);
    if (n > 1) {
      out.push_back('.');
      out.append(digits + 1, n - 1);
    }
    out.push_back('e');
    out.push_back(exponent < 0 ? '-' : '+');
    append_integer(out, std::abs(exponent));
    return;
  }
  if (exponent < 0) {
    out.append("0.");
    out.append(static_cast<std::size_t>(-exponent - 1), '0');
    out.append(digits, n);
    return;
  }
  const auto whole = static_cast<std::size_t>(exponent) + 1;
  if (n <= whole) {
    out.append(digits, n);
    out.append(whole - n, '0');
    out.append(".0");
    return;
  }
  out.append(digits, whole);
  out.push_back('.');
  out.append(digits + whole, n - whole);
}

void append_value(std::string& out, const json::value& v, std::size_t depth);

void append_object(std::string& out, const json::object& o, std::size_t depth) {
  if (depth > kMaxDocumentDepth) {
    throw Error(errc::invalid_argument, "cannot write JSON nested deeper than " +
                                            std::to_string(kMaxDocumentDepth) + " levels");
  }
  out.push_back('{');
  bool first = true;
  for (const auto& [k, member] : o) {
    if (!first) out.push_back(',');
    first = false;
    append_string(out, k);
    out.push_back(':');
    append_value(out, member, depth + 1);
  }
  out.push_back('}');
}

void append_value(std::string& out, const json::value& v, std::size_t depth) {
  switch (v.kind()) {
    case json::kind::null:
      out.append("null");
      return;
    case json::kind::bool_:
      out.append(v.get_bool() ? "true" : "false");
      return;
    case json::kind::int64:
      append_integer(out, v.get_int64());
      return;
    case json::kind::uint64:
      append_integer(out, v.get_uint64());
      return;
    case json::kind::double_:
      append_double(out, v.get_double());
      return;
    case json::kind::string:
      append_string(out, v.get_string());
      return;
    case json::kind::object:
      append_object(out, v.get_object(), depth);
      return;
    case json::kind::array:
      break;
  }
  if (depth > kMaxDocumentDepth) {
    throw Error(errc::invalid_argument, "cannot write JSON nested deeper than " +
                                            std::to_string(kMaxDocumentDepth) + " levels");
  }
  out.push_back('[');
  bool first = true;
  for (const auto& element : v.get_array()) {
    if (!first) out.push_back(',');
    first = false;
    append_value(out, element, depth + 1);
  }
  out.push_back(']');
}

// Builds values as Boost.JSON's own parser does, but reads each double from its text with
// from_chars, which rounds correctly: Boost.JSON 1.81 can be one unit in the last place off,
// so what append_json wrote would not always read back as the same number.
struct ExactHandler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  explicit ExactHandler(json::storage_ptr sp) { stack.reset(std::move(sp)); }

  json::value_stack stack;
  std::string number;  // the parts of a number split across write_some calls

  bool on_document_begin(std::error_code&) { return true; }
  bool on_document_end(std::error_code&) { return true; }
  bool on_object_begin(std::error_code&) { return true; }
  bool on_object_end(std::size_t n, std::error_code&) {
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(std::error_code&) { return true; }
  bool on_array_end(std::size_t n, std::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, std::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, std::error_code&) {
    stack.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, std::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, std::error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, std::error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, std::error_code&) {
    number.clear();
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, std::error_code&) {
    number.clear();
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view s, std::error_code&) {
    std::string_view text(s.data(), s.size());
    if (!number.empty()) {
      number.append(s.data(), s.size());
      text = number;
    }
    double exact = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), exact);
    // Out of range is left as Boost.JSON made it (an infinity, refused downstream).
    if (r.ec == std::errc() && r.ptr == text.data() + text.size()) d = exact;
    number.clear();
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, std::error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(std::error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, std::error_code&) { return true; }
  bool on_comment(json::string_view, std::error_code&) { return true; }
};

}  // namespace

void append_json(std::string& out, const boost::json::value& v) {
  append_value(out, v, 1);
}

void append_json(std::string& out, const Document& doc) {
  append_object(out, doc, 1);
}

std::string json_text(const boost::json::value& v) {
  std::string out;
  append_json(out, v);
  return out;
}

std::string json_text(const Document& doc) {
  // The last document this thread wrote predicts the next one's size: one allocation rather
  // than one per doubling. Capped, so one large document does not make every later one
  // reserve as much (many may wait in flight at once).
  thread_local std::size_t expected = 64;
  std::string out;
  out.reserve(expected);
  append_json(out, doc);
  expected = std::min<std::size_t>(out.size() + 16, 16 * 1024);
  return out;
}

std::optional<boost::json::value> parse_json_text(std::string_view text, JsonError* error) {
  json::parse_options opt;
  opt.max_depth = kMaxDocumentDepth;
  json::basic_parser<ExactHandler> p(opt, json::storage_ptr());
  std::error_code ec;
  const std::size_t n = p.write_some(false, text.data(), text.size(), ec);
  if (!ec && n < text.size()) ec = json::make_error_code(json::error::extra_data);
  if (ec) {
    if (error != nullptr) *error = JsonError{n, ec.message()};
    return std::nullopt;
  }
  return p.handler().stack.release();
}

std::optional<Document> parse_document_text(std::string_view text) {
  auto value = parse_json_text(text);
  if (!value || !value->is_object()) return std::nullopt;
  return std::move(value->get_object());
}

}  // namespace nosqlc
