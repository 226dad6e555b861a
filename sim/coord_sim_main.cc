// coord_sim_main.cc: coord_sim_run, one simulated workload from the command
// line (the `coord sim` command wraps the same arguments):
//
//   coord_sim_run WORKLOAD [--nodes N] [--seed S] [--faults PROFILE]
//                 [--duration D] [--seeds K] [--mutant M] [--ttl T] [--rate R] [--trace]
//
// Prints the checkers' verdicts, throughput and the trace hash; on failure a
// one-line replay command. --seeds K runs seeds S..S+K-1 (a seed sweep) and
// prints one line per failing seed. Exit status: 0 pass, 1 fail, 2 usage.
#include <cstdio>
#include <cstring>
#include <string>

#include "sim/runner.h"

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: coord_sim_run WORKLOAD [--nodes N] [--seed S] [--faults PROFILE]\n"
               "       [--duration D] [--seeds K] [--mutant M] [--ttl T] [--rate R] [--trace]\n"
               "workloads:");
  for (const auto& n : coord::sim::workload_names()) std::fprintf(stderr, " %s", n.c_str());
  std::fprintf(stderr, "\nprofiles: none latency drops partitions crashes starvation "
                       "clock-pause all (comma-separated)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return usage();
  coord::sim::RunConfig cfg;
  cfg.workload = argv[1];
  std::uint64_t seeds = 1;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--trace") {
      cfg.record_trace = true;
      continue;
    }
    if (i + 1 >= argc) return usage();
    const std::string v = argv[++i];
    if (a == "--nodes") cfg.nodes = std::stoi(v);
    else if (a == "--seed") cfg.seed = std::stoull(v);
    else if (a == "--seeds") seeds = std::stoull(v);
    else if (a == "--faults") cfg.faults = v;
    else if (a == "--mutant") cfg.mutant = v;
    else if (a == "--ttl") cfg.ttl_seconds = std::stoll(v);
    else if (a == "--rate") cfg.rate = std::stod(v);
    else if (a == "--duration") {
      auto d = coord::sim::parse_duration(v);
      if (!d) return usage();
      cfg.duration = *d;
    } else {
      return usage();
    }
  }
  if (seeds == 1) {
    auto r = coord::sim::run(cfg);
    for (const auto& line : r.trace_lines) std::printf("%s\n", line.c_str());
    std::fputs(coord::sim::format_report(r).c_str(), stdout);
    if (!r.error.empty()) return 2;
    return r.ok ? 0 : 1;
  }
  std::uint64_t failed = 0;
  const std::uint64_t first = cfg.seed;
  for (std::uint64_t s = first; s < first + seeds; ++s) {
    cfg.seed = s;
    auto r = coord::sim::run(cfg);
    if (!r.error.empty()) {
      std::fputs(coord::sim::format_report(r).c_str(), stdout);
      return 2;
    }
    if (!r.ok) {
      ++failed;
      for (const auto& v : r.verdicts) {
        if (!v.ok) std::printf("seed %llu FAIL %s: %s\n", static_cast<unsigned long long>(s),
                               v.checker.c_str(), v.detail.c_str());
      }
      std::printf("replay: %s\n", r.replay.c_str());
    }
  }
  std::printf("%llu/%llu seeds passed\n", static_cast<unsigned long long>(seeds - failed),
              static_cast<unsigned long long>(seeds));
  return failed == 0 ? 0 : 1;
}
