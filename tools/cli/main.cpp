// nosqlc: the command-line client. All logic lives in nosqlc_cli (nosqlc/cli/run.hpp).
#include <nosqlc/cli/run.hpp>

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  int code = nosqlc::cli::run(std::move(args), std::cin, std::cout, std::cerr,
                              nosqlc::cli::Env::from_process());
  std::cout.flush();
  return code;
}
