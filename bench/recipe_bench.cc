// recipe_bench: the latency of one recipe operation, uncontended, on the
// embedded store (memory) and, with --etcd HOST:PORT, a real etcd: what each
// documented round trip costs. Plus MutexHandoff: unlock by the holder ->
// the queued waiter's lock() returns (the wake-up path: one watch event and
// one confirming read).
//
//   recipe_bench --benchmark_format=json [--etcd 127.0.0.1:2379]
//
// Each benchmark reports real time per operation (the iteration is one
// operation, or one enqueue+dequeue pair where named so).
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/client.h"
#include "backends/embedded/embedded.h"
#include "backends/etcd/etcd_client.h"
#include "bench/bench_main.h"
#include "recipes/barrier.h"
#include "recipes/election.h"
#include "recipes/mutex.h"
#include "recipes/priority_queue.h"
#include "recipes/queue.h"
#include "recipes/rw_mutex.h"
#include "recipes/semaphore.h"
#include "recipes/session.h"
#include "recipes/stm.h"

namespace {

namespace asio = boost::asio;
using coord::Client;
using Clock = std::chrono::steady_clock;

std::string g_etcd;
std::map<std::string, std::shared_ptr<Client>> g_clients;
int g_run = 0;  // makes every benchmark's keys fresh

std::shared_ptr<Client> client(const std::string& backend) {
  if (auto it = g_clients.find(backend); it != g_clients.end()) return it->second;
  std::shared_ptr<Client> c;
  if (backend == "memory") c = coord::embedded::open_memory();
  if (backend == "etcd") {
    coord::etcd::Options o;
    o.endpoints = {g_etcd};
    if (auto r = coord::etcd::connect(o)) c = *r;
  }
  return g_clients[backend] = c;
}

void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

// Body is one benchmark's coroutine: it loops over state itself and
// returns an error text ("" when fine).
using Body = std::function<asio::awaitable<std::string>(benchmark::State&, Client&,
                                                        const std::string& prefix)>;

void run_body(benchmark::State& state, const std::string& backend, const Body& body) {
  auto c = client(backend);
  if (!c) return state.SkipWithError(("backend " + backend + " unavailable").c_str());
  const std::string prefix = "bench/recipes/" + std::to_string(++g_run) + "/";
  asio::io_context io;
  std::string error;
  auto run = [&]() -> asio::awaitable<void> { error = co_await body(state, *c, prefix); };
  asio::co_spawn(io, run, rethrow);
  io.run();
  if (!error.empty()) state.SkipWithError(error.c_str());
}

#define BENCH_TRY(expr, what)                              \
  do {                                                     \
    auto bench_r = (expr);                                 \
    if (!bench_r) co_return std::string(what) + ": " + bench_r.error().message(); \
  } while (0)

asio::awaitable<std::string> queue_pair(benchmark::State& s, Client& c, const std::string& p) {
  coord::Queue q(c, p + "q");
  for (auto _ : s) {
    BENCH_TRY(co_await q.enqueue("item"), "enqueue");
    BENCH_TRY(co_await q.dequeue(), "dequeue");
  }
  co_return "";
}

asio::awaitable<std::string> pqueue_pair(benchmark::State& s, Client& c, const std::string& p) {
  coord::PriorityQueue q(c, p + "pq");
  for (auto _ : s) {
    BENCH_TRY(co_await q.enqueue("item", 7), "enqueue");
    BENCH_TRY(co_await q.dequeue(), "dequeue");
  }
  co_return "";
}

asio::awaitable<std::string> barrier_cycle(benchmark::State& s, Client& c, const std::string& p) {
  coord::Barrier b(c, p + "b");
  for (auto _ : s) {  // hold, release, then a wait that passes at once
    BENCH_TRY(co_await b.hold(), "hold");
    BENCH_TRY(co_await b.release(), "release");
    BENCH_TRY(co_await b.wait(), "wait");
  }
  co_return "";
}

asio::awaitable<std::string> stm_transfer(benchmark::State& s, Client& c, const std::string& p) {
  BENCH_TRY(co_await c.put(p + "a", "1000000"), "seed");
  BENCH_TRY(co_await c.put(p + "b", "0"), "seed");
  coord::StmApply apply = [&](coord::Stm& stm) -> coord::Task<void> {
    auto a = co_await stm.get(p + "a");
    if (!a) co_return a.error();
    auto b = co_await stm.get(p + "b");
    if (!b) co_return b.error();
    stm.put(p + "a", std::to_string(std::stoll(*a) - 1));
    stm.put(p + "b", std::to_string(std::stoll(*b) + 1));
    co_return coord::Result<void>{};
  };
  for (auto _ : s) BENCH_TRY(co_await coord::run_stm(c, apply), "stm");
  co_return "";
}

// with_session runs body with a fresh session, closed afterwards.
template <typename F>
asio::awaitable<std::string> with_session(Client& c, F body) {
  auto session = co_await coord::Session::create(c);
  if (!session) co_return "session: " + session.error().message();
  std::string e = co_await body(*session);
  (void)co_await (*session)->close();
  co_return e;
}

asio::awaitable<std::string> mutex_cycle(benchmark::State& s, Client& c, const std::string& p) {
  auto body = [&](std::shared_ptr<coord::Session> session) -> asio::awaitable<std::string> {
    coord::Mutex m(session, p + "m");
    for (auto _ : s) {
      BENCH_TRY(co_await m.lock(), "lock");
      BENCH_TRY(co_await m.unlock(), "unlock");
    }
    co_return "";
  };
  co_return co_await with_session(c, body);
}

asio::awaitable<std::string> rwmutex_cycle(benchmark::State& s, Client& c, const std::string& p) {
  auto body = [&](std::shared_ptr<coord::Session> session) -> asio::awaitable<std::string> {
    coord::RWMutex m(session, p + "rw");
    for (auto _ : s) {
      BENCH_TRY(co_await m.rlock(), "rlock");
      BENCH_TRY(co_await m.runlock(), "runlock");
    }
    co_return "";
  };
  co_return co_await with_session(c, body);
}

asio::awaitable<std::string> semaphore_cycle(benchmark::State& s, Client& c,
                                             const std::string& p) {
  auto body = [&](std::shared_ptr<coord::Session> session) -> asio::awaitable<std::string> {
    coord::Semaphore sem(session, p + "sem", 3);
    for (auto _ : s) {
      BENCH_TRY(co_await sem.acquire(), "acquire");
      BENCH_TRY(co_await sem.release(), "release");
    }
    co_return "";
  };
  co_return co_await with_session(c, body);
}

asio::awaitable<std::string> election_cycle(benchmark::State& s, Client& c,
                                            const std::string& p) {
  auto body = [&](std::shared_ptr<coord::Session> session) -> asio::awaitable<std::string> {
    coord::Election e(session, p + "e");
    for (auto _ : s) {
      BENCH_TRY(co_await e.campaign("me"), "campaign");
      BENCH_TRY(co_await e.resign(), "resign");
    }
    co_return "";
  };
  co_return co_await with_session(c, body);
}

asio::awaitable<std::string> session_cycle(benchmark::State& s, Client& c, const std::string&) {
  for (auto _ : s) {
    auto session = co_await coord::Session::create(c);
    if (!session) co_return "session: " + session.error().message();
    BENCH_TRY(co_await (*session)->close(), "close");
  }
  co_return "";
}

// mutex_handoff: B waits on A's lock; the timed part is A.unlock() -> B's
// lock() returning. Then B unlocks, A relocks, untimed.
asio::awaitable<std::string> mutex_handoff(benchmark::State& s, Client& c, const std::string& p) {
  auto sa = co_await coord::Session::create(c);
  auto sb = co_await coord::Session::create(c);
  if (!sa || !sb) co_return "session failed";
  coord::Mutex a(*sa, p + "h"), b(*sb, p + "h");
  auto ex = co_await asio::this_coro::executor;
  std::string error;
  for (auto _ : s) {
    s.PauseTiming();
    BENCH_TRY(co_await a.lock(), "lock a");
    bool b_done = false;
    Clock::time_point b_at{};
    auto waiter = [&]() -> asio::awaitable<void> {
      auto r = co_await b.lock();
      b_at = Clock::now();
      if (!r) error = "lock b: " + r.error().message();
      b_done = true;
    };
    asio::co_spawn(ex, waiter, rethrow);
    // Let B queue its key and start watching A's.
    (void)co_await c.clock().sleep_for(std::chrono::milliseconds(20));
    s.ResumeTiming();
    const auto t0 = Clock::now();
    BENCH_TRY(co_await a.unlock(), "unlock a");
    while (!b_done) (void)co_await c.clock().sleep_for(std::chrono::microseconds(50));
    s.SetIterationTime(std::chrono::duration<double>(b_at - t0).count());
    if (!error.empty()) co_return error;
    BENCH_TRY(co_await b.unlock(), "unlock b");
  }
  (void)co_await (*sa)->close();
  (void)co_await (*sb)->close();
  co_return "";
}

void register_all() {
  std::vector<std::string> backends = {"memory"};
  if (!g_etcd.empty()) backends.push_back("etcd");
  const std::vector<std::pair<const char*, asio::awaitable<std::string> (*)(
                                               benchmark::State&, Client&, const std::string&)>>
      bodies = {{"QueueEnqueueDequeue", queue_pair},    {"PQueueEnqueueDequeue", pqueue_pair},
                {"BarrierHoldReleaseWait", barrier_cycle}, {"StmTransfer", stm_transfer},
                {"MutexLockUnlock", mutex_cycle},       {"RWMutexRLockRUnlock", rwmutex_cycle},
                {"SemaphoreAcquireRelease", semaphore_cycle},
                {"ElectionCampaignResign", election_cycle}, {"SessionCreateClose", session_cycle}};
  for (const auto& b : backends) {
    for (const auto& [name, fn] : bodies) {
      Body body = fn;
      benchmark::RegisterBenchmark((std::string(name) + "/" + b).c_str(),
                                   [b, body](benchmark::State& s) { run_body(s, b, body); })
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
    }
    Body handoff = mutex_handoff;
    benchmark::RegisterBenchmark(("MutexHandoff/" + b).c_str(),
                                 [b, handoff](benchmark::State& s) { run_body(s, b, handoff); })
        ->UseManualTime()
        ->Iterations(200)  // each iteration also waits 20 ms untimed
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (const char* e = std::getenv("COORD_BENCH_ETCD")) g_etcd = e;
  const int status =
      coord::bench::run_benchmarks(argc, argv, {{"--etcd", &g_etcd}}, register_all);
  g_clients.clear();
  return status;
}
