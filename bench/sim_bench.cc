// sim_bench.cc: contention under simulated nodes, in virtual time, and what
// the simulation costs in wall-clock time.
//
//   build/bench/sim_bench --benchmark_format=json > sim_bench.json
//
// Counters per run (one iteration = one whole simulated run):
//   virtual_ops_per_s  recipe operations per virtual second (contention
//                      throughput: lock/unlock cycles, enqueue+dequeue, ...)
//   p50_ms / p99_ms    virtual latency of one recipe operation
//   kv_ops             simulated KV calls the nodes sent
//   kv_ops_per_wall_s  simulated KV calls per wall-clock second
//   speedup            virtual seconds per wall-clock second
// Wall-clock time is measured here, never inside sim/.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "sim/runner.h"

namespace {
using namespace std::chrono_literals;

void run_sim(benchmark::State& state, const std::string& workload, coord::Duration duration,
             double rate = 0) {
  coord::sim::RunConfig cfg;
  cfg.rate = rate;
  cfg.workload = workload;
  cfg.nodes = static_cast<int>(state.range(0));
  cfg.seed = 1;
  cfg.faults = "none";
  cfg.duration = duration;
  cfg.liveness_bound = 10s;
  cfg.ttl_seconds = 60;  // no expiry from slow turns: measure contention only
  coord::sim::RunReport r;
  double wall = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    r = coord::sim::run(cfg);
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  if (!r.ok) state.SkipWithError(("checkers failed: " + r.replay).c_str());
  const double iters = static_cast<double>(state.iterations());
  state.counters["virtual_ops_per_s"] = r.throughput;
  state.counters["p50_ms"] = r.p50_ms;
  state.counters["p99_ms"] = r.p99_ms;
  state.counters["kv_ops"] = static_cast<double>(r.kv_ops);
  state.counters["kv_ops_per_wall_s"] = static_cast<double>(r.kv_ops) * iters / wall;
  state.counters["speedup"] = r.virtual_seconds * iters / wall;
  state.counters["virtual_s"] = r.virtual_seconds;
}

#define COORD_SIM_BENCH(name, workload, seconds)                                   \
  void BM_##name(benchmark::State& state) { run_sim(state, workload, seconds); } \
  BENCHMARK(BM_##name)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime()

// Contention as the node count grows. Short virtual runs: at 10,000 nodes
// most time goes to the store's range sorts.
COORD_SIM_BENCH(Mutex, "mutex", 2s)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);
COORD_SIM_BENCH(Election, "election", 2s)->Arg(10)->Arg(100)->Arg(1000);
COORD_SIM_BENCH(Semaphore, "semaphore", 2s)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);
COORD_SIM_BENCH(RWMutex, "rw_mutex", 2s)->Arg(10)->Arg(100)->Arg(1000);
COORD_SIM_BENCH(Queue, "queue", 2s)->Arg(10)->Arg(100)->Arg(1000);
COORD_SIM_BENCH(PriorityQueue, "priority_queue", 2s)->Arg(10)->Arg(100)->Arg(1000);
COORD_SIM_BENCH(Stm, "stm", 2s)->Arg(10)->Arg(100)->Arg(1000);
COORD_SIM_BENCH(Barrier, "barrier", 2s)->Arg(10)->Arg(100)->Arg(1000);
COORD_SIM_BENCH(DoubleBarrier, "double_barrier", 2s)->Arg(10)->Arg(100)->Arg(1000);
// Kv stops at 1,000 nodes: its liveness check wants every node to commit
// after the heal, and 10,000 nodes on one CAS counter need far more than
// the 10 s bound for that.
COORD_SIM_BENCH(Kv, "kv", 2s)->Arg(10)->Arg(100)->Arg(1000);

// Simulator speed: 5 nodes offered 1000 CAS increments per virtual second
// in total (paced, about 2,200 KV ops per virtual second) for 10 virtual
// minutes; speedup is the ratio to real time, kv_ops_per_wall_s the
// simulated KV rate.
void BM_SimSpeedFiveNodesAt1000OpsPerSecond(benchmark::State& state) {
  run_sim(state, "kv", 600s, 1000);
}
BENCHMARK(BM_SimSpeedFiveNodesAt1000OpsPerSecond)
    ->Arg(5)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

// KV rate of the simulator with contention: 5 closed-loop nodes on one CAS
// counter for 10 virtual minutes.
COORD_SIM_BENCH(SimSpeedFiveNodesClosedLoop, "kv", 600s)->Arg(5);

}  // namespace

BENCHMARK_MAIN();
