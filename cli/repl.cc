#include "cli/repl.h"

#include <sstream>

#include "cli/failure.h"

namespace coord::cli {

int run_repl(std::istream& in, std::ostream& out, const ReplHandler& handler) {
  int failures = 0;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream split(line);
    std::vector<std::string> words;
    for (std::string w; split >> w;) words.push_back(w);
    if (words.empty()) continue;
    if (words[0] == "quit" || words[0] == "exit") break;
    try {
      out << handler(words) << std::endl;
    } catch (const Failure& f) {
      ++failures;
      out << "error: " << f.what() << std::endl;
    }
  }
  return failures;
}

void expect_words(const std::vector<std::string>& words, std::size_t n,
                  const std::string& usage) {
  if (words.size() != n) throw usage_error("usage: " + usage);
}

}  // namespace coord::cli
