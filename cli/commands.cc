#include "cli/commands.h"

#include <cstdio>
#include <iostream>

#include "cli/backend.h"

namespace coord::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"demo", "demo", "run every recipe on the embedded store with simulated nodes", run_demo},
#ifdef COORD_CLI_HAVE_QUEUE
      {"queue", "queue NAME", "interactive queue: push V | pop | quit", run_queue},
#endif
#ifdef COORD_CLI_HAVE_PRIORITY_QUEUE
      {"pqueue", "pqueue NAME", "interactive priority queue: push V PRIORITY | pop | quit",
       run_pqueue},
#endif
#ifdef COORD_CLI_HAVE_BARRIER
      {"barrier", "barrier NAME", "interactive barrier: hold | release | wait | quit",
       run_barrier},
#endif
#ifdef COORD_CLI_HAVE_DOUBLE_BARRIER
      {"dbarrier", "dbarrier NAME COUNT", "interactive double barrier: enter | leave | quit",
       run_dbarrier},
#endif
#ifdef COORD_CLI_HAVE_MUTEX
      {"lock", "lock NAME [-- COMMAND...]", "hold a lock (while COMMAND runs), print the token",
       run_lock},
#endif
#ifdef COORD_CLI_HAVE_ELECTION
      {"elect", "elect NAME [PROPOSAL] [-l]", "campaign and hold leadership; -l observes",
       run_elect},
#endif
#ifdef COORD_CLI_HAVE_STM
      {"stm-bank", "stm-bank [--accounts 5 --workers 10 --transfers 100]",
       "the STM bank transfer demo: prints every balance and the sum", run_stm_bank},
#endif
      {"bench", "bench WORKLOAD [--workers W --n N --clients C] [--sweep]",
       "benchmark a workload; prints one JSON line", run_bench},
#ifdef COORD_CLI_HAVE_SIM
      {"sim", "sim WORKLOAD --nodes N --seed S --faults PROFILE --duration D",
       "run the deterministic simulator: verdicts, throughput, trace hash", run_sim},
#endif
  };
  return all;
}

void print_help() {
  std::printf("usage: coord COMMAND [ARGS] [--backend B]\n\ncommands:\n");
  for (const auto& c : commands()) std::printf("  %-58s %s\n", c.usage, c.summary);
  std::printf("\nbackend flags (every command but sim):\n");
  for (const auto& f : backend_flags()) {
    std::printf("  --%-14s %s\n", f.name.c_str(), f.help.c_str());
  }
  std::printf("\nDefault backend: $COORD_BACKEND, else embedded:%s\n",
              default_store_path().c_str());
}

}  // namespace coord::cli
