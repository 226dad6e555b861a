#include "recipes/session.h"

#include <gtest/gtest.h>

#include "api/deadline.h"
#include "recipes/detail/wait.h"
#include "tests/recipes/recipe_testing.h"

namespace coord::test {
namespace {

class SessionTest : public RecipeTest {};

asio::awaitable<bool> key_exists(Client& c, const std::string& key) {
  auto g = co_await c.get(key);
  EXPECT_TRUE(g) << g.error().message();
  co_return g && g->has_value();
}

TEST_P(SessionTest, DefaultTtlIsSixtySeconds) {
  run_void([&]() -> asio::awaitable<void> {
    auto s = co_await Session::create(client());
    EXPECT_TRUE(s) << s.error().message();
    if (!s) co_return;
    EXPECT_EQ((*s)->ttl(), 60);
    auto ttl = co_await client().lease_time_to_live((*s)->lease());
    EXPECT_TRUE(ttl);
    EXPECT_GT(ttl->ttl, 50);
    EXPECT_LE(ttl->ttl, 60);
    for (std::int64_t bad : {0, -5}) {
      auto d = co_await Session::create(client(), {.ttl_seconds = bad});
      EXPECT_TRUE(d && (*d)->ttl() == 60);
      if (d) (void)co_await (*d)->close();
    }
    (void)co_await (*s)->close();
  });
}

TEST_P(SessionTest, TtlOptionIsGranted) {
  run_void([&]() -> asio::awaitable<void> {
    auto s = co_await Session::create(client(), {.ttl_seconds = 90});
    EXPECT_TRUE(s);
    if (!s) co_return;
    EXPECT_EQ((*s)->ttl(), 90);
    auto ttl = co_await client().lease_time_to_live((*s)->lease());
    EXPECT_GE(ttl->ttl, 70);
    EXPECT_LE(ttl->ttl, 90);
    (void)co_await (*s)->close();
  });
}

TEST_P(SessionTest, KeepAliveHoldsTheLeaseBeyondItsTtl) {
  run_void([&]() -> asio::awaitable<void> {
    auto s = (co_await Session::create(client(), {.ttl_seconds = 2})).value();
    (void)co_await client().put("ka", "v", s->lease());
    co_await pass_time(5s);
    EXPECT_FALSE(s->is_done());
    EXPECT_TRUE(co_await key_exists(client(), "ka"));
    (void)co_await s->close();
  });
}

TEST_P(SessionTest, DoneFiresOnExternalRevoke) {
  run_void([&]() -> asio::awaitable<void> {
    auto s = (co_await Session::create(client(), {.ttl_seconds = 3})).value();
    auto other = harness().new_client();
    EXPECT_TRUE(co_await other->lease_revoke(s->lease()));
    // TTL/3 + 1 s at most.
    EXPECT_TRUE(co_await eventually([&] { return s->is_done(); }, 2s));
    EXPECT_TRUE(is_errc(s->error(), Errc::kLeaseNotFound)) << s->error().message();
  });
}

TEST_P(SessionTest, OrphanKeepsKeysUntilTheTtlRunsOut) {
  run_void([&]() -> asio::awaitable<void> {
    auto s = (co_await Session::create(client(), {.ttl_seconds = 2})).value();
    (void)co_await client().put("orphaned", "v", s->lease());
    s->orphan();
    EXPECT_TRUE(s->is_done());
    EXPECT_TRUE(co_await key_exists(client(), "orphaned"));
    co_await pass_time(4s);
    EXPECT_FALSE(co_await key_exists(client(), "orphaned"));
  });
}

TEST_P(SessionTest, CloseDeletesTheSessionKeys) {
  run_void([&]() -> asio::awaitable<void> {
    auto s = (co_await Session::create(client(), {.ttl_seconds = 5})).value();
    (void)co_await client().put("closed/a", "v", s->lease());
    (void)co_await client().put("closed/b", "v", s->lease());
    EXPECT_TRUE(co_await s->close());
    EXPECT_TRUE(s->is_done());
    EXPECT_FALSE(co_await key_exists(client(), "closed/a"));
    EXPECT_FALSE(co_await key_exists(client(), "closed/b"));
    EXPECT_TRUE(co_await s->close());  // the lease is gone: still fine
  });
}

TEST_P(SessionTest, ReusesAnExistingLease) {
  run_void([&]() -> asio::awaitable<void> {
    auto first = (co_await Session::create(client(), {.ttl_seconds = 5})).value();
    (void)co_await client().put("reused", "v", first->lease());
    first->orphan();
    auto second = co_await Session::create(client(), {.lease = first->lease()});
    EXPECT_TRUE(second) << second.error().message();
    if (!second) co_return;
    EXPECT_EQ((*second)->lease(), first->lease());
    EXPECT_EQ((*second)->ttl(), 5);
    co_await pass_time(7s);
    EXPECT_TRUE(co_await key_exists(client(), "reused"));
    EXPECT_TRUE(co_await (*second)->close());
    auto gone = co_await Session::create(client(), {.lease = first->lease()});
    EXPECT_TRUE(!gone && is_errc(gone.error(), Errc::kLeaseNotFound));
  });
}

TEST_P(SessionTest, WaitBoundToTheSessionEndsWhenItIsLost) {
  run_void([&]() -> asio::awaitable<void> {
    auto s = (co_await Session::create(client(), {.ttl_seconds = 3})).value();
    auto put = (co_await client().put("blocker", "v")).value();
    auto wait = start(detail::wait_delete(client(), "blocker", 0, put.header.revision + 1, s.get()));
    co_await settle();
    EXPECT_FALSE(wait->done());
    auto other = harness().new_client();
    (void)co_await other->lease_revoke(s->lease());
    EXPECT_TRUE(co_await eventually([&] { return wait->done(); }, 3s));
    if (!wait->done()) co_return;
    EXPECT_TRUE(!*wait->result && is_errc(wait->result->error(), Errc::kSessionExpired));
  });
}

TEST_P(SessionTest, WaitHonoursItsDeadline) {
  run_void([&]() -> asio::awaitable<void> {
    auto put = (co_await client().put("blocker", "v")).value();
    auto wait = start(with_timeout(client().clock(), 1s,
                                   detail::wait_delete(client(), "blocker", 0,
                                                       put.header.revision + 1)));
    co_await settle();
    EXPECT_FALSE(wait->done());
    EXPECT_TRUE(co_await eventually([&] { return wait->done(); }, 3s));
    if (!wait->done()) co_return;
    EXPECT_TRUE(!*wait->result && is_errc(wait->result->error(), Errc::kDeadlineExceeded));
  });
}

TEST_P(SessionTest, ClientStaysUsableAfterAWaitGaveUp) {
  run_void([&]() -> asio::awaitable<void> {
    auto s = (co_await Session::create(client(), {.ttl_seconds = 5})).value();
    auto put = (co_await client().put("blocker", "v")).value();
    for (int i = 0; i < 3; ++i) {
      auto wait = detail::wait_delete(client(), "blocker", 0, put.header.revision + 1, s.get());
      auto bounded = with_timeout(client().clock(), 300ms, std::move(wait));
      auto pending = start(std::move(bounded));
      co_await pass_time(400ms);  // the backend's clock, manual or real
      EXPECT_TRUE(co_await eventually([&] { return pending->done(); }));
      if (!pending->done()) co_return;
      EXPECT_TRUE(!*pending->result && is_errc(pending->result->error(), Errc::kDeadlineExceeded));
      EXPECT_TRUE(co_await client().put("after", std::to_string(i)));
    }
    EXPECT_TRUE(co_await s->close());
  });
}

TEST_P(SessionTest, WaitDeletesWatchesOnlyThePredecessors) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = (co_await client().put("wd/a", "")).value();
    (void)co_await client().put("wd/b", "");
    auto c = (co_await client().put("wd/c", "")).value();
    auto wait = start(detail::wait_deletes(client(), "wd/", c.header.revision - 1));
    co_await settle();
    EXPECT_FALSE(wait->done());
    (void)co_await client().del("wd/a");
    co_await settle();
    EXPECT_FALSE(wait->done());
    (void)co_await client().del("wd/b");
    EXPECT_TRUE(co_await eventually([&] { return wait->done(); }, 2s));
    EXPECT_TRUE(wait->done() && *wait->result);
    (void)a;
  });
}

}  // namespace
COORD_INSTANTIATE_BACKENDS(SessionTest);
}  // namespace coord::test
