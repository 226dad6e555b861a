// queue_command.cc: `coord queue NAME` and `coord pqueue NAME`, etcd's
// classic queue demos: one command per stdin line (push V [PRIORITY], pop,
// quit), one result line each. Several processes on one etcd share a queue.
#include <iostream>

#include "cli/backend.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/repl.h"
#ifdef COORD_CLI_HAVE_PRIORITY_QUEUE
#include "recipes/priority_queue.h"
#endif
#ifdef COORD_CLI_HAVE_QUEUE
#include "recipes/queue.h"
#endif

namespace coord::cli {
namespace {

// join returns words[from, to) separated by single blanks.
[[maybe_unused]] std::string join(const std::vector<std::string>& words, std::size_t from, std::size_t to) {
  std::string s;
  for (std::size_t i = from; i < to; ++i) s += (i > from ? " " : "") + words[i];
  return s;
}

}  // namespace

#ifdef COORD_CLI_HAVE_QUEUE
int run_queue(const Words& words) {
  ParsedArgs args = parse_args(words, backend_flags(), 1);
  const std::string name = args.positional(0, "queue NAME (usage: coord queue NAME)");
  auto backend = Backend::open(parse_backend(args));
  auto client = backend->client();
  Queue queue(*client, name);
  auto& rt = backend->runtime();
  int failed = run_repl(std::cin, std::cout, [&](const Words& w) -> std::string {
    if (w[0] == "push" && w.size() >= 2) {
      check(rt.run(queue.enqueue(join(w, 1, w.size()))), "push");
      return "ok";
    }
    if (w[0] == "pop" && w.size() == 1) return check(rt.run(queue.dequeue()), "pop");
    throw usage_error("bad command '" + join(w, 0, w.size()) + "' (push VALUE | pop | quit)");
  });
  return failed ? kFailureExit : kOkExit;
}
#endif

#ifdef COORD_CLI_HAVE_PRIORITY_QUEUE
int run_pqueue(const Words& words) {
  ParsedArgs args = parse_args(words, backend_flags(), 1);
  const std::string name = args.positional(0, "queue NAME (usage: coord pqueue NAME)");
  auto backend = Backend::open(parse_backend(args));
  auto client = backend->client();
  PriorityQueue queue(*client, name);
  auto& rt = backend->runtime();
  int failed = run_repl(std::cin, std::cout, [&](const Words& w) -> std::string {
    if (w[0] == "push" && w.size() >= 3) {
      auto pr = parse_int(w.back(), "PRIORITY", 0, 65535);
      check(rt.run(queue.enqueue(join(w, 1, w.size() - 1), static_cast<std::uint16_t>(pr))),
            "push");
      return "ok";
    }
    if (w[0] == "pop" && w.size() == 1) return check(rt.run(queue.dequeue()), "pop");
    throw usage_error("bad command '" + join(w, 0, w.size()) +
                      "' (push VALUE PRIORITY | pop | quit; PRIORITY 0..65535, 0 first)");
  });
  return failed ? kFailureExit : kOkExit;
}
#endif

}  // namespace coord::cli
