// The shape every nosqlc URL has: "<prefix>:<driver>:<details>", where the prefix is
// "nosqlc", or "pynosqlc" / "jsnosqlc" so one configuration string serves every port.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nosqlc {

struct UrlParts {
  std::string_view driver;   // e.g. "cassandra"
  std::string_view details;  // everything after "<driver>:"
};

// Splits `url`; nullopt when it lacks a known prefix or a driver name. Views into `url`.
std::optional<UrlParts> split_url(std::string_view url) noexcept;

// `url` as errors and logs may show it: a user-info part before '@' loses its password
// ("user:secret@host" -> "user:***@host", "secret@host" -> "***@host"), and the value of
// every option whose name speaks of a secret (password, passwd, pwd, secret, token,
// credential) becomes "***". Every message of nosqlc that names a URL shows it so.
std::string redact_url(std::string_view url);

}  // namespace nosqlc
