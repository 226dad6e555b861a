// demo_command.cc: `coord demo`, every recipe on the embedded store with
// simulated nodes, explained.
#include <iostream>

#include "cli/backend.h"
#include "cli/commands.h"
#include "cli/demo.h"
#include "cli/failure.h"

namespace coord::cli {

void DemoContext::say(std::size_t node, const std::string& text) const {
  out << "  [node-" << node + 1 << "] " << text << "\n";
}

void DemoContext::note(const std::string& text) const { out << "  => " << text << "\n"; }

std::vector<DemoPart> demo_parts() {
  std::vector<DemoPart> parts = {{"revisions, transactions, leases and watches", demo_kv}};
#ifdef COORD_CLI_HAVE_QUEUE
  parts.push_back({"Queue: producers and consumers, each item delivered once", demo_queue});
#endif
#ifdef COORD_CLI_HAVE_PRIORITY_QUEUE
  parts.push_back({"PriorityQueue: lower number first", demo_priority_queue});
#endif
#ifdef COORD_CLI_HAVE_BARRIER
  parts.push_back({"Barrier: waiters block until release", demo_barrier});
#endif
#ifdef COORD_CLI_HAVE_DOUBLE_BARRIER
  parts.push_back({"DoubleBarrier: enter together, leave together", demo_double_barrier});
#endif
#ifdef COORD_CLI_HAVE_STM
  parts.push_back({"STM: concurrent bank transfers keep the sum", demo_stm});
#endif
#ifdef COORD_CLI_HAVE_MUTEX
  parts.push_back({"Mutex: one holder at a time, fencing tokens", demo_mutex});
#endif
#ifdef COORD_CLI_HAVE_RW_MUTEX
  parts.push_back({"RWMutex: many readers or one writer", demo_rw_mutex});
#endif
#ifdef COORD_CLI_HAVE_ELECTION
  parts.push_back({"Election: one leader, observers follow", demo_election});
#endif
#ifdef COORD_CLI_HAVE_SEMAPHORE
  parts.push_back({"Semaphore: at most N holders", demo_semaphore});
#endif
  return parts;
}

int run_demo(const Words& words) {
  auto specs = backend_flags();
  specs.push_back({"nodes", true, "simulated nodes (default 3)"});
  ParsedArgs args = parse_args(words, specs, 0);
  // The demo defaults to a fresh in-memory store so it never touches data.
  BackendSpec spec = args.has("backend") ? parse_backend(args) : parse_backend_text("memory");
  auto backend = Backend::open(spec);
  DemoContext ctx{std::cout, {}, "coord-demo/"};
  const auto n = args.get_int("nodes", 3, 2, 16);
  for (std::int64_t i = 0; i < n; ++i) ctx.nodes.push_back(backend->client(true));
  std::cout << "coord demo: every recipe on the " << spec.display() << " store with " << n
            << " simulated nodes (each node is its own client, as a process would be)\n";
  int failed = 0;
  auto parts = demo_parts();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::cout << "\n" << i + 1 << ". " << parts[i].title << "\n";
    ctx.prefix = "coord-demo/" + std::to_string(i + 1) + "/";
    auto r = backend->runtime().run(parts[i].run(ctx));
    if (!r) {
      ++failed;
      std::cout << "  !! failed: " << describe(r.error()) << "\n";
    }
    std::cout.flush();
  }
  std::cout << "\n" << parts.size() - failed << " of " << parts.size()
            << " parts ran as expected.\n";
  return failed ? kFailureExit : kOkExit;
}

}  // namespace coord::cli
