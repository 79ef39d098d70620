#include "nosqlc/nosql/url.hpp"

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

}  // namespace nosqlc
