// semaphore_test.cc: coord::Semaphore and its blocking twin, on every
// backend.
#include "recipes/semaphore.h"

#include <gtest/gtest.h>

#include <vector>

#include "api/blocking.h"
#include "recipes/blocking/semaphore.h"
#include "recipes/detail/keys.h"
#include "tests/recipes/lock_test_util.h"
#include "tests/support/harness.h"

namespace coord {
namespace {

using namespace coord::test;

class SemaphoreTest : public BackendTest {};

TEST_P(SemaphoreTest, PermitsAreGrantedUpToTheLimit) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    auto c = co_await new_session(client());
    Semaphore sa(a, "sem/n", 2), sb(b, "sem/n", 2), sc(c, "sem/n", 2);
    auto ta = co_await sa.acquire();
    CO_ASSERT_TRUE(ta) << ta.error().message();
    EXPECT_EQ(sa.key(), "sem/n/" + detail::format_lease_hex(a->lease()));
    EXPECT_EQ((*co_await client().get(sa.key()))->value, "2");
    CO_ASSERT_TRUE(co_await sb.try_acquire());
    auto tc = co_await sc.try_acquire();
    EXPECT_TRUE(is_errc(tc.error(), Errc::kNoPermits)) << tc.error().message();
    EXPECT_EQ(co_await count_under(client(), "sem/n/"), 2u);  // no key left
    CO_ASSERT_TRUE(co_await sa.release());
    EXPECT_TRUE(co_await sc.try_acquire());
    EXPECT_TRUE(is_errc((co_await sa.release()).error(), Errc::kNotLocked));
  });
}

TEST_P(SemaphoreTest, ContendersNeverExceedPermitsAndAreServedFifo) {
  run_void([&]() -> asio::awaitable<void> {
    constexpr int kPermits = 2, kContenders = 6;
    int inside = 0, max_inside = 0;
    std::vector<int> order;
    auto worker = [&](std::shared_ptr<Session> s, int i) -> Task<Revision> {
      Semaphore sem(s, "sem/c", kPermits);
      auto t = co_await sem.acquire();
      if (!t) co_return t.error();
      max_inside = std::max(max_inside, ++inside);
      order.push_back(i);
      co_await pause(5ms);
      --inside;
      auto r = co_await sem.release();
      if (!r) co_return r.error();
      co_return *t;
    };
    // Two holders fill the semaphore; the rest queue in a known order.
    auto h1 = co_await new_session(client());
    auto h2 = co_await new_session(client());
    Semaphore s1(h1, "sem/c", kPermits), s2(h2, "sem/c", kPermits);
    CO_ASSERT_TRUE(co_await s1.acquire());
    CO_ASSERT_TRUE(co_await s2.acquire());
    std::vector<std::shared_ptr<Session>> sessions;
    std::vector<std::shared_ptr<Pending<Revision>>> runs;
    for (int i = 0; i < kContenders; ++i) {
      sessions.push_back(co_await new_session(client()));
      runs.push_back(co_await start(worker(sessions.back(), i)));
      CO_ASSERT_TRUE(co_await wait_count(client(), "sem/c/", 3 + i));
    }
    co_await pause(30ms);
    EXPECT_TRUE(order.empty());
    inside = 2;  // s1 and s2
    max_inside = 2;
    // A holder leaves before it releases (as the workers do): the next one
    // may be inside before the release's response comes back.
    --inside;
    CO_ASSERT_TRUE(co_await s1.release());
    --inside;
    CO_ASSERT_TRUE(co_await s2.release());
    CO_ASSERT_TRUE(co_await eventually([&] {
      for (auto& r : runs) if (!r->done()) return false;
      return true;
    }));
    for (auto& r : runs) EXPECT_TRUE(r->result->has_value()) << r->result->error().message();
    EXPECT_LE(max_inside, kPermits);
    // FIFO: two waiters become eligible together when two permits come free
    // at once, so their acquire() calls may return in either order; but no
    // waiter is ever overtaken by one kPermits places behind it.
    CO_ASSERT_TRUE(order.size() == static_cast<std::size_t>(kContenders)) << order.size();
    std::vector<std::size_t> pos(kContenders);
    for (std::size_t p = 0; p < order.size(); ++p) pos[static_cast<std::size_t>(order[p])] = p;
    for (int i = 0; i + kPermits < kContenders; ++i) {
      EXPECT_LT(pos[static_cast<std::size_t>(i)], pos[static_cast<std::size_t>(i + kPermits)])
          << "waiter " << i + kPermits << " overtook waiter " << i;
    }
  });
}

TEST_P(SemaphoreTest, DeadHoldersPermitReturns) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client(), 2);
    auto b = co_await new_session(client(), 10);
    auto c = co_await new_session(client(), 10);
    Semaphore sa(a, "sem/d", 2), sb(b, "sem/d", 2), sc(c, "sem/d", 2);
    CO_ASSERT_TRUE(co_await sa.acquire());
    CO_ASSERT_TRUE(co_await sb.acquire());
    auto lost = co_await start(sa.lost());
    auto pc = co_await start(sc.acquire());
    CO_ASSERT_TRUE(co_await wait_exists(client(), sc.key()));
    co_await pause(20ms);
    EXPECT_FALSE(pc->done());
    a->orphan();  // the holder dies: its lease runs out
    harness().advance(3s);
    CO_ASSERT_TRUE(co_await eventually([&] { return pc->done(); }, 15s));
    CO_ASSERT_TRUE(pc->result->has_value()) << pc->result->error().message();
    CO_ASSERT_TRUE(co_await eventually([&] { return lost->done(); }));
    TxnRequest t;
    t.success.push_back(Op::put("sem/data", "a"));
    EXPECT_TRUE(is_errc((co_await sa.guarded_txn(t)).error(), Errc::kNotLocked));
    t.success[0] = Op::put("sem/data", "c");
    EXPECT_TRUE(co_await sc.guarded_txn(t));
  });
}

TEST_P(SemaphoreTest, CancelledAcquireDeletesItsKey) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    Semaphore sa(a, "sem/x", 1), sb(b, "sem/x", 1);
    CO_ASSERT_TRUE(co_await sa.acquire());
    auto pb = co_await start(sb.acquire());
    CO_ASSERT_TRUE(co_await wait_exists(client(), sb.key()));
    pb->cancel();
    CO_ASSERT_TRUE(co_await eventually([&] { return pb->done(); }));
    EXPECT_TRUE(failed_with(*pb, Errc::kCancelled));
    EXPECT_FALSE(co_await exists(client(), sb.key()));
  });
}

TEST_P(SemaphoreTest, WaiterWhoseKeyVanishesGetsSessionExpired) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    Semaphore sa(a, "sem/v", 1), sb(b, "sem/v", 1);
    CO_ASSERT_TRUE(co_await sa.acquire());
    auto pb = co_await start(sb.acquire());
    CO_ASSERT_TRUE(co_await wait_exists(client(), sb.key()));
    CO_ASSERT_TRUE(co_await client().lease_revoke(b->lease()));
    CO_ASSERT_TRUE(co_await eventually([&] { return pb->done(); }));
    EXPECT_TRUE(failed_with(*pb, Errc::kSessionExpired));
  });
}

TEST_P(SemaphoreTest, BlockingSemaphore) {
  blocking::Client bc(harness().new_client());
  auto sa = blocking::Session::create(bc, {.ttl_seconds = 5});
  auto sb = blocking::Session::create(bc, {.ttl_seconds = 5});
  ASSERT_TRUE(sa && sb);
  blocking::Semaphore a(**sa, "sem/blocking", 1), b(**sb, "sem/blocking", 1);
  ASSERT_TRUE(a.acquire());
  EXPECT_TRUE(is_errc(b.try_acquire().error(), Errc::kNoPermits));
  ASSERT_TRUE(a.release());
  EXPECT_TRUE(b.acquire());
  (void)(*sa)->close();
  (void)(*sb)->close();
}

COORD_INSTANTIATE_BACKENDS(SemaphoreTest);

}  // namespace
}  // namespace coord
