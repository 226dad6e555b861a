// mutex_example: coord::Mutex in both styles, on an in-memory store.
//
// Coroutines: sessions a and b contend for "jobs/lock". a holds it and
// writes through guarded_txn (the store checks ownership); b's try_lock
// fails at once and a bounded lock gives up. Then a's lease is revoked, as
// an expiry would: a's key goes, b gets the lock with a larger fencing
// token, and a's late write is refused by the store.
// Blocking: std::unique_lock on coord::blocking::Mutex, try_lock_for.
// Usage: mutex_example   (exit status 0 when all of it happened)
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "api/blocking.h"
#include "api/deadline.h"
#include "backends/embedded/embedded.h"
#include "examples/example_coroutine.h"
#include "recipes/blocking/mutex.h"
#include "recipes/mutex.h"
#include "recipes/session.h"

using namespace std::chrono_literals;

namespace {

// write_owner records who holds the lock, with its fencing token, in
// "jobs/owner": a write that the store applies only while m holds.
coord::Task<coord::TxnResponse> write_owner(coord::Mutex& m, const std::string& who) {
  coord::TxnRequest req;
  req.success.push_back(
      coord::Op::put("jobs/owner", who + " token " + std::to_string(m.fencing_token())));
  return m.guarded_txn(std::move(req));
}

coord::Task<void> demo(coord::Client& kv) {
  auto ex = co_await boost::asio::this_coro::executor;
  auto a = co_await coord::Session::create(kv);
  if (!a) co_return a.error();
  auto b = co_await coord::Session::create(kv);
  if (!b) co_return b.error();
  coord::Mutex ma(*a, "jobs/lock");
  coord::Mutex mb(*b, "jobs/lock");

  // lock returns the fencing token: the create_revision of a's key.
  auto token = co_await ma.lock();
  if (!token) co_return token.error();
  std::printf("a holds %s with fencing token %lld\n", ma.key().c_str(),
              static_cast<long long>(*token));
  auto wrote = co_await write_owner(ma, "a");
  if (!wrote) co_return wrote.error();

  // b: try_lock fails at once; a bounded lock gives up and leaves no key.
  auto busy = co_await mb.try_lock();
  if (busy || !coord::is_errc(busy.error(), coord::Errc::kLocked)) {
    co_return examples::fail("try_lock must fail with kLocked");
  }
  auto timed = co_await coord::with_timeout(kv.clock(), 50ms, mb.lock());
  if (timed || !coord::is_errc(timed.error(), coord::Errc::kDeadlineExceeded)) {
    co_return examples::fail("a bounded lock must end with kDeadlineExceeded");
  }
  std::printf("b: try_lock: %s; lock within 50 ms: %s\n", busy.error().message().c_str(),
              timed.error().message().c_str());

  // b queues behind a and waits.
  examples::Background<coord::Revision> b_waits(ex, mb.lock());
  (void)co_await kv.clock().sleep_for(20ms);
  if (b_waits.done()) co_return examples::fail("b must wait while a holds the lock");

  // a's lease ends without a knowing (expiry, an operator's revoke).
  auto revoked = co_await kv.lease_revoke((*a)->lease());
  if (!revoked) co_return revoked.error();
  auto lost = co_await ma.lost();  // completes: a's key is gone
  if (!lost) co_return lost.error();
  auto b_token = co_await b_waits.result();
  if (!b_token) co_return b_token.error();
  if (*b_token <= *token) co_return examples::fail("fencing tokens must grow");
  std::printf("a lost the lock; b holds it with fencing token %lld\n",
              static_cast<long long>(*b_token));

  // a still has its old token, but the store refuses its write.
  auto stale = co_await write_owner(ma, "a");
  if (stale || !coord::is_errc(stale.error(), coord::Errc::kNotLocked)) {
    co_return examples::fail("a write fenced by a lost lock must fail with kNotLocked");
  }
  std::printf("a's late write: %s\n", stale.error().message().c_str());
  auto owner = co_await kv.get("jobs/owner");
  if (!owner || !*owner) co_return examples::fail("jobs/owner must exist");
  std::printf("jobs/owner = %s\n", (*owner)->value.c_str());

  auto unlocked = co_await mb.unlock();
  if (!unlocked) co_return unlocked.error();
  (void)co_await (*a)->close();
  auto closed = co_await (*b)->close();
  if (!closed) co_return closed.error();
  co_return coord::Result<void>{};
}

// blocking_demo: the same lock from plain threads, as a C++ Lockable.
int blocking_demo(std::shared_ptr<coord::Client> kv) {
  coord::blocking::Client client(kv);
  auto s1 = coord::blocking::Session::create(client);
  auto s2 = coord::blocking::Session::create(client);
  if (!s1 || !s2) return 1;
  coord::blocking::Mutex m1(**s1, "reports/lock");
  coord::blocking::Mutex m2(**s2, "reports/lock");
  {
    std::unique_lock hold(m1);  // lock() throws std::system_error on errors
    coord::TxnRequest report;
    report.success.push_back(coord::Op::put("reports/last", "m1"));
    if (!m1.guarded_txn(std::move(report))) return 1;
    if (m2.try_lock()) return 1;          // false: another session holds it
    if (m2.try_lock_for(50ms)) return 1;  // false after 50 ms
  }  // ~unique_lock: m1.unlock()
  if (!m2.try_lock()) return 1;
  std::printf("blocking: m2 got the lock after m1 released it, fencing token %lld\n",
              static_cast<long long>(m2.fencing_token()));
  m2.unlock();
  if (!(*s1)->close() || !(*s2)->close()) return 1;
  return 0;
}

}  // namespace

int main() {
  auto kv = coord::embedded::open_memory();
  if (int rc = examples::run_main(demo(*kv)); rc != 0) return rc;
  return blocking_demo(kv);
}
