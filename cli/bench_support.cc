// bench_support.cc: the pieces every bench workload shares.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>
#include <cmath>
#include <cstdio>

#include "api/event.h"
#include "cli/bench.h"

namespace coord::cli {

std::string BenchResult::json() const {
  std::string check_escaped;
  for (char c : check) {
    if (c == '"' || c == '\\') check_escaped += '\\';
    check_escaped += c;
  }
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"workload\":\"%s\",\"backend\":\"%s\",\"workers\":%d,\"clients\":%d,"
                "\"ops\":%lld,\"seconds\":%.3f,\"ops_per_s\":%.1f,\"p50_ms\":%.3f,"
                "\"p99_ms\":%.3f,\"check\":\"%s\"}",
                config.workload.c_str(), backend.c_str(), config.workers, config.clients,
                static_cast<long long>(ops), seconds, ops_per_s(), p50_ms, p99_ms,
                check_escaped.c_str());
  return buf;
}

void Recorder::add(std::chrono::steady_clock::duration d) {
  const double ms = std::chrono::duration<double, std::milli>(d).count();
  std::lock_guard lock(mu_);
  ms_.push_back(ms);
}

double Recorder::percentile(double q) {
  std::lock_guard lock(mu_);
  if (ms_.empty()) return 0;
  std::sort(ms_.begin(), ms_.end());
  auto idx = static_cast<std::size_t>(std::ceil(q * ms_.size()));
  idx = std::clamp<std::size_t>(idx, 1, ms_.size()) - 1;
  return ms_[idx];
}

std::size_t Recorder::count() {
  std::lock_guard lock(mu_);
  return ms_.size();
}

boost::asio::awaitable<Result<void>> run_parallel(
    boost::asio::any_io_executor ex, std::size_t count,
    std::function<boost::asio::awaitable<Result<void>>(std::size_t)> body) {
  struct State {
    std::mutex mu;
    std::size_t left = 0;
    ErrorCode first;
    std::exception_ptr exception;
    AsyncEvent done;
  };
  auto st = std::make_shared<State>();
  st->left = count;
  if (count == 0) co_return Result<void>{};
  for (std::size_t i = 0; i < count; ++i) {
    boost::asio::co_spawn(boost::asio::make_strand(ex), body(i),
                          [st](std::exception_ptr e, Result<void> r) {
                            std::lock_guard lock(st->mu);
                            if (e && !st->exception) st->exception = e;
                            if (!e && !r && !st->first) st->first = r.error();
                            if (--st->left == 0) st->done.set();
                          });
  }
  auto w = co_await st->done.wait();
  if (!w) co_return w.error();
  if (st->exception) std::rethrow_exception(st->exception);
  if (st->first) co_return st->first;
  co_return Result<void>{};
}

const std::vector<Workload>& workloads() {
  static const std::vector<Workload> all = {
      {"put", bench_put},
      {"txn", bench_txn},
#ifdef COORD_CLI_HAVE_QUEUE
      {"queue", bench_queue},
#endif
#ifdef COORD_CLI_HAVE_PRIORITY_QUEUE
      {"pqueue", bench_pqueue},
#endif
#ifdef COORD_CLI_HAVE_STM
      {"stm", bench_stm},
#endif
#ifdef COORD_CLI_HAVE_MUTEX
      {"mutex", bench_mutex},
#endif
#ifdef COORD_CLI_HAVE_RW_MUTEX
      {"rwmutex", bench_rwmutex},
#endif
#ifdef COORD_CLI_HAVE_BARRIER
      {"barrier", bench_barrier},
#endif
#ifdef COORD_CLI_HAVE_DOUBLE_BARRIER
      {"dbarrier", bench_dbarrier},
#endif
#ifdef COORD_CLI_HAVE_ELECTION
      {"election", bench_election},
#endif
#ifdef COORD_CLI_HAVE_SEMAPHORE
      {"semaphore", bench_semaphore},
#endif
  };
  return all;
}

}  // namespace coord::cli
