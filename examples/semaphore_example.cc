// semaphore_example: coord::Semaphore in both styles, on an in-memory
// store.
//
// Coroutines: "pool" has 2 permits; two sessions take them; a third's
// try_acquire fails with kNoPermits and its acquire waits until a holder
// releases. Blocking: acquire with a timeout, try_acquire, release.
// Usage: semaphore_example   (exit status 0 when all of it happened)
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

#include "api/blocking.h"
#include "backends/embedded/embedded.h"
#include "examples/example_coroutine.h"
#include "recipes/blocking/semaphore.h"
#include "recipes/semaphore.h"
#include "recipes/session.h"

using namespace std::chrono_literals;

namespace {

coord::Task<void> demo(coord::Client& kv) {
  auto ex = co_await boost::asio::this_coro::executor;
  std::vector<std::shared_ptr<coord::Session>> sessions;
  for (int i = 0; i < 3; ++i) {
    auto s = co_await coord::Session::create(kv);
    if (!s) co_return s.error();
    sessions.push_back(*s);
  }
  coord::Semaphore first(sessions[0], "pool", 2);
  coord::Semaphore second(sessions[1], "pool", 2);
  coord::Semaphore third(sessions[2], "pool", 2);

  auto t1 = co_await first.acquire();
  if (!t1) co_return t1.error();
  auto t2 = co_await second.acquire();
  if (!t2) co_return t2.error();
  std::printf("two holders of pool (tokens %lld, %lld)\n", static_cast<long long>(*t1),
              static_cast<long long>(*t2));

  // Both permits are taken: try_acquire fails at once and leaves no key.
  auto none = co_await third.try_acquire();
  if (none || !coord::is_errc(none.error(), coord::Errc::kNoPermits)) {
    co_return examples::fail("a third try_acquire must fail with kNoPermits");
  }
  std::printf("third: try_acquire: %s\n", none.error().message().c_str());

  // acquire waits (it watches the holders ahead of it).
  examples::Background<coord::Revision> waiting(ex, third.acquire());
  (void)co_await kv.clock().sleep_for(20ms);
  if (waiting.done()) co_return examples::fail("acquire must wait while both permits are held");
  auto released = co_await first.release();
  if (!released) co_return released.error();
  auto t3 = co_await waiting.result();
  if (!t3) co_return t3.error();
  std::printf("first released: third holds a permit (token %lld)\n",
              static_cast<long long>(*t3));

  // Writes fenced by the permit: applied only while it is held.
  coord::TxnRequest job;
  job.success.push_back(coord::Op::put("pool-jobs/third", "running"));
  auto wrote = co_await third.guarded_txn(std::move(job));
  if (!wrote) co_return wrote.error();

  auto r2 = co_await second.release();
  if (!r2) co_return r2.error();
  auto r3 = co_await third.release();
  if (!r3) co_return r3.error();
  for (auto& s : sessions) {
    auto closed = co_await s->close();
    if (!closed) co_return closed.error();
  }
  co_return coord::Result<void>{};
}

// blocking_demo: one permit, two holders, from a plain thread.
int blocking_demo(std::shared_ptr<coord::Client> kv) {
  coord::blocking::Client client(kv);
  auto s1 = coord::blocking::Session::create(client);
  auto s2 = coord::blocking::Session::create(client);
  if (!s1 || !s2) return 1;
  coord::blocking::Semaphore one(**s1, "single", 1);
  coord::blocking::Semaphore other(**s2, "single", 1);
  if (!one.acquire({.timeout = 1s})) return 1;
  auto busy = other.try_acquire();
  if (busy || !coord::is_errc(busy.error(), coord::Errc::kNoPermits)) return 1;
  if (!one.release()) return 1;
  if (!other.acquire({.timeout = 1s}) || !other.release()) return 1;
  std::printf("blocking: the permit passed from one holder to the other\n");
  if (!(*s1)->close() || !(*s2)->close()) return 1;
  return 0;
}

}  // namespace

int main() {
  auto kv = coord::embedded::open_memory();
  if (int rc = examples::run_main(demo(*kv)); rc != 0) return rc;
  return blocking_demo(kv);
}
