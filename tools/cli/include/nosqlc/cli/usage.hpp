// The text of `nosqlc --help`.
#pragma once

#include <string_view>

namespace nosqlc::cli {

// The full help: synopsis, options, commands, the FILTER grammar and the exit codes.
std::string_view usage_text() noexcept;

}  // namespace nosqlc::cli
