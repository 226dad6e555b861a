// mutex_test.cc: coord::Mutex and its blocking twin, on every backend.
#include "recipes/mutex.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

#include "api/blocking.h"
#include "api/deadline.h"
#include "recipes/blocking/mutex.h"
#include "recipes/detail/keys.h"
#include "tests/recipes/lock_test_util.h"
#include "tests/support/harness.h"

namespace coord {
namespace {

using namespace coord::test;

class MutexTest : public BackendTest {};

TEST_P(MutexTest, LockUsesEtcdKeyLayoutAndReturnsFencingToken) {
  run_void([&]() -> asio::awaitable<void> {
    auto s = co_await new_session(client());
    Mutex m(s, "locks/a");
    auto token = co_await m.lock();
    CO_ASSERT_TRUE(token) << token.error().message();
    EXPECT_EQ(m.key(), "locks/a/" + detail::format_lease_hex(s->lease()));
    auto kv = co_await client().get(m.key());
    CO_ASSERT_TRUE(kv && kv->has_value());
    EXPECT_EQ((*kv)->create_revision, *token);
    EXPECT_EQ((*kv)->lease, s->lease());
    EXPECT_EQ(m.fencing_token(), *token);
    EXPECT_TRUE((co_await m.unlock()).has_value());
    EXPECT_FALSE(co_await exists(client(), m.key()));
    EXPECT_EQ(m.fencing_token(), 0);
  });
}

TEST_P(MutexTest, ContendersExcludeEachOtherInFifoOrder) {
  run_void([&]() -> asio::awaitable<void> {
    constexpr int kContenders = 5;
    auto holder_session = co_await new_session(client());
    Mutex holder(holder_session, "locks/fifo");
    CO_ASSERT_TRUE(co_await holder.lock());
    int inside = 0, max_inside = 0;
    std::vector<int> order;
    std::vector<std::shared_ptr<Session>> sessions;
    std::vector<std::shared_ptr<Pending<Revision>>> runs;
    // Declared outside the loop: the coroutines use its captures.
    auto contender = [&](std::shared_ptr<Session> s, int i) -> Task<Revision> {
      Mutex m(s, "locks/fifo");
      auto t = co_await m.lock();
      if (!t) co_return t.error();
      max_inside = std::max(max_inside, ++inside);
      order.push_back(i);
      co_await pause(3ms);
      --inside;
      auto u = co_await m.unlock();
      if (!u) co_return u.error();
      co_return *t;
    };
    for (int i = 0; i < kContenders; ++i) {
      auto s = co_await new_session(client());
      sessions.push_back(s);
      runs.push_back(co_await start(contender(s, i)));
      // Queue them one by one so the FIFO order is known.
      CO_ASSERT_TRUE(co_await wait_exists(client(),
                                       "locks/fifo/" + detail::format_lease_hex(s->lease())));
    }
    co_await pause(50ms);
    EXPECT_TRUE(order.empty()) << "a contender acquired a held lock";
    CO_ASSERT_TRUE(co_await holder.unlock());
    EXPECT_TRUE(co_await eventually([&] {
      for (auto& r : runs) if (!r->done()) return false;
      return true;
    }));
    Revision last = 0;
    for (auto& r : runs) {
      CO_ASSERT_TRUE(r->result->has_value()) << r->result->error().message();
      EXPECT_GT(r->result->value(), last);  // tokens grow in acquisition order
      last = r->result->value();
    }
    EXPECT_EQ(max_inside, 1);
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  });
}

TEST_P(MutexTest, TryLockFailsAtOnceAndLeavesNoKey) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    Mutex ma(a, "locks/try"), mb(b, "locks/try");
    CO_ASSERT_TRUE(co_await ma.try_lock());
    auto r = co_await mb.try_lock();
    CO_ASSERT_TRUE(!(r));
    EXPECT_TRUE(is_errc(r.error(), Errc::kLocked)) << r.error().message();
    EXPECT_EQ(co_await count_under(client(), "locks/try/"), 1u);
    EXPECT_FALSE(co_await exists(client(), mb.key()));
    CO_ASSERT_TRUE(co_await ma.unlock());
    auto again = co_await mb.try_lock();
    CO_ASSERT_TRUE(again) << again.error().message();
  });
}

TEST_P(MutexTest, CancelledWaiterDeletesItsKey) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    auto c = co_await new_session(client());
    Mutex ma(a, "locks/cancel"), mb(b, "locks/cancel"), mc(c, "locks/cancel");
    CO_ASSERT_TRUE(co_await ma.lock());
    auto waiting = co_await start(mb.lock());
    CO_ASSERT_TRUE(co_await wait_exists(client(), mb.key()));
    waiting->cancel();
    CO_ASSERT_TRUE(co_await eventually([&] { return waiting->done(); }));
    EXPECT_TRUE(failed_with(*waiting, Errc::kCancelled)) << waiting->result->error().message();
    EXPECT_FALSE(co_await exists(client(), mb.key()));
    EXPECT_EQ(mb.fencing_token(), 0);
    // The queue holds no phantom: after A, C gets the lock at once.
    CO_ASSERT_TRUE(co_await ma.unlock());
    auto t = co_await mc.try_lock();
    EXPECT_TRUE(t) << t.error().message();
  });
}

TEST_P(MutexTest, DeadlineOnLockCleansUp) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client(), 10);
    auto b = co_await new_session(client(), 10);
    Mutex ma(a, "locks/deadline"), mb(b, "locks/deadline");
    CO_ASSERT_TRUE(co_await ma.lock());
    auto waiting = co_await start(with_timeout(client().clock(), 1s, mb.lock()));
    CO_ASSERT_TRUE(co_await wait_exists(client(), mb.key()));
    harness().advance(1100ms);
    CO_ASSERT_TRUE(co_await eventually([&] { return waiting->done(); }));
    EXPECT_TRUE(failed_with(*waiting, Errc::kDeadlineExceeded))
        << waiting->result->error().message();
    EXPECT_FALSE(co_await exists(client(), mb.key()));
    EXPECT_EQ(co_await count_under(client(), "locks/deadline/"), 1u);
  });
}

// The Jepsen scenario: the holder's lease expires while it still believes
// it holds; the next waiter acquires. Fencing in the store keeps the old
// holder's write out.
TEST_P(MutexTest, ExpiredHolderIsFencedOutAndNewHolderWrites) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client(), 2);
    auto b = co_await new_session(client(), 10);
    Mutex ma(a, "locks/fence"), mb(b, "locks/fence");
    auto ta = co_await ma.lock();
    CO_ASSERT_TRUE(ta);
    auto waiting = co_await start(mb.lock());
    auto lost = co_await start(ma.lost());
    co_await pause(20ms);
    EXPECT_FALSE(waiting->done());
    EXPECT_FALSE(lost->done());
    a->orphan();  // the holder "pauses": no more keep-alives
    harness().advance(3s);
    CO_ASSERT_TRUE(co_await eventually([&] { return waiting->done(); }, 15s));
    CO_ASSERT_TRUE(waiting->result->has_value()) << waiting->result->error().message();
    EXPECT_GT(waiting->result->value(), *ta);
    CO_ASSERT_TRUE(co_await eventually([&] { return lost->done(); }));
    EXPECT_TRUE(lost->result->has_value());

    TxnRequest old_write;
    old_write.success.push_back(Op::put("locks/data", "from-a"));
    auto wa = co_await ma.guarded_txn(old_write);
    CO_ASSERT_TRUE(!(wa));
    EXPECT_TRUE(is_errc(wa.error(), Errc::kNotLocked)) << wa.error().message();
    TxnRequest new_write;
    new_write.success.push_back(Op::put("locks/data", "from-b"));
    auto wb = co_await mb.guarded_txn(new_write);
    CO_ASSERT_TRUE(wb) << wb.error().message();
    auto data = co_await client().get("locks/data");
    CO_ASSERT_TRUE(data && data->has_value());
    EXPECT_EQ((*data)->value, "from-b");
    auto owned = co_await ma.owned();
    CO_ASSERT_TRUE(owned);
    EXPECT_FALSE(*owned);
  });
}

TEST_P(MutexTest, StaleUnlockNeverReleasesANewerLock) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    Mutex m(a, "locks/stale");
    CO_ASSERT_TRUE(co_await m.lock());
    Mutex stale = m;  // a copy that still believes in the first token
    CO_ASSERT_TRUE(co_await m.unlock());
    auto t2 = co_await m.lock();
    CO_ASSERT_TRUE(t2);
    EXPECT_GT(*t2, stale.fencing_token());
    auto u = co_await stale.unlock();
    CO_ASSERT_TRUE(!(u));
    EXPECT_TRUE(is_errc(u.error(), Errc::kNotLocked));
    auto kv = co_await client().get(m.key());
    CO_ASSERT_TRUE(kv && kv->has_value());
    EXPECT_EQ((*kv)->create_revision, *t2);
    // Unlock without a lock, twice.
    CO_ASSERT_TRUE(co_await m.unlock());
    EXPECT_TRUE(is_errc((co_await m.unlock()).error(), Errc::kNotLocked));
  });
}

TEST_P(MutexTest, WaiterWhoseSessionExpiresGetsSessionExpired) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    Mutex ma(a, "locks/expire"), mb(b, "locks/expire");
    CO_ASSERT_TRUE(co_await ma.lock());
    auto waiting = co_await start(mb.lock());
    CO_ASSERT_TRUE(co_await wait_exists(client(), mb.key()));
    // B's lease dies while it waits (as if it expired), then A unlocks.
    CO_ASSERT_TRUE(co_await client().lease_revoke(b->lease()));
    CO_ASSERT_TRUE(co_await ma.unlock());
    CO_ASSERT_TRUE(co_await eventually([&] { return waiting->done(); }));
    EXPECT_TRUE(failed_with(*waiting, Errc::kSessionExpired))
        << (waiting->result->has_value() ? "acquired" : waiting->result->error().message());
    EXPECT_EQ(mb.fencing_token(), 0);
  });
}

TEST_P(MutexTest, WaiterWhoseSessionEndsStopsWaitingAndCleansUp) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    Mutex ma(a, "locks/orphan"), mb(b, "locks/orphan");
    CO_ASSERT_TRUE(co_await ma.lock());
    auto waiting = co_await start(mb.lock());
    CO_ASSERT_TRUE(co_await wait_exists(client(), mb.key()));
    b->orphan();  // done() fires
    CO_ASSERT_TRUE(co_await eventually([&] { return waiting->done(); }));
    EXPECT_TRUE(failed_with(*waiting, Errc::kSessionExpired));
    EXPECT_FALSE(co_await exists(client(), mb.key()));
  });
}

TEST_P(MutexTest, LostFiresWhenTheKeyIsDeleted) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    Mutex m(a, "locks/lost");
    EXPECT_TRUE(is_errc((co_await m.lost()).error(), Errc::kNotLocked));
    CO_ASSERT_TRUE(co_await m.lock());
    auto lost = co_await start(m.lost());
    co_await pause(30ms);
    EXPECT_FALSE(lost->done());
    auto owned = co_await m.owned();
    CO_ASSERT_TRUE(owned);
    EXPECT_TRUE(*owned);
    CO_ASSERT_TRUE(co_await client().del(m.key()));  // an operator deletes it
    CO_ASSERT_TRUE(co_await eventually([&] { return lost->done(); }));
    EXPECT_TRUE(lost->result->has_value());
  });
}

TEST_P(MutexTest, GuardedTxnWithOwnComparesIsNestedBehindOwnership) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    Mutex m(a, "locks/nested");
    CO_ASSERT_TRUE(co_await client().put("locks/cfg", "v1"));
    CO_ASSERT_TRUE(co_await m.lock());
    TxnRequest t;
    t.compare.push_back(Compare::value("locks/cfg") == "v1");
    t.success.push_back(Op::put("locks/cfg", "v2"));
    t.failure.push_back(Op::get("locks/cfg"));
    auto r = co_await m.guarded_txn(t);
    CO_ASSERT_TRUE(r) << r.error().message();
    EXPECT_TRUE(r->succeeded);
    auto again = co_await m.guarded_txn(t);  // v1 is gone now
    CO_ASSERT_TRUE(again);
    EXPECT_FALSE(again->succeeded);
    CO_ASSERT_TRUE((again->responses.size()) == (1u));
    EXPECT_EQ(again->responses[0].range().kvs.at(0).value, "v2");
    // The own txn compare is one guarded txn: the is_owner() compare.
    TxnRequest mine;
    mine.compare.push_back(m.is_owner());
    mine.success.push_back(Op::put("locks/cfg", "v3"));
    auto own = co_await client().txn(mine);
    CO_ASSERT_TRUE(own);
    EXPECT_TRUE(own->succeeded);
    CO_ASSERT_TRUE(co_await m.unlock());
    auto after = co_await client().txn(mine);
    CO_ASSERT_TRUE(after);
    EXPECT_FALSE(after->succeeded);
  });
}

// Same-session re-entrance is etcd's: both handles share the key.
TEST_P(MutexTest, SameSessionSharesTheLock) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    Mutex m1(a, "locks/reenter"), m2(a, "locks/reenter");
    auto t1 = co_await m1.lock();
    auto t2 = co_await m2.lock();
    CO_ASSERT_TRUE(t1 && t2);
    EXPECT_EQ(*t1, *t2);
    CO_ASSERT_TRUE(co_await m1.unlock());
    EXPECT_TRUE(is_errc((co_await m2.unlock()).error(), Errc::kNotLocked));
  });
}

TEST_P(MutexTest, BlockingMutexWorksWithStdLocks) {
  blocking::Client bc(harness().new_client());
  auto sa = blocking::Session::create(bc, {.ttl_seconds = 5});
  auto sb = blocking::Session::create(bc, {.ttl_seconds = 5});
  ASSERT_TRUE(sa && sb);
  blocking::Mutex ma(**sa, "locks/blocking"), mb(**sb, "locks/blocking");
  {
    std::unique_lock lock(ma);
    EXPECT_GT(ma.fencing_token(), 0);
    EXPECT_FALSE(mb.try_lock());
    TxnRequest w;
    w.success.push_back(Op::put("locks/blocking-data", "a"));
    EXPECT_TRUE(ma.guarded_txn(w));
    std::thread other([&] {
      std::scoped_lock held(mb);  // waits for ma
      EXPECT_GT(mb.fencing_token(), ma.fencing_token());
    });
    std::this_thread::sleep_for(50ms);
    lock.unlock();
    other.join();
  }
  EXPECT_TRUE(mb.try_lock());
  // A stop request cancels a blocked lock(), which leaves no key behind.
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(50ms);
    stop.request_stop();
  });
  auto r = ma.lock({.stop = stop.get_token()});
  stopper.join();
  EXPECT_TRUE(is_errc(r.error(), Errc::kCancelled)) << r.error().message();
  auto left = bc.range(RangeRequest::prefix("locks/blocking/"));
  ASSERT_TRUE(left);
  EXPECT_EQ(left->kvs.size(), 1u);
  mb.unlock();
  (void)(*sa)->close();
  (void)(*sb)->close();
}

COORD_INSTANTIATE_BACKENDS(MutexTest);

}  // namespace
}  // namespace coord
