// queue_example: etcd's classic queue demo. Reads commands from stdin, one
// per line, and prints one line per result:
//   push V   enqueue V            -> "ok"
//   pop      dequeue (blocks until an item arrives) -> the value
//   quit     exit
// Usage: queue_example [--etcd HOST:PORT] [NAME]   (NAME default "jobs")
// Two processes with the same --etcd and NAME share one queue.
#include <iostream>
#include <string>

#include "api/blocking.h"
#include "examples/example_backend.h"
#include "recipes/blocking/queue.h"

int main(int argc, char** argv) {
  auto kv = examples::open_backend(argc, argv);
  if (!kv) return 1;
  coord::blocking::Client client(kv);
  coord::blocking::Queue q(client, examples::first_name(argc, argv, "jobs"));

  for (std::string line; std::getline(std::cin, line);) {
    if (line.rfind("push ", 0) == 0) {
      auto r = q.enqueue(line.substr(5));
      std::cout << (r ? "ok" : "error: " + r.error().message()) << std::endl;
    } else if (line == "pop") {
      auto v = q.dequeue();
      std::cout << (v ? *v : "error: " + v.error().message()) << std::endl;
    } else if (line == "quit") {
      return 0;
    } else if (!line.empty()) {
      std::cout << "error: unknown command (push V | pop | quit)" << std::endl;
    }
  }
  return 0;
}
