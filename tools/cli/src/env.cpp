#include "nosqlc/cli/run.hpp"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <istream>
#include <streambuf>
#include <system_error>

namespace nosqlc::cli {
namespace {

std::atomic<int> g_signal{0};
std::atomic<bool> g_watching{false};

// While an import watches, a signal only records itself (the import stops cleanly);
// otherwise it does what it would have done without this handler. SA_RESETHAND makes a
// second signal take the default action: a user who presses Ctrl-C twice is not kept
// waiting for writes in flight.
extern "C" void on_signal(int sig) {
  if (g_watching.load()) {
    g_signal.store(sig);
    return;
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;  // no SA_RESTART: a blocked read returns EINTR
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// fd 0 through read(2): libstdc++'s own stdin buffer retries a read interrupted by a signal,
// which would leave an interrupted import waiting for input that may never come.
class StdinBuffer final : public std::streambuf {
 protected:
  int_type underflow() override {
    for (;;) {
      ssize_t n = ::read(STDIN_FILENO, buf_, sizeof buf_);
      if (n > 0) {
        setg(buf_, buf_, buf_ + n);
        return traits_type::to_int_type(buf_[0]);
      }
      if (n == 0) return traits_type::eof();
      if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "read");
      if (g_signal.load() != 0) return traits_type::eof();
    }
  }

 private:
  char buf_[64 * 1024];
};

}  // namespace

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
  static const bool installed = (install_handlers(), true);
  (void)installed;
  env.interrupt = &g_signal;
  env.watching = &g_watching;
  return env;
}

std::istream& process_stdin() {
  static StdinBuffer buffer;
  static std::istream in(&buffer);
  return in;
}

}  // namespace nosqlc::cli
