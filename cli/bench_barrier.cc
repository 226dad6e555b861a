// bench_barrier.cc: the barrier, dbarrier and stm workloads.
//   barrier: per round one holder and W waiters; latency = release -> the
//     last waiter woken; check: no waiter passes a held barrier.
//   dbarrier: per round W participants enter and leave; latency = the
//     round; check: nobody is through enter (leave) before all arrived.
//   stm: N bank transfers over 5 accounts; check: the sum is conserved.
#include <random>

#include "cli/bank.h"
#include "cli/bench.h"
#include "recipes/session.h"
#ifdef COORD_CLI_HAVE_BARRIER
#include "recipes/barrier.h"
#endif
#ifdef COORD_CLI_HAVE_DOUBLE_BARRIER
#include "recipes/double_barrier.h"
#endif

namespace coord::cli {
namespace {

using boost::asio::awaitable;
using SteadyTime = std::chrono::steady_clock::time_point;

// Verdict keeps the first broken invariant of a run.
struct Verdict {
  std::mutex mu;
  std::string broken;
  void fail(const std::string& what) {
    std::lock_guard lock(mu);
    if (broken.empty()) broken = what;
  }
  Check get() {
    std::lock_guard lock(mu);
    return broken.empty() ? Check("ok") : broken;
  }
};

}  // namespace

#ifdef COORD_CLI_HAVE_BARRIER
namespace {

// barrier_round holds the barrier, lets W waiters block on it, releases it
// and measures release -> last waiter woken.
awaitable<Result<void>> barrier_round(BenchEnv& env, std::int64_t round, Verdict& v) {
  const std::string key = env.prefix + "barrier/" + std::to_string(round);
  Barrier holder(*env.clients[0], key);
  if (auto h = co_await holder.hold(); !h) co_return h.error();
  const auto w = static_cast<std::size_t>(env.config.workers);
  std::atomic<std::size_t> started{0};
  std::atomic<bool> released{false};
  SteadyTime release_at{}, last_woken{};
  std::mutex mu;
  auto r = co_await run_parallel(env.executor, w + 1, [&](std::size_t i) -> awaitable<Result<void>> {
    Client& c = env.client_for(i);
    if (i == w) {  // the releaser: lets the waiters block first
      while (started.load() < w) (void)co_await c.clock().sleep_for(std::chrono::milliseconds(1));
      (void)co_await c.clock().sleep_for(std::chrono::milliseconds(2));
      release_at = std::chrono::steady_clock::now();
      released = true;
      co_return co_await holder.release();
    }
    Barrier b(c, key);
    ++started;
    if (auto r = co_await b.wait(); !r) co_return r.error();
    if (!released.load()) v.fail("a waiter passed a held barrier");
    std::lock_guard lock(mu);
    last_woken = std::max(last_woken, std::chrono::steady_clock::now());
    co_return Result<void>{};
  });
  if (!r) co_return r.error();
  env.recorder.add(last_woken - release_at);
  co_return Result<void>{};
}

}  // namespace

awaitable<Result<Check>> bench_barrier(BenchEnv& env) {
  Verdict v;
  for (std::int64_t round = 0; round < env.config.n; ++round) {
    if (auto r = co_await barrier_round(env, round, v); !r) co_return r.error();
  }
  co_return v.get();
}
#endif

#ifdef COORD_CLI_HAVE_DOUBLE_BARRIER
awaitable<Result<Check>> bench_dbarrier(BenchEnv& env) {
  Verdict v;
  const auto w = static_cast<std::size_t>(env.config.workers);
  std::vector<std::shared_ptr<Session>> sessions(w);
  auto made = co_await run_parallel(env.executor, w, [&](std::size_t i) -> awaitable<Result<void>> {
    auto s = co_await Session::create(env.client_for(i));
    if (!s) co_return s.error();
    sessions[i] = *s;
    co_return Result<void>{};
  });
  if (!made) co_return made.error();
  for (std::int64_t round = 0; round < env.config.n && made; ++round) {
    std::atomic<std::size_t> entering{0}, leaving{0};
    const std::string key = env.prefix + "dbarrier/" + std::to_string(round);
    Stopwatch sw;
    made = co_await run_parallel(env.executor, w, [&](std::size_t i) -> awaitable<Result<void>> {
      DoubleBarrier b(*sessions[i], key, static_cast<int>(w));
      ++entering;
      if (auto r = co_await b.enter(); !r) co_return r.error();
      if (entering.load() != w) v.fail("a participant passed enter before all entered");
      ++leaving;
      if (auto r = co_await b.leave(); !r) co_return r.error();
      if (leaving.load() != w) v.fail("a participant passed leave before all left");
      co_return Result<void>{};
    });
    env.recorder.add(sw.elapsed());
  }
  for (auto& s : sessions) {
    if (s) (void)co_await s->close();
  }
  if (!made) co_return made.error();
  co_return v.get();
}
#endif

#ifdef COORD_CLI_HAVE_STM
awaitable<Result<Check>> bench_stm(BenchEnv& env) {
  Bank bank;
  bank.prefix = env.prefix + "bank/";
  if (auto r = co_await bank_open(*env.clients[0], bank); !r) co_return r.error();
  auto r = co_await run_parallel(env.executor, env.config.workers, [&](std::size_t w) -> awaitable<Result<void>> {
    std::mt19937 rng(static_cast<std::uint32_t>(w) + 1);
    std::uniform_int_distribution<int> pick(0, bank.accounts - 1), amount(1, 20);
    while (env.take_op()) {
      const int from = pick(rng);
      const int to = (from + 1 + pick(rng) % (bank.accounts - 1)) % bank.accounts;
      Stopwatch sw;
      auto t = co_await bank_transfer(env.client_for(w), bank, from, to, amount(rng));
      if (!t) co_return t.error();
      env.recorder.add(sw.elapsed());
    }
    co_return Result<void>{};
  });
  if (!r) co_return r.error();
  auto balances = co_await bank_balances(*env.clients[0], bank);
  if (!balances) co_return balances.error();
  std::int64_t sum = 0;
  for (auto b : *balances) sum += b;
  const std::int64_t want = bank.initial * bank.accounts;
  if (sum != want) {
    co_return "conserved sum broken: " + std::to_string(sum) + " != " + std::to_string(want);
  }
  co_return Check("ok");
}
#endif

}  // namespace coord::cli
