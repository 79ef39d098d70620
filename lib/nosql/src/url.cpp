#include "nosqlc/nosql/url.hpp"

#include <algorithm>
#include <cctype>

namespace nosqlc {

std::optional<UrlParts> split_url(std::string_view url) noexcept {
  for (std::string_view prefix : {"nosqlc:", "pynosqlc:", "jsnosqlc:"}) {
    if (!url.starts_with(prefix)) continue;
    std::string_view rest = url.substr(prefix.size());
    auto colon = rest.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    return UrlParts{rest.substr(0, colon), rest.substr(colon + 1)};
  }
  return std::nullopt;
}

namespace {

bool names_a_secret(std::string_view key) {
  std::string k(key);
  std::transform(k.begin(), k.end(), k.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view word : {"password", "passwd", "pwd", "secret", "token", "credential"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::size_t details = 0;
  if (auto parts = split_url(url)) details = url.size() - parts->details.size();
  std::string out(url.substr(0, details));
  // Hosts and keyspaces hold no '@', so everything up to the last one is user-info, even when
  // the password itself holds '/', '?' or '&' (an '@' in an option value hides more).
  std::size_t rest_at = details;
  if (auto at = url.rfind('@'); at != std::string_view::npos && at >= details) {
    std::string_view info = url.substr(details, at - details);
    if (auto colon = info.find(':'); colon != std::string_view::npos) {
      out.append(info.substr(0, colon + 1));
    }
    out.append("***");
    rest_at = at;
  }
  const std::size_t query = std::min(url.find('?', rest_at), url.size());
  out.append(url.substr(rest_at, query - rest_at));
  if (query == url.size()) return out;
  out.push_back('?');
  std::string_view rest = url.substr(query + 1);
  bool first = true;
  while (true) {
    const auto amp = rest.find('&');
    std::string_view item = rest.substr(0, amp);
    if (!first) out.push_back('&');
    first = false;
    const auto eq = item.find('=');
    if (eq != std::string_view::npos && names_a_secret(item.substr(0, eq))) {
      out.append(item.substr(0, eq + 1));
      out.append("***");
    } else {
      out.append(item);
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace nosqlc
