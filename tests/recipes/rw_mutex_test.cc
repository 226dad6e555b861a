// rw_mutex_test.cc: coord::RWMutex and its blocking twin, on every backend.
#include "recipes/rw_mutex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <shared_mutex>
#include <thread>

#include "api/blocking.h"
#include "recipes/blocking/rw_mutex.h"
#include "tests/recipes/lock_test_util.h"
#include "tests/support/harness.h"

namespace coord {
namespace {

using namespace coord::test;

class RWMutexTest : public BackendTest {};

TEST_P(RWMutexTest, ReadersShareAndUseGoKeyLayout) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    RWMutex ra(a, "rw/share"), rb(b, "rw/share");
    auto ta = co_await ra.rlock();
    CO_ASSERT_TRUE(ta) << ta.error().message();
    auto tb = co_await rb.rlock();
    CO_ASSERT_TRUE(tb) << tb.error().message();
    EXPECT_TRUE(ra.holds_read() && rb.holds_read());
    EXPECT_EQ(ra.key().rfind("rw/share/read/", 0), 0u) << ra.key();
    EXPECT_EQ(co_await count_under(client(), "rw/share/read/"), 2u);
    CO_ASSERT_TRUE(co_await ra.runlock());
    CO_ASSERT_TRUE(co_await rb.runlock());
    EXPECT_EQ(co_await count_under(client(), "rw/share/"), 0u);
    EXPECT_TRUE(is_errc((co_await rb.runlock()).error(), Errc::kNotLocked));
  });
}

TEST_P(RWMutexTest, WriterExcludesReadersAndWritersInFifoOrder) {
  run_void([&]() -> asio::awaitable<void> {
    auto w1s = co_await new_session(client());
    auto rs = co_await new_session(client());
    auto w2s = co_await new_session(client());
    auto r2s = co_await new_session(client());
    RWMutex w1(w1s, "rw/x"), r(rs, "rw/x"), w2(w2s, "rw/x"), r2(r2s, "rw/x");
    CO_ASSERT_TRUE(co_await w1.lock());
    EXPECT_TRUE(w1.holds_write());
    auto pr = co_await start(r.rlock());
    CO_ASSERT_TRUE(co_await wait_count(client(), "rw/x/", 2));
    auto pw2 = co_await start(w2.lock());
    CO_ASSERT_TRUE(co_await wait_count(client(), "rw/x/", 3));
    auto pr2 = co_await start(r2.rlock());  // queued behind writer w2
    CO_ASSERT_TRUE(co_await wait_count(client(), "rw/x/", 4));
    co_await pause(30ms);
    EXPECT_EQ(co_await count_under(client(), "rw/x/"), 4u);
    EXPECT_FALSE(pr->done() || pw2->done() || pr2->done());
    CO_ASSERT_TRUE(co_await w1.unlock());
    CO_ASSERT_TRUE(co_await eventually([&] { return pr->done(); }));
    CO_ASSERT_TRUE(pr->result->has_value()) << pr->result->error().message();
    co_await pause(30ms);
    EXPECT_FALSE(pw2->done());  // the reader holds
    EXPECT_FALSE(pr2->done());  // FIFO: behind the waiting writer
    CO_ASSERT_TRUE(co_await r.runlock());
    CO_ASSERT_TRUE(co_await eventually([&] { return pw2->done(); }));
    CO_ASSERT_TRUE(pw2->result->has_value());
    co_await pause(30ms);
    EXPECT_FALSE(pr2->done());
    CO_ASSERT_TRUE(co_await w2.unlock());
    CO_ASSERT_TRUE(co_await eventually([&] { return pr2->done(); }));
    EXPECT_TRUE(pr2->result->has_value());
  });
}

TEST_P(RWMutexTest, CancelledWaitDeletesItsKeyAndCompactionDoesNotStallWaiters) {
  run_void([&]() -> asio::awaitable<void> {
    auto ws = co_await new_session(client());
    auto rs = co_await new_session(client());
    auto qs = co_await new_session(client());
    RWMutex w(ws, "rw/c"), r(rs, "rw/c"), q(qs, "rw/c");
    CO_ASSERT_TRUE(co_await w.lock());
    auto pr = co_await start(r.rlock());
    auto pq = co_await start(q.rlock());
    CO_ASSERT_TRUE(co_await wait_count(client(), "rw/c/read/", 2));
    pr->cancel();
    CO_ASSERT_TRUE(co_await eventually([&] { return pr->done(); }));
    EXPECT_TRUE(failed_with(*pr, Errc::kCancelled));
    EXPECT_EQ(co_await count_under(client(), "rw/c/read/"), 1u);
    // Compact everything, then release: the remaining waiter still wakes.
    auto head = co_await client().range(RangeRequest::single("rw/c"));
    CO_ASSERT_TRUE(head);
    CO_ASSERT_TRUE(co_await client().compact({.revision = head->header.revision}));
    CO_ASSERT_TRUE(co_await w.unlock());
    CO_ASSERT_TRUE(co_await eventually([&] { return pq->done(); }));
    EXPECT_TRUE(pq->result->has_value());
  });
}

TEST_P(RWMutexTest, ExpiredWriterIsFencedOut) {
  run_void([&]() -> asio::awaitable<void> {
    auto ws = co_await new_session(client());
    auto rs = co_await new_session(client());
    RWMutex w(ws, "rw/f"), r(rs, "rw/f");
    CO_ASSERT_TRUE(co_await w.lock());
    auto pr = co_await start(r.rlock());
    CO_ASSERT_TRUE(co_await wait_count(client(), "rw/f/", 2));
    CO_ASSERT_TRUE(co_await client().lease_revoke(ws->lease()));
    CO_ASSERT_TRUE(co_await eventually([&] { return pr->done(); }));
    CO_ASSERT_TRUE(pr->result->has_value());
    TxnRequest t;
    t.success.push_back(Op::put("rw/data", "w"));
    EXPECT_TRUE(is_errc((co_await w.guarded_txn(t)).error(), Errc::kNotLocked));
    t.success[0] = Op::put("rw/data", "r");
    EXPECT_TRUE(co_await r.guarded_txn(t));
    EXPECT_TRUE(is_errc((co_await w.unlock()).error(), Errc::kNotLocked));
  });
}

TEST_P(RWMutexTest, BlockingRWMutexWorksWithStdLocks) {
  blocking::Client bc(harness().new_client());
  auto sa = blocking::Session::create(bc, {.ttl_seconds = 5});
  auto sb = blocking::Session::create(bc, {.ttl_seconds = 5});
  auto sc = blocking::Session::create(bc, {.ttl_seconds = 5});
  ASSERT_TRUE(sa && sb && sc);
  blocking::RWMutex a(**sa, "rw/blocking"), b(**sb, "rw/blocking"), c(**sc, "rw/blocking");
  {
    std::shared_lock ra(a);
    std::shared_lock rb(b);  // readers share
    std::atomic<bool> wrote = false;
    std::thread writer([&] {
      std::unique_lock w(c);
      wrote = true;
    });
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(wrote);
    ra.unlock();
    rb.unlock();
    writer.join();
    EXPECT_TRUE(wrote);
  }
  (void)(*sa)->close();
  (void)(*sb)->close();
  (void)(*sc)->close();
}

COORD_INSTANTIATE_BACKENDS(RWMutexTest);

}  // namespace
}  // namespace coord
