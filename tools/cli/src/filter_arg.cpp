#include "nosqlc/cli/filter_arg.hpp"

#include <nosqlc/nosql/document.hpp>

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nosqlc::cli {
namespace {

using boost::json::value;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Characters that end an unquoted field name.
bool ends_field(char c) {
  static constexpr std::string_view special = "=!<>~:?,\"[]{}|";
  return is_space(c) || special.find(c) != std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

// A raw (unquoted) value: JSON when it is a number, true, false or null, else the text;
// nullopt for a number beyond a double's range (1e999), which would compare with nothing.
std::optional<value> typed_raw(std::string_view raw) {
  auto v = parse_json_text(raw);
  if (v && v->is_double() && !std::isfinite(v->get_double())) return std::nullopt;
  if (v && (v->is_number() || v->is_bool() || v->is_null())) return std::move(*v);
  return value(raw);
}

class ShortParser {
 public:
  explicit ShortParser(std::string_view text) : s_(text) {}

  filter::Ast parse() {
    if (trim(s_).empty()) return filter::Ast();
    std::vector<filter::Node> nodes;
    for (;;) {
      nodes.push_back(condition(nodes.size() + 1));
      skip_spaces();
      if (at_end()) break;
      if (peek() != ',') fail("expected \",\" or the end after the condition");
      ++pos_;
    }
    if (nodes.size() == 1) return filter::Ast(std::move(nodes.front()));
    return filter::Ast(filter::Node(filter::And{std::move(nodes)}));
  }

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }
  void skip_spaces() {
    while (!at_end() && is_space(s_[pos_]))
      ++pos_;
  }

  [[noreturn]] void fail(const std::string& what) const { fail_at(pos_, what); }
  [[noreturn]] void fail_at(std::size_t at, const std::string& what) const {
    std::string msg = "invalid filter at column " + std::to_string(at + 1);
    if (index_ > 0) {
      std::size_t end = s_.find(',', cond_start_);
      std::string_view cond = trim(s_.substr(
          cond_start_, end == std::string_view::npos ? std::string_view::npos : end - cond_start_));
      msg += " (condition " + std::to_string(index_) + " \"" + std::string(cond) + "\")";
    }
    throw SyntaxError(at + 1, what, msg + ": " + what);
  }

  filter::Node condition(std::size_t index) {
    skip_spaces();
    index_ = index;
    cond_start_ = pos_;
    if (at_end() || peek() == ',') fail("empty condition");
    bool negated = false;
    if (peek() == '!') {
      negated = true;
      ++pos_;
      skip_spaces();
    }
    std::string field = field_name();
    skip_spaces();
    if (negated) {
      if (peek() != '?')
        fail("expected \"?\" after \"!" + field + "\" (\"!field?\" is exists false)");
      ++pos_;
      return make(std::move(field), filter::Op::exists, value(false));
    }
    std::size_t op_at = pos_;
    filter::Op op = operator_();
    if (op == filter::Op::exists && s_[op_at] == '?') {
      return make(std::move(field), op, value(true));
    }
    skip_spaces();
    value operand = (op == filter::Op::in || op == filter::Op::nin) ? list() : single();
    return make(std::move(field), op, std::move(operand));
  }

  filter::Node make(std::string field, filter::Op op, value operand) const {
    try {
      return filter::make_condition(std::move(field), op, std::move(operand));
    } catch (const filter::FilterError& e) {
      fail_at(cond_start_, e.what());
    }
  }

  std::string field_name() {
    std::size_t start = pos_;
    if (peek() == '"') {
      value v = quoted();
      return std::string(v.as_string());
    }
    while (!at_end() && !ends_field(peek()))
      ++pos_;
    if (pos_ == start) fail("expected a field name");
    return std::string(s_.substr(start, pos_ - start));
  }

  filter::Op operator_() {
    char c = peek();
    auto two = [&](char next) { return pos_ + 1 < s_.size() && s_[pos_ + 1] == next; };
    switch (c) {
      case '?':
        ++pos_;
        return filter::Op::exists;
      case '=':
        ++pos_;
        return filter::Op::eq;
      case '~':
        ++pos_;
        return filter::Op::contains;
      case '!':
        if (!two('=')) fail("expected \"!=\"");
        pos_ += 2;
        return filter::Op::ne;
      case '>':
      case '<': {
        bool or_equal = two('=');
        pos_ += or_equal ? 2 : 1;
        if (c == '>') return or_equal ? filter::Op::gte : filter::Op::gt;
        return or_equal ? filter::Op::lte : filter::Op::lt;
      }
      case ':':
        return named_operator();
      default:
        break;
    }
    if (at_end()) fail("expected an operator after the field (= != > >= < <= ~ :op= or ?)");
    fail(std::string("expected an operator (= != > >= < <= ~ :op= or ?), found \"") + c + "\"");
  }

  // ":NAME=" with a pynosqlc operator name.
  filter::Op named_operator() {
    std::size_t start = ++pos_;
    while (!at_end() && peek() != '=' && peek() != ',')
      ++pos_;
    std::string_view name = s_.substr(start, pos_ - start);
    if (peek() != '=') fail_at(start - 1, "expected \":op=\" (e.g. \":in=a|b\")");
    auto op = filter::op_from_string(name);
    if (!op) {
      fail_at(start, "unknown operator \"" + std::string(name) +
                         "\" (known: eq ne gt gte lt lte contains in nin exists)");
    }
    ++pos_;
    return *op;
  }

  // A JSON string token at pos_, parsed with its escapes.
  value quoted() {
    std::size_t start = pos_++;
    while (!at_end() && peek() != '"') {
      if (peek() == '\\') ++pos_;
      ++pos_;
    }
    if (at_end()) fail_at(start, "unterminated string");
    ++pos_;
    return json_at(start);
  }

  // A JSON array or object at pos_ (brackets balanced, strings skipped).
  value bracketed() {
    std::size_t start = pos_;
    int depth = 0;
    do {
      char c = peek();
      if (c == '"') {
        quoted();
        continue;
      }
      if (c == '[' || c == '{') ++depth;
      if (c == ']' || c == '}') --depth;
      ++pos_;
    } while (depth > 0 && !at_end());
    if (depth > 0) fail_at(start, "unterminated JSON value");
    return json_at(start);
  }

  value json_at(std::size_t start) const {
    try {
      return parse_json(s_.substr(start, pos_ - start));
    } catch (const SyntaxError& e) {
      fail_at(start + e.column() - 1, "bad JSON value: " + e.reason());
    }
  }

  // Raw text up to the next character in `stops`, trimmed; fails when empty.
  std::string_view raw(std::string_view stops) {
    std::size_t start = pos_;
    while (!at_end() && stops.find(peek()) == std::string_view::npos)
      ++pos_;
    std::string_view r = trim(s_.substr(start, pos_ - start));
    if (r.empty()) fail_at(start, "expected a value (write \"\" for the empty string)");
    return r;
  }

  value single() {
    char c = peek();
    if (c == '"') return quoted();
    if (c == '[' || c == '{') return bracketed();
    return typed_at(raw(","));
  }

  // `text` views s_.
  value typed_at(std::string_view text) const {
    auto v = typed_raw(text);
    if (!v) {
      fail_at(static_cast<std::size_t>(text.data() - s_.data()),
              "number out of range: " + std::string(text));
    }
    return std::move(*v);
  }

  value list() {
    if (peek() == '[') return bracketed();
    boost::json::array items;
    for (;;) {
      skip_spaces();
      items.push_back(peek() == '"' ? quoted() : typed_at(raw("|,")));
      skip_spaces();
      if (peek() != '|') break;
      ++pos_;
    }
    return items;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::size_t index_ = 0;       // 1-based number of the condition being parsed
  std::size_t cond_start_ = 0;  // where it starts
};

}  // namespace

SyntaxError::SyntaxError(std::size_t column, std::string reason, const std::string& message)
    : std::runtime_error(message), column_(column), reason_(std::move(reason)) {}

value parse_json(std::string_view text) {
  // As deep as the drivers read documents back, with numbers read exactly, so whatever
  // export wrote, import reads.
  JsonError error;
  auto parsed = parse_json_text(text, &error);
  if (!parsed) {
    std::size_t at = error.offset;
    std::string reason = error.reason;
    if (at >= text.size()) reason = "unexpected end of input (" + reason + ")";
    throw SyntaxError(at + 1, reason,
                      "invalid JSON at column " + std::to_string(at + 1) + ": " + reason);
  }
  value v = std::move(*parsed);
  if (auto path = non_finite_number(v)) {
    std::string where = path->empty() ? "" : " at " + *path;
    throw SyntaxError(1, "number out of range" + where,
                      "invalid JSON: number out of range" + where + " (beyond a double)");
  }
  return v;
}

filter::Ast parse_short_filter(std::string_view text) {
  return ShortParser(text).parse();
}

filter::Ast parse_filter(std::string_view text) {
  std::string_view t = trim(text);
  if (!t.empty() && t.front() == '{') {
    std::size_t lead = static_cast<std::size_t>(t.data() - text.data());
    try {
      return filter::Ast::from_json(parse_json(t));
    } catch (const SyntaxError& e) {
      std::size_t col = e.column() + lead;
      throw SyntaxError(col, e.reason(),
                        "invalid JSON filter at column " + std::to_string(col) + ": " + e.reason());
    }
  }
  return parse_short_filter(text);
}

}  // namespace nosqlc::cli
