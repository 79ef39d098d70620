// nosqlc: the command-line client. All logic lives in nosqlc_cli (nosqlc/cli/run.hpp).
#include <nosqlc/cli/run.hpp>

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  auto env = nosqlc::cli::Env::from_process();
  // run() flushes and checks its output itself (exit 4 when it cannot be written).
  return nosqlc::cli::run(std::move(args), nosqlc::cli::process_stdin(), std::cout, std::cerr, env);
}
