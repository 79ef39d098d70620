// The shape every nosqlc URL has: "<prefix>:<driver>:<details>", where the prefix is
// "nosqlc", or "pynosqlc" / "jsnosqlc" so one configuration string serves every port.
#pragma once

#include <optional>
#include <string_view>

namespace nosqlc {

struct UrlParts {
  std::string_view driver;   // e.g. "cassandra"
  std::string_view details;  // everything after "<driver>:"
};

// Splits `url`; nullopt when it lacks a known prefix or a driver name. Views into `url`.
std::optional<UrlParts> split_url(std::string_view url) noexcept;

}  // namespace nosqlc
