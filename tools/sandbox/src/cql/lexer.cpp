#include "cql/lexer.hpp"

#include <cctype>
#include <optional>

namespace nosqlc::sandbox::cql {
namespace {

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_ident_char(char c) {
  return is_letter(c) || is_digit(c) || c == '_';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view q) : q_(q) {}

  Expected<std::vector<Token>, ParseError> run() {
    std::vector<Token> out;
    while (i_ < q_.size()) {
      std::size_t start = i_;
      SourcePos pos = pos_at(start);
      Token t;
      if (auto err = next(t)) return unexpected(ParseError{err->pos, err->detail});
      t.begin = start;
      t.end = i_;
      t.pos = pos;
      out.push_back(std::move(t));
    }
    Token eof;
    eof.kind = TokenKind::end;
    eof.begin = eof.end = q_.size();
    eof.pos = pos_at(q_.size());
    out.push_back(std::move(eof));
    return out;
  }

 private:
  // Line and column of byte offset `off`; offsets are asked for in increasing order.
  SourcePos pos_at(std::size_t off) {
    for (; walked_ < off && walked_ < q_.size(); ++walked_) {
      unsigned char c = static_cast<unsigned char>(q_[walked_]);
      if (c == '\n') {
        ++walk_pos_.line;
        walk_pos_.column = 0;
      } else if ((c & 0xC0) != 0x80) {  // count code points, not UTF-8 continuation bytes
        ++walk_pos_.column;
      }
    }
    return walk_pos_;
  }

  char peek(std::size_t ahead = 0) const { return i_ + ahead < q_.size() ? q_[i_ + ahead] : '\0'; }

  std::optional<ParseError> error_at(std::size_t off, std::string detail) {
    return ParseError{pos_at(off), std::move(detail)};
  }

  std::optional<ParseError> unterminated(char quote) {
    return error_at(q_.size(),
                    std::string("mismatched character '<EOF>' expecting '") + quote + "'");
  }

  // Lexes one token starting at i_ into `t`.
  std::optional<ParseError> next(Token& t) {
    char c = peek();
    if (is_space(c)) {
      while (i_ < q_.size() && is_space(q_[i_]))
        ++i_;
      t.kind = TokenKind::hidden;
      return std::nullopt;
    }
    if ((c == '-' && peek(1) == '-') || (c == '/' && peek(1) == '/')) {
      while (i_ < q_.size() && q_[i_] != '\n')
        ++i_;
      t.kind = TokenKind::hidden;
      return std::nullopt;
    }
    if (c == '/' && peek(1) == '*') {
      std::size_t close = q_.find("*/", i_ + 2);
      if (close == std::string_view::npos) {
        return error_at(q_.size(), "mismatched character '<EOF>' expecting '*'");
      }
      i_ = close + 2;
      t.kind = TokenKind::hidden;
      return std::nullopt;
    }
    if (c == '\'') return quoted(t, '\'', TokenKind::string);
    if (c == '"') return quoted(t, '"', TokenKind::quoted_identifier);
    if (c == '$' && peek(1) == '$') {
      std::size_t close = q_.find("$$", i_ + 2);
      if (close == std::string_view::npos) return unterminated('$');
      t.kind = TokenKind::string;
      t.text = std::string(q_.substr(i_ + 2, close - i_ - 2));
      i_ = close + 2;
      return std::nullopt;
    }
    if (is_hex(c) && uuid_ahead()) {
      t.kind = TokenKind::uuid;
      t.text = std::string(q_.substr(i_, 36));
      i_ += 36;
      return std::nullopt;
    }
    if (c == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      std::size_t j = i_ + 2;
      while (j < q_.size() && is_hex(q_[j]))
        ++j;
      t.kind = TokenKind::blob;
      t.text = std::string(q_.substr(i_, j - i_));
      i_ = j;
      return std::nullopt;
    }
    if (is_digit(c) || (c == '-' && is_digit(peek(1)))) return number(t);
    if (is_letter(c)) {
      std::size_t j = i_;
      while (j < q_.size() && is_ident_char(q_[j]))
        ++j;
      t.kind = TokenKind::identifier;
      t.text = lower(q_.substr(i_, j - i_));
      i_ = j;
      return std::nullopt;
    }
    if (c == '?') {
      ++i_;
      t.kind = TokenKind::bind_marker;
      t.text = "?";
      return std::nullopt;
    }
    if (c == ':' && (is_letter(peek(1)) || peek(1) == '"')) {
      ++i_;
      Token name;
      if (peek() == '"') {
        if (auto err = quoted(name, '"', TokenKind::quoted_identifier)) return err;
      } else {
        std::size_t j = i_;
        while (j < q_.size() && is_ident_char(q_[j]))
          ++j;
        name.text = lower(q_.substr(i_, j - i_));
        i_ = j;
      }
      t.kind = TokenKind::named_marker;
      t.text = std::move(name.text);
      return std::nullopt;
    }
    if ((c == '!' || c == '<' || c == '>') && peek(1) == '=') {
      t.kind = TokenKind::symbol;
      t.text = std::string(q_.substr(i_, 2));
      i_ += 2;
      return std::nullopt;
    }
    static constexpr std::string_view kSingles = "()[]{},;.*=<>+-:/%";
    if (kSingles.find(c) != std::string_view::npos) {
      t.kind = TokenKind::symbol;
      t.text = std::string(1, c);
      ++i_;
      return std::nullopt;
    }
    // Quote the whole code point of a non-ASCII character.
    std::size_t len = 1;
    while (i_ + len < q_.size() && (static_cast<unsigned char>(q_[i_ + len]) & 0xC0) == 0x80) {
      ++len;
    }
    return error_at(i_,
                    "no viable alternative at character '" + std::string(q_.substr(i_, len)) + "'");
  }

  // 'string' or "identifier", the quote doubled inside to escape it.
  std::optional<ParseError> quoted(Token& t, char quote, TokenKind kind) {
    std::string text;
    std::size_t j = i_ + 1;
    for (;;) {
      if (j >= q_.size()) return unterminated(quote);
      if (q_[j] == quote) {
        if (j + 1 < q_.size() && q_[j + 1] == quote) {
          text += quote;
          j += 2;
          continue;
        }
        break;
      }
      text += q_[j++];
    }
    if (kind == TokenKind::quoted_identifier && text.empty()) {
      return error_at(i_, "no viable alternative at input '\"\"'");
    }
    i_ = j + 1;
    t.kind = kind;
    t.text = std::move(text);
    return std::nullopt;
  }

  bool uuid_ahead() const {
    static constexpr int kGroups[] = {8, 4, 4, 4, 12};
    std::size_t j = i_;
    for (int g = 0; g < 5; ++g) {
      if (g > 0) {
        if (j >= q_.size() || q_[j] != '-') return false;
        ++j;
      }
      for (int k = 0; k < kGroups[g]; ++k, ++j) {
        if (j >= q_.size() || !is_hex(q_[j])) return false;
      }
    }
    return j >= q_.size() || !is_ident_char(q_[j]);
  }

  // The end of a duration literal starting at i_ (Cassandra's DURATION: -?(digits unit)+,
  // units case-insensitive), or 0 when there is none.
  std::size_t duration_end() const {
    static constexpr std::string_view kUnits[] = {"mo", "ms", "us", "\xC2\xB5s", "ns", "y",
                                                  "w",  "d",  "h",  "m",         "s"};
    std::size_t j = i_;
    if (j < q_.size() && q_[j] == '-') ++j;
    bool any = false;
    while (j < q_.size() && is_digit(q_[j])) {
      while (j < q_.size() && is_digit(q_[j]))
        ++j;
      std::size_t unit = 0;
      for (std::string_view u : kUnits) {
        if (j + u.size() > q_.size()) continue;
        bool same = true;
        for (std::size_t k = 0; k < u.size() && same; ++k) {
          same = std::tolower(static_cast<unsigned char>(q_[j + k])) ==
                 static_cast<unsigned char>(u[k]);
        }
        if (same) {
          unit = u.size();
          break;
        }
      }
      if (unit == 0) return 0;
      j += unit;
      any = true;
    }
    if (!any || (j < q_.size() && is_ident_char(q_[j]))) return 0;
    return j;
  }

  // -?digits, then an optional fraction and exponent (Cassandra's INTEGER and FLOAT), or a
  // duration.
  std::optional<ParseError> number(Token& t) {
    if (std::size_t end = duration_end(); end != 0) {
      t.kind = TokenKind::duration;
      t.text = std::string(q_.substr(i_, end - i_));
      i_ = end;
      return std::nullopt;
    }
    std::size_t j = i_;
    if (q_[j] == '-') ++j;
    while (j < q_.size() && is_digit(q_[j]))
      ++j;
    bool is_float = false;
    if (j < q_.size() && q_[j] == '.') {
      is_float = true;
      ++j;
      while (j < q_.size() && is_digit(q_[j]))
        ++j;
    }
    if (j < q_.size() && (q_[j] == 'e' || q_[j] == 'E')) {
      std::size_t k = j + 1;
      if (k < q_.size() && (q_[k] == '+' || q_[k] == '-')) ++k;
      if (k < q_.size() && is_digit(q_[k])) {
        is_float = true;
        j = k;
        while (j < q_.size() && is_digit(q_[j]))
          ++j;
      }
    }
    t.kind = is_float ? TokenKind::float_ : TokenKind::integer;
    t.text = std::string(q_.substr(i_, j - i_));
    i_ = j;
    return std::nullopt;
  }

  std::string_view q_;
  std::size_t i_ = 0;
  std::size_t walked_ = 0;
  SourcePos walk_pos_;
};

}  // namespace

std::string ParseError::message() const {
  return "line " + std::to_string(pos.line) + ":" + std::to_string(pos.column) + " " + detail;
}

Expected<std::vector<Token>, ParseError> lex(std::string_view query) {
  return Lexer(query).run();
}

}  // namespace nosqlc::sandbox::cql
