// main.cc: the coord command: dispatches to a subcommand and turns a
// cli::Failure into one line on stderr and a non-zero exit.
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/failure.h"

int main(int argc, char** argv) {
  using namespace coord::cli;
  Words words(argv + 1, argv + argc);
  if (words.empty() || words[0] == "help" || words[0] == "--help" || words[0] == "-h") {
    print_help();
    return words.empty() ? kUsageExit : kOkExit;
  }
  const std::string name = words[0];
  words.erase(words.begin());
  try {
    for (const auto& c : commands()) {
      if (name == c.name) return c.run(words);
    }
    throw usage_error("unknown command '" + name + "' (see coord help)");
  } catch (const Failure& f) {
    std::cout.flush();
    std::cerr << "coord: " << f.what() << std::endl;
    return f.exit_code();
  }
}
