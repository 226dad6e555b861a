// demo_recipes.cc: the data recipes of `coord demo`: queue, priority
// queue, barrier, double barrier and STM, each run by simulated nodes.
#include <boost/asio/this_coro.hpp>

#include "cli/bank.h"
#include "cli/bench.h"
#include "cli/demo.h"
#include "recipes/session.h"
#ifdef COORD_CLI_HAVE_QUEUE
#include "recipes/queue.h"
#endif
#ifdef COORD_CLI_HAVE_PRIORITY_QUEUE
#include "recipes/priority_queue.h"
#endif
#ifdef COORD_CLI_HAVE_BARRIER
#include "recipes/barrier.h"
#endif
#ifdef COORD_CLI_HAVE_DOUBLE_BARRIER
#include "recipes/double_barrier.h"
#endif

namespace coord::cli {

using boost::asio::awaitable;

#ifdef COORD_CLI_HAVE_QUEUE
awaitable<Result<void>> demo_queue(DemoContext& ctx) {
  Queue producer(*ctx.nodes[0], ctx.prefix + "jobs");
  for (const char* job : {"resize-image", "send-mail", "bill-customer"}) {
    COORD_CLI_CHECK(co_await producer.enqueue(job));
    ctx.say(0, std::string("enqueue ") + job);
  }
  for (std::size_t i = 1; i <= 3; ++i) {
    const std::size_t node = i % ctx.nodes.size();
    Queue consumer(*ctx.nodes[node], ctx.prefix + "jobs");
    COORD_CLI_TRY(job, co_await consumer.dequeue());
    ctx.say(node, "dequeue -> " + job);
  }
  ctx.note("items come out in order, each to exactly one consumer: a dequeue claims the head "
           "key with a compare-and-delete on its revision, losers try the next key");
  co_return Result<void>{};
}
#endif

#ifdef COORD_CLI_HAVE_PRIORITY_QUEUE
awaitable<Result<void>> demo_priority_queue(DemoContext& ctx) {
  PriorityQueue q(*ctx.nodes[0], ctx.prefix + "tasks");
  const std::pair<const char*, int> items[] = {{"backup", 9}, {"page-oncall", 0}, {"reindex", 5}};
  for (const auto& [v, p] : items) {
    COORD_CLI_CHECK(co_await q.enqueue(v, static_cast<std::uint16_t>(p)));
    ctx.say(0, std::string("enqueue ") + v + " at priority " + std::to_string(p));
  }
  PriorityQueue other(*ctx.nodes[1], ctx.prefix + "tasks");
  for (int i = 0; i < 3; ++i) {
    COORD_CLI_TRY(v, co_await other.dequeue());
    ctx.say(1, "dequeue -> " + v);
  }
  ctx.note("lower numbers first (0 is the most urgent), FIFO within a priority; the key is "
           "prefix/%05d(priority)/%016d(sequence), as in etcd's Go recipe");
  co_return Result<void>{};
}
#endif

#ifdef COORD_CLI_HAVE_BARRIER
awaitable<Result<void>> demo_barrier(DemoContext& ctx) {
  const std::string key = ctx.prefix + "deploy-gate";
  Barrier gate(*ctx.nodes[0], key);
  COORD_CLI_CHECK(co_await gate.hold());
  ctx.say(0, "hold the barrier");
  std::atomic<bool> released{false};
  auto ex = co_await boost::asio::this_coro::executor;
  const std::size_t waiters = ctx.nodes.size() - 1;
  auto r = co_await run_parallel(ex, waiters + 1, [&](std::size_t i) -> awaitable<Result<void>> {
    if (i == waiters) {
      COORD_CLI_CHECK(co_await ctx.nodes[0]->clock().sleep_for(std::chrono::milliseconds(50)));
      released = true;
      ctx.say(0, "release the barrier");
      co_return co_await gate.release();
    }
    Barrier b(*ctx.nodes[i + 1], key);
    COORD_CLI_CHECK(co_await b.wait());
    ctx.say(i + 1, released ? "wait returned after the release" : "wait returned EARLY");
    co_return Result<void>{};
  });
  if (!r) co_return r.error();
  ctx.note("waiters watch the barrier key from the revision they read, so a release is never "
           "missed (etcd 3.4's Wait could hang if another write came first)");
  co_return Result<void>{};
}
#endif

#ifdef COORD_CLI_HAVE_DOUBLE_BARRIER
awaitable<Result<void>> demo_double_barrier(DemoContext& ctx) {
  const std::string key = ctx.prefix + "phase";
  const int count = static_cast<int>(ctx.nodes.size());
  auto ex = co_await boost::asio::this_coro::executor;
  auto r = co_await run_parallel(ex, ctx.nodes.size(), [&](std::size_t i) -> awaitable<Result<void>> {
    COORD_CLI_TRY(session, co_await Session::create(*ctx.nodes[i]));
    DoubleBarrier b(*session, key, count);
    ctx.say(i, "enter");
    auto e = co_await b.enter();
    if (e) ctx.say(i, "entered: all " + std::to_string(count) + " are in, compute...");
    Result<void> l = e;  // g++ 12: no co_await inside ?: (sim/FINDINGS.md F2)
    if (e) l = co_await b.leave();
    if (l) ctx.say(i, "left: everyone is done");
    (void)co_await session->close();
    co_return l;
  });
  if (!r) co_return r.error();
  ctx.note("nobody passes enter until COUNT participants arrived, nobody passes leave until "
           "all have left; keys are on session leases, so a crashed node cannot block forever");
  co_return Result<void>{};
}
#endif

#ifdef COORD_CLI_HAVE_STM
awaitable<Result<void>> demo_stm(DemoContext& ctx) {
  Bank bank;
  bank.prefix = ctx.prefix + "bank/";
  bank.accounts = 3;
  COORD_CLI_CHECK(co_await bank_open(*ctx.nodes[0], bank));
  ctx.say(0, "open 3 accounts with 100 each");
  auto ex = co_await boost::asio::this_coro::executor;
  auto r = co_await run_parallel(ex, ctx.nodes.size(), [&](std::size_t i) -> awaitable<Result<void>> {
    for (int k = 0; k < 10; ++k) {
      const int from = static_cast<int>((i + k) % 3), to = static_cast<int>((i + k + 1) % 3);
      COORD_CLI_CHECK(co_await bank_transfer(*ctx.nodes[i], bank, from, to, 7 + k));
    }
    ctx.say(i, "made 10 transfers concurrently with the other nodes");
    co_return Result<void>{};
  });
  if (!r) co_return r.error();
  COORD_CLI_TRY(balances, co_await bank_balances(*ctx.nodes[0], bank));
  std::int64_t sum = 0;
  std::string line = "balances:";
  for (auto b : balances) sum += b, line += " " + std::to_string(b);
  ctx.say(0, line + ", sum " + std::to_string(sum));
  ctx.note("the sum is still 300: each transfer is one serializable transaction; on a "
           "conflict it re-runs on fresh values instead of overwriting");
  co_return Result<void>{};
}
#endif

}  // namespace coord::cli
