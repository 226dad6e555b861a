// rw_mutex_example: coord::RWMutex in both styles, on an in-memory store.
//
// Coroutines: two readers share "config/lock"; a writer queues behind them;
// a reader arriving after the waiting writer queues behind the writer (no
// writer starvation); once the readers unlock the writer holds, with a
// larger fencing token, and writes through guarded_txn.
// Blocking: std::shared_lock and std::unique_lock on coord::blocking::RWMutex.
// Usage: rw_mutex_example   (exit status 0 when all of it happened)
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "api/blocking.h"
#include "api/deadline.h"
#include "backends/embedded/embedded.h"
#include "examples/example_coroutine.h"
#include "recipes/blocking/rw_mutex.h"
#include "recipes/rw_mutex.h"
#include "recipes/session.h"

using namespace std::chrono_literals;

namespace {

coord::Task<void> demo(coord::Client& kv) {
  auto ex = co_await boost::asio::this_coro::executor;
  std::vector<std::shared_ptr<coord::Session>> sessions;
  for (int i = 0; i < 4; ++i) {
    auto s = co_await coord::Session::create(kv);
    if (!s) co_return s.error();
    sessions.push_back(*s);
  }
  coord::RWMutex reader1(sessions[0], "config/lock");
  coord::RWMutex reader2(sessions[1], "config/lock");
  coord::RWMutex writer(sessions[2], "config/lock");
  coord::RWMutex late_reader(sessions[3], "config/lock");

  // Readers share the lock.
  auto r1 = co_await reader1.rlock();
  if (!r1) co_return r1.error();
  auto r2 = co_await reader2.rlock();
  if (!r2) co_return r2.error();
  std::printf("two readers hold config/lock (tokens %lld, %lld)\n", static_cast<long long>(*r1),
              static_cast<long long>(*r2));

  // A writer waits for every older key.
  examples::Background<coord::Revision> w(ex, writer.lock());
  (void)co_await kv.clock().sleep_for(20ms);
  if (w.done()) co_return examples::fail("the writer must wait for the readers");

  // A reader that comes after the waiting writer waits for it.
  auto late = co_await coord::with_timeout(kv.clock(), 50ms, late_reader.rlock());
  if (late || !coord::is_errc(late.error(), coord::Errc::kDeadlineExceeded)) {
    co_return examples::fail("a reader behind a waiting writer must wait");
  }
  std::printf("a writer waits; a later reader waits behind it: %s\n",
              late.error().message().c_str());

  auto u1 = co_await reader1.runlock();
  if (!u1) co_return u1.error();
  auto u2 = co_await reader2.runlock();
  if (!u2) co_return u2.error();
  auto token = co_await w.result();
  if (!token) co_return token.error();
  if (*token <= *r2) co_return examples::fail("the writer's token must be newer");
  coord::TxnRequest update;
  update.success.push_back(coord::Op::put("config/value", "v2"));
  auto wrote = co_await writer.guarded_txn(std::move(update));
  if (!wrote) co_return wrote.error();
  std::printf("readers unlocked: the writer holds (token %lld) and wrote config/value\n",
              static_cast<long long>(*token));
  auto u = co_await writer.unlock();
  if (!u) co_return u.error();

  for (auto& s : sessions) {
    auto closed = co_await s->close();
    if (!closed) co_return closed.error();
  }
  co_return coord::Result<void>{};
}

// blocking_demo: the standard lock guards on the blocking twin.
int blocking_demo(std::shared_ptr<coord::Client> kv) {
  coord::blocking::Client client(kv);
  auto s1 = coord::blocking::Session::create(client);
  auto s2 = coord::blocking::Session::create(client);
  if (!s1 || !s2) return 1;
  coord::blocking::RWMutex reader(**s1, "config/lock");
  coord::blocking::RWMutex writer(**s2, "config/lock");
  {
    std::shared_lock read(reader);  // lock_shared(): throws on errors
    auto w = writer.lock({.timeout = 50ms});
    if (w || !coord::is_errc(w.error(), coord::Errc::kDeadlineExceeded)) return 1;
  }  // unlock_shared()
  {
    std::unique_lock write(writer);
    coord::TxnRequest update;
    update.success.push_back(coord::Op::put("config/value", "v3"));
    if (!writer.guarded_txn(std::move(update))) return 1;
  }
  std::printf("blocking: the writer timed out under a reader, then wrote\n");
  if (!(*s1)->close() || !(*s2)->close()) return 1;
  return 0;
}

}  // namespace

int main() {
  auto kv = coord::embedded::open_memory();
  if (int rc = examples::run_main(demo(*kv)); rc != 0) return rc;
  return blocking_demo(kv);
}
