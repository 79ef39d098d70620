#include "nosqlc/cli/run.hpp"

#include <unistd.h>

#include <cstdlib>

namespace nosqlc::cli {

std::optional<std::string> Env::get(const std::string& name) const {
  auto it = vars.find(name);
  if (it == vars.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Env Env::from_process() {
  Env env;
  for (const char* name :
       {"NOSQLC_URL", "NOSQLC_COLLECTION", "NOSQLC_USERNAME", "NOSQLC_PASSWORD"}) {
    if (const char* v = std::getenv(name)) env.vars[name] = v;
  }
  env.err_is_terminal = ::isatty(STDERR_FILENO) == 1;
  return env;
}

}  // namespace nosqlc::cli
