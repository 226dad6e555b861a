// bench_command.cc: `coord bench WORKLOAD`: one JSON line per run, or with
// --sweep a range of worker counts on one or more backends and a chart.
#include <unistd.h>

#include <chrono>
#include <iostream>

#include "cli/backend.h"
#include "cli/bench.h"
#include "cli/bench_sweep.h"
#include "cli/commands.h"
#include "cli/failure.h"

namespace coord::cli {
namespace {

const Workload& find_workload(const std::string& name) {
  std::string known;
  for (const auto& w : workloads()) {
    if (name == w.name) return w;
    known += (known.empty() ? "" : ", ") + std::string(w.name);
  }
  throw usage_error("unknown workload '" + name + "' (one of: " + known + ")");
}

std::string fresh_prefix(const std::string& workload) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return "coord-bench/" + workload + "/" + std::to_string(::getpid()) + "-" +
         std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(now).count()) +
         "/";
}

}  // namespace

BenchResult run_bench_once(const BackendSpec& spec, const BenchConfig& config) {
  const Workload& workload = find_workload(config.workload);
#ifdef COORD_CLI_HAVE_SIM
  if (spec.kind == BackendSpec::Kind::kSim) return run_bench_sim(config);
#endif
  auto backend = Backend::open(spec);
  BenchEnv env;
  env.config = config;
  env.executor = backend->runtime().executor();
  env.prefix = fresh_prefix(config.workload);
  for (int i = 0; i < config.clients; ++i) env.clients.push_back(backend->client(i > 0));
  Stopwatch sw;
  auto check = backend->runtime().run(workload.run(env));
  const double seconds = std::chrono::duration<double>(sw.elapsed()).count();
  if (!check) throw Failure(config.workload + " on " + spec.display() + ": " +
                            describe(check.error()));
  BenchResult result;
  result.config = config;
  result.backend = spec.display();
  result.ops = config.n;
  result.seconds = seconds;
  result.p50_ms = env.recorder.percentile(0.50);
  result.p99_ms = env.recorder.percentile(0.99);
  result.check = *check;
  // Leave no bench keys behind (best effort: the figures are already taken).
  (void)backend->runtime().run(
      env.clients[0]->delete_range(DeleteRequest::prefix(env.prefix)));
  return result;
}

BenchConfig parse_bench_config(const ParsedArgs& args) {
  BenchConfig c;
  c.workload = args.positional(0, "WORKLOAD (see coord help)");
  find_workload(c.workload);
  c.workers = static_cast<int>(args.get_int("workers", 4, 1, 4096));
  c.clients = static_cast<int>(args.get_int("clients", 1, 1, 1024));
  c.n = args.get_int("n", 1000, 1, 100'000'000);
  return c;
}

int run_bench(const Words& words) {
  auto specs = backend_flags();
  for (auto& f : sweep_flags()) specs.push_back(f);
  specs.push_back({"workers", true, "concurrent workers W (default 4)"});
  specs.push_back({"clients", true, "clients C shared by the workers (default 1)"});
  specs.push_back({"n", true, "operations in total, rounds for barrier/dbarrier (default 1000)"});
  ParsedArgs args = parse_args(words, specs, 1);
  BenchConfig config = parse_bench_config(args);
  if (args.has("sweep")) return run_sweep(args, config);
  BenchResult r = run_bench_once(parse_backend(args), config);
  std::cout << r.json() << std::endl;
  return r.check == "ok" ? kOkExit : kCheckExit;
}

}  // namespace coord::cli
