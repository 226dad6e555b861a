// bench.h: `coord bench` workloads and what they share.
//
// A workload runs W workers (coroutines, each on its own strand of the
// backend runtime) over C clients (worker w uses client w % C) until N
// operations are done in total (N rounds for barrier and dbarrier). Each
// operation's latency is recorded; the workload returns its check: "ok" or
// the invariant that failed (exactly-once delivery, conserved sum, mutual
// exclusion). Keys live under a fresh prefix, deleted afterwards.
// Thread-safety: BenchEnv's counters and Recorder are thread-safe.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/client.h"

namespace coord::cli {

// BenchConfig is what the user asked for.
struct BenchConfig {
  std::string workload;
  int workers = 4;
  int clients = 1;
  std::int64_t n = 1000;
};

// BenchResult is one JSON line of output.
struct BenchResult {
  BenchConfig config;
  std::string backend;
  std::int64_t ops = 0;
  double seconds = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::string check = "ok";

  double ops_per_s() const { return seconds > 0 ? ops / seconds : 0; }
  // json renders the result as one line of JSON.
  std::string json() const;
};

// Recorder collects operation latencies from many workers.
class Recorder {
 public:
  // add records one latency.
  void add(std::chrono::steady_clock::duration d);
  // percentile returns the q-quantile (0..1) in milliseconds (0 if empty).
  double percentile(double q);
  std::size_t count();

 private:
  std::mutex mu_;
  std::vector<double> ms_;
};

// Stopwatch measures one operation on the wall clock (the CLI may).
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  std::chrono::steady_clock::duration elapsed() const {
    return std::chrono::steady_clock::now() - start_;
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// BenchEnv is what a workload runs against.
struct BenchEnv {
  BenchConfig config;
  boost::asio::any_io_executor executor;        // the runtime's io_context
  std::vector<std::shared_ptr<Client>> clients;  // C clients
  std::string prefix;                            // fresh, ends with "/"
  Recorder recorder;
  std::atomic<std::int64_t> next_op{0};          // op tickets handed out

  Client& client_for(std::size_t worker) { return *clients[worker % clients.size()]; }
  // take_op claims the next operation; false once N were claimed.
  bool take_op() { return next_op.fetch_add(1) < config.n; }
};

// Check is a workload's verdict: "ok" or the broken invariant.
using Check = std::string;
using WorkloadFn = boost::asio::awaitable<Result<Check>> (*)(BenchEnv& env);

// Workload names a workload and its runner.
struct Workload {
  const char* name;
  WorkloadFn run;
};

// workloads lists the workloads built into this coord.
const std::vector<Workload>& workloads();

// run_parallel runs body(0..count-1), each on its own strand of ex, and
// waits for all. Returns the first error; rethrows a body's exception.
[[nodiscard]] boost::asio::awaitable<Result<void>> run_parallel(
    boost::asio::any_io_executor ex, std::size_t count,
    std::function<boost::asio::awaitable<Result<void>>(std::size_t)> body);

// The workloads (bench_kv.cc, bench_queue.cc, bench_locks.cc,
// bench_barrier.cc).
boost::asio::awaitable<Result<Check>> bench_put(BenchEnv& env);
boost::asio::awaitable<Result<Check>> bench_txn(BenchEnv& env);
boost::asio::awaitable<Result<Check>> bench_queue(BenchEnv& env);
boost::asio::awaitable<Result<Check>> bench_pqueue(BenchEnv& env);
boost::asio::awaitable<Result<Check>> bench_stm(BenchEnv& env);
boost::asio::awaitable<Result<Check>> bench_mutex(BenchEnv& env);
boost::asio::awaitable<Result<Check>> bench_rwmutex(BenchEnv& env);
boost::asio::awaitable<Result<Check>> bench_barrier(BenchEnv& env);
boost::asio::awaitable<Result<Check>> bench_dbarrier(BenchEnv& env);
boost::asio::awaitable<Result<Check>> bench_election(BenchEnv& env);
boost::asio::awaitable<Result<Check>> bench_semaphore(BenchEnv& env);

}  // namespace coord::cli
