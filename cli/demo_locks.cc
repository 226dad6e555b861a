// demo_locks.cc: the ownership recipes of `coord demo`: mutex, rwmutex,
// election and semaphore, each contended by simulated nodes.
#include <boost/asio/this_coro.hpp>

#include "cli/bench.h"
#include "cli/demo.h"
#include "recipes/session.h"
#ifdef COORD_CLI_HAVE_MUTEX
#include "recipes/mutex.h"
#endif
#ifdef COORD_CLI_HAVE_RW_MUTEX
#include "cli/rw_side.h"
#include "recipes/rw_mutex.h"
#endif
#ifdef COORD_CLI_HAVE_ELECTION
#include "recipes/election.h"
#endif
#ifdef COORD_CLI_HAVE_SEMAPHORE
#include "recipes/semaphore.h"
#endif

namespace coord::cli {

using boost::asio::awaitable;

namespace {

// for_each_node runs body(i, session) on every node, each with a session.
template <typename Body>
awaitable<Result<void>> for_each_node(DemoContext& ctx, Body body) {
  auto ex = co_await boost::asio::this_coro::executor;
  co_return co_await run_parallel(ex, ctx.nodes.size(), [&](std::size_t i) -> awaitable<Result<void>> {
    COORD_CLI_TRY(session, co_await Session::create(*ctx.nodes[i]));
    auto r = co_await body(i, session);
    (void)co_await session->close();
    co_return r;
  });
}

}  // namespace

#ifdef COORD_CLI_HAVE_MUTEX
awaitable<Result<void>> demo_mutex(DemoContext& ctx) {
  COORD_CLI_CHECK(co_await for_each_node(ctx, [&](std::size_t i, std::shared_ptr<Session> s) -> awaitable<Result<void>> {
    Mutex m(s, ctx.prefix + "printer");
    COORD_CLI_TRY(token, co_await m.lock());
    ctx.say(i, "locked printer, fencing token " + std::to_string(token));
    TxnRequest t;
    t.success.push_back(Op::put(ctx.prefix + "printed-by", "node-" + std::to_string(i + 1)));
    COORD_CLI_CHECK(co_await m.guarded_txn(std::move(t)));
    ctx.say(i, "wrote printed-by in a guarded txn (applied only while the lock is held)");
    COORD_CLI_CHECK(co_await m.unlock());
    ctx.say(i, "unlocked");
    co_return Result<void>{};
  }));
  ctx.note("one holder at a time, FIFO by key creation; tokens only grow, so a resource that "
           "remembers the highest token it saw rejects a stale holder (fencing)");
  co_return Result<void>{};
}
#endif

#ifdef COORD_CLI_HAVE_RW_MUTEX
awaitable<Result<void>> demo_rw_mutex(DemoContext& ctx) {
  COORD_CLI_CHECK(co_await for_each_node(ctx, [&](std::size_t i, std::shared_ptr<Session> s) -> awaitable<Result<void>> {
    RWMutex m(s, ctx.prefix + "config");
    const bool writer = i == 0;
    COORD_CLI_TRY(token, co_await lock_side(m, writer));
    ctx.say(i, std::string(writer ? "write" : "read") + "-locked config, token " +
                   std::to_string(token));
    COORD_CLI_CHECK(co_await unlock_side(m, writer));
    ctx.say(i, writer ? "write-unlocked" : "read-unlocked");
    co_return Result<void>{};
  }));
  ctx.note("readers share the lock, a writer waits for older holders and excludes everyone; "
           "order is FIFO by creation, so writers do not starve");
  co_return Result<void>{};
}
#endif

#ifdef COORD_CLI_HAVE_ELECTION
awaitable<Result<void>> demo_election(DemoContext& ctx) {
  COORD_CLI_CHECK(co_await for_each_node(ctx, [&](std::size_t i, std::shared_ptr<Session> s) -> awaitable<Result<void>> {
    Election e(s, ctx.prefix + "scheduler");
    COORD_CLI_TRY(token, co_await e.campaign("node-" + std::to_string(i + 1)));
    COORD_CLI_TRY(leader, co_await e.leader());
    ctx.say(i, "elected (token " + std::to_string(token) + "); leader() says " + leader.value);
    COORD_CLI_CHECK(co_await e.resign());
    ctx.say(i, "resigned: the next candidate takes over");
    co_return Result<void>{};
  }));
  ctx.note("candidates queue by creation revision; exactly one leads at a time and each term's "
           "token is larger than the last");
  co_return Result<void>{};
}
#endif

#ifdef COORD_CLI_HAVE_SEMAPHORE
awaitable<Result<void>> demo_semaphore(DemoContext& ctx) {
  std::atomic<int> inside{0}, most{0};
  COORD_CLI_CHECK(co_await for_each_node(ctx, [&](std::size_t i, std::shared_ptr<Session> s) -> awaitable<Result<void>> {
    Semaphore sem(s, ctx.prefix + "db-connections", 2);
    COORD_CLI_TRY(token, co_await sem.acquire());
    const int now = ++inside;
    most = std::max(most.load(), now);
    ctx.say(i, "acquired a permit (token " + std::to_string(token) + "), " +
                   std::to_string(now) + " of 2 in use");
    COORD_CLI_CHECK(co_await s->client().clock().sleep_for(std::chrono::milliseconds(20)));
    --inside;
    COORD_CLI_CHECK(co_await sem.release());
    co_return Result<void>{};
  }));
  ctx.note("at most 2 permits were ever held at once (seen: " + std::to_string(most.load()) +
           "); permits are session keys, so a crashed holder's permit returns with its lease");
  co_return Result<void>{};
}
#endif

}  // namespace coord::cli
