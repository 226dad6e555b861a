// bench_locks.cc: the mutex, rwmutex, election and semaphore workloads.
// Each worker is one session (one process); an operation is one
// acquisition (one term for election), its latency the wait to acquire.
// The check is mutual exclusion (at most `permits` holders, no reader with
// a writer) and fencing tokens that only grow.
#include <mutex>

#include "cli/bench.h"
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
namespace {

using boost::asio::awaitable;

// Exclusion watches the holders of one lock from inside the process.
class Exclusion {
 public:
  explicit Exclusion(int permits) : permits_(permits) {}
  // enter records a holder; exclusive holders (writers, mutex, leader)
  // must be alone and their fencing tokens must grow.
  void enter(bool exclusive, Revision token) {
    std::lock_guard lock(mu_);
    if (exclusive) {
      if (holders_ > 0) fail("mutual exclusion broken: an exclusive holder with " +
                             std::to_string(holders_) + " others");
      if (token <= last_token_) fail("fencing token went backwards: " + std::to_string(token) +
                                     " after " + std::to_string(last_token_));
      last_token_ = token;
      exclusive_ = true;
    } else {
      if (exclusive_) fail("mutual exclusion broken: a shared holder with an exclusive one");
      if (holders_ >= permits_) fail("mutual exclusion broken: more than " +
                                     std::to_string(permits_) + " holders");
    }
    ++holders_;
  }
  void leave(bool exclusive) {
    std::lock_guard lock(mu_);
    --holders_;
    if (exclusive) exclusive_ = false;
  }
  Check verdict() {
    std::lock_guard lock(mu_);
    return broken_.empty() ? Check("ok") : broken_;
  }

 private:
  void fail(const std::string& what) {
    if (broken_.empty()) broken_ = what;
  }
  std::mutex mu_;
  int permits_;
  int holders_ = 0;
  bool exclusive_ = false;
  Revision last_token_ = 0;
  std::string broken_;
};

// with_session runs body(session) on a new session of worker w's client,
// then closes the session.
template <typename Body>
awaitable<Result<void>> with_session(BenchEnv& env, std::size_t w, Body body) {
  auto s = co_await Session::create(env.client_for(w));
  if (!s) co_return s.error();
  auto r = co_await body(*s);
  (void)co_await (*s)->close();
  co_return r;
}

}  // namespace

#ifdef COORD_CLI_HAVE_MUTEX
awaitable<Result<Check>> bench_mutex(BenchEnv& env) {
  Exclusion ex(1);
  auto r = co_await run_parallel(env.executor, env.config.workers, [&](std::size_t w) {
    return with_session(env, w, [&](std::shared_ptr<Session> s) -> awaitable<Result<void>> {
      Mutex m(s, env.prefix + "mutex");
      while (env.take_op()) {
        Stopwatch sw;
        auto token = co_await m.lock();
        if (!token) co_return token.error();
        env.recorder.add(sw.elapsed());
        ex.enter(true, *token);
        // The protected write, fenced by the store: applied only while held.
        TxnRequest t;
        t.success.push_back(Op::put(env.prefix + "mutex-data", std::to_string(*token)));
        auto g = co_await m.guarded_txn(std::move(t));
        ex.leave(true);
        if (!g) co_return g.error();
        auto u = co_await m.unlock();
        if (!u) co_return u.error();
      }
      co_return Result<void>{};
    });
  });
  if (!r) co_return r.error();
  co_return ex.verdict();
}
#endif

#ifdef COORD_CLI_HAVE_RW_MUTEX
awaitable<Result<Check>> bench_rwmutex(BenchEnv& env) {
  Exclusion ex(1 << 30);
  auto r = co_await run_parallel(env.executor, env.config.workers, [&](std::size_t w) {
    return with_session(env, w, [&](std::shared_ptr<Session> s) -> awaitable<Result<void>> {
      RWMutex m(s, env.prefix + "rwmutex");
      while (true) {
        const std::int64_t op = env.next_op.fetch_add(1);
        if (op >= env.config.n) break;
        const bool write = op % 5 == 0;  // one writer for four readers
        Stopwatch sw;
        auto token = co_await lock_side(m, write);
        if (!token) co_return token.error();
        env.recorder.add(sw.elapsed());
        ex.enter(write, *token);
        ex.leave(write);
        auto u = co_await unlock_side(m, write);
        if (!u) co_return u.error();
      }
      co_return Result<void>{};
    });
  });
  if (!r) co_return r.error();
  co_return ex.verdict();
}
#endif

#ifdef COORD_CLI_HAVE_ELECTION
awaitable<Result<Check>> bench_election(BenchEnv& env) {
  Exclusion ex(1);
  auto r = co_await run_parallel(env.executor, env.config.workers, [&](std::size_t w) {
    return with_session(env, w, [&](std::shared_ptr<Session> s) -> awaitable<Result<void>> {
      Election e(s, env.prefix + "election");
      while (env.take_op()) {
        Stopwatch sw;
        auto token = co_await e.campaign("worker-" + std::to_string(w));
        if (!token) co_return token.error();
        env.recorder.add(sw.elapsed());
        ex.enter(true, *token);
        ex.leave(true);
        auto u = co_await e.resign();
        if (!u) co_return u.error();
      }
      co_return Result<void>{};
    });
  });
  if (!r) co_return r.error();
  co_return ex.verdict();
}
#endif

#ifdef COORD_CLI_HAVE_SEMAPHORE
awaitable<Result<Check>> bench_semaphore(BenchEnv& env) {
  const int permits = std::max(1, env.config.workers / 2);
  Exclusion ex(permits);
  auto r = co_await run_parallel(env.executor, env.config.workers, [&](std::size_t w) {
    return with_session(env, w, [&](std::shared_ptr<Session> s) -> awaitable<Result<void>> {
      Semaphore sem(s, env.prefix + "semaphore", permits);
      while (env.take_op()) {
        Stopwatch sw;
        auto token = co_await sem.acquire();
        if (!token) co_return token.error();
        env.recorder.add(sw.elapsed());
        ex.enter(false, *token);
        ex.leave(false);
        auto u = co_await sem.release();
        if (!u) co_return u.error();
      }
      co_return Result<void>{};
    });
  });
  if (!r) co_return r.error();
  co_return ex.verdict();
}
#endif

}  // namespace coord::cli
