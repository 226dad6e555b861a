// bench_queue.cc: the queue and pqueue workloads: W producers and W
// consumers move N items; every item must be delivered exactly once.
#include <mutex>
#include <set>

#include "cli/bench.h"
#ifdef COORD_CLI_HAVE_QUEUE
#include "recipes/queue.h"
#endif
#ifdef COORD_CLI_HAVE_PRIORITY_QUEUE
#include "recipes/priority_queue.h"
#endif

namespace coord::cli {
namespace {

using boost::asio::awaitable;

// Deliveries records what consumers got and judges exactly-once delivery.
struct Deliveries {
  std::mutex mu;
  std::multiset<std::string> seen;
  std::atomic<std::int64_t> produced{0}, consumed{0};

  void add(std::string v) {
    std::lock_guard lock(mu);
    seen.insert(std::move(v));
  }
  Check verdict(std::int64_t n) {
    std::lock_guard lock(mu);
    for (const auto& v : seen) {
      if (seen.count(v) > 1) return "exactly-once delivery broken: item " + v + " delivered twice";
    }
    if (static_cast<std::int64_t>(seen.size()) != n) {
      return "exactly-once delivery broken: " + std::to_string(seen.size()) + " of " +
             std::to_string(n) + " items delivered";
    }
    return "ok";
  }
};

// run_queue_bench runs W producers (enqueue(i, value)) and W consumers
// (dequeue()) over one queue object per worker, made by make(client).
template <typename Q, typename Make, typename Enqueue>
awaitable<Result<Check>> run_queue_bench(BenchEnv& env, Make make, Enqueue enqueue) {
  Deliveries d;
  const std::int64_t n = env.config.n;
  const auto w = static_cast<std::size_t>(env.config.workers);
  auto r = co_await run_parallel(env.executor, 2 * w, [&](std::size_t i) -> awaitable<Result<void>> {
    Q q = make(env.client_for(i % w));
    const bool producer = i < w;
    while (true) {
      const std::int64_t op = (producer ? d.produced : d.consumed).fetch_add(1);
      if (op >= n) break;
      Stopwatch sw;
      if (producer) {
        auto e = co_await enqueue(q, op);
        if (!e) co_return e.error();
      } else {
        auto v = co_await q.dequeue();
        if (!v) co_return v.error();
        d.add(std::move(*v));
      }
      env.recorder.add(sw.elapsed());
    }
    co_return Result<void>{};
  });
  if (!r) co_return r.error();
  co_return d.verdict(n);
}

}  // namespace

#ifdef COORD_CLI_HAVE_QUEUE
awaitable<Result<Check>> bench_queue(BenchEnv& env) {
  return run_queue_bench<Queue>(
      env, [&](Client& c) { return Queue(c, env.prefix + "queue"); },
      [](Queue& q, std::int64_t i) { return q.enqueue("item-" + std::to_string(i)); });
}
#endif

#ifdef COORD_CLI_HAVE_PRIORITY_QUEUE
awaitable<Result<Check>> bench_pqueue(BenchEnv& env) {
  return run_queue_bench<PriorityQueue>(
      env, [&](Client& c) { return PriorityQueue(c, env.prefix + "pqueue"); },
      [](PriorityQueue& q, std::int64_t i) {
        return q.enqueue("item-" + std::to_string(i), static_cast<std::uint16_t>(i % 8));
      });
}
#endif

}  // namespace coord::cli
