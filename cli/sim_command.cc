// sim_command.cc: `coord sim WORKLOAD --nodes N --seed S --faults PROFILE
// --duration D` wraps the simulator's runner (sim/runner.h): verdicts,
// throughput and the trace hash; a failing run prints its replay command.
// Also `coord bench WORKLOAD --backend sim`.
#ifdef COORD_CLI_HAVE_SIM
#include <iostream>

#include "cli/args.h"
#include "cli/bench_sweep.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "sim/runner.h"
#include "sim/workload.h"

namespace coord::cli {
namespace {

std::string known_workloads() {
  std::string s;
  for (const auto& n : sim::workload_names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

void require_workload(const std::string& name) {
  for (const auto& n : sim::workload_names()) {
    if (n == name) return;
  }
  throw usage_error("the simulator has no workload '" + name + "' (one of: " +
                    known_workloads() + ")");
}

}  // namespace

int run_sim(const Words& words) {
  const std::vector<FlagSpec> specs = {
      {"nodes", true, "simulated nodes (default 5)"},
      {"seed", true, "seed of the run (default 1)"},
      {"faults", true, "comma-separated fault profiles (default none)"},
      {"duration", true, "virtual time of the fault phase: 10s, 500ms, 2m (default 10s)"},
      {"ttl", true, "session TTL of the nodes in seconds (default 3)"},
      {"mutant", true, "run a deliberately broken recipe variant (checker tests)"},
      {"rate", true, "offered ops per virtual second over all nodes (kv; default 0: closed loop)"},
      {"trace", false, "print the trace"},
  };
  ParsedArgs args = parse_args(words, specs, 1);
  sim::RunConfig cfg;
  cfg.workload = args.positional(0, "WORKLOAD (usage: coord sim WORKLOAD --nodes N --seed S)");
  require_workload(cfg.workload);
  cfg.nodes = static_cast<int>(args.get_int("nodes", 5, 1, 100'000));
  cfg.seed = static_cast<std::uint64_t>(args.get_int("seed", 1, 0));
  cfg.faults = args.get_or("faults", "none");
  cfg.ttl_seconds = args.get_int("ttl", 3, 1, 1'000'000);
  cfg.mutant = args.get_or("mutant", "");
  cfg.rate = static_cast<double>(args.get_int("rate", 0, 0, 100'000'000));
  cfg.record_trace = args.has("trace");
  if (auto d = args.get("duration")) {
    auto parsed = sim::parse_duration(*d);
    if (!parsed) throw usage_error("--duration expects 10s, 500ms, 2m or seconds, got '" + *d + "'");
    cfg.duration = *parsed;
  }
  sim::RunReport r = sim::run(cfg);
  if (!r.error.empty()) throw usage_error(r.error);
  for (const auto& line : r.trace_lines) std::cout << line << "\n";
  std::cout << sim::format_report(r) << std::flush;
  return r.ok ? kOkExit : kCheckExit;
}

BenchResult run_bench_sim(const BenchConfig& config) {
  require_workload(config.workload);
  sim::RunConfig cfg;
  cfg.workload = config.workload;
  cfg.nodes = config.workers;
  cfg.seed = 1;
  sim::RunReport r = sim::run(cfg);
  if (!r.error.empty()) throw Failure("sim: " + r.error);
  BenchResult out;
  out.config = config;
  out.backend = "sim";
  out.ops = static_cast<std::int64_t>(r.ops);
  out.seconds = r.virtual_seconds;  // virtual time: the simulator's clock
  out.p50_ms = r.p50_ms;
  out.p99_ms = r.p99_ms;
  for (const auto& v : r.verdicts) {
    if (!v.ok && out.check == "ok") out.check = v.checker + ": " + v.detail;
  }
  return out;
}

}  // namespace coord::cli
#endif
