// barrier_example: etcd's classic barrier demo. Reads commands from stdin,
// one per line, and prints one line per result:
//   hold     create the barrier           -> "held"
//   release  delete it, waking waiters    -> "released"
//   wait     block until it is released   -> "passed"
//   quit     exit
// Usage: barrier_example [--etcd HOST:PORT] [NAME]   (NAME default "deploy")
#include <iostream>
#include <string>

#include "api/blocking.h"
#include "examples/example_backend.h"
#include "recipes/blocking/barrier.h"

namespace {

void report(const coord::Result<void>& r, const char* ok) {
  std::cout << (r ? std::string(ok) : "error: " + r.error().message()) << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  auto kv = examples::open_backend(argc, argv);
  if (!kv) return 1;
  coord::blocking::Client client(kv);
  coord::blocking::Barrier b(client, examples::first_name(argc, argv, "deploy"));

  for (std::string line; std::getline(std::cin, line);) {
    if (line == "hold") {
      report(b.hold(), "held");
    } else if (line == "release") {
      report(b.release(), "released");
    } else if (line == "wait") {
      report(b.wait(), "passed");
    } else if (line == "quit") {
      return 0;
    } else if (!line.empty()) {
      std::cout << "error: unknown command (hold | release | wait | quit)" << std::endl;
    }
  }
  return 0;
}
