// commands.h: the coord subcommands and their registry.
//
// Each subcommand lives in its own file (queue_command.cc, bench_command.cc,
// ...) and exposes one entry point taking the words after its name. It
// returns the process exit code and throws cli::Failure for user errors.
// Subcommands whose recipe is not built are absent from the registry.
// Thread-safety: commands run on the main thread.
#pragma once

#include <string>
#include <vector>

namespace coord::cli {

using Words = std::vector<std::string>;

// Command is one registered subcommand.
struct Command {
  const char* name;
  const char* usage;    // "queue NAME"
  const char* summary;  // one line
  int (*run)(const Words& words);
};

// commands lists every subcommand built into this coord.
const std::vector<Command>& commands();

// print_help writes the overview of every subcommand to stdout.
void print_help();

int run_demo(const Words& words);
int run_queue(const Words& words);
int run_pqueue(const Words& words);
int run_barrier(const Words& words);
int run_dbarrier(const Words& words);
int run_lock(const Words& words);
int run_elect(const Words& words);
int run_stm_bank(const Words& words);
int run_bench(const Words& words);
int run_sim(const Words& words);

}  // namespace coord::cli
