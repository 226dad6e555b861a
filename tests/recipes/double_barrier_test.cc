#include "recipes/double_barrier.h"

#include <gtest/gtest.h>

#include "api/deadline.h"
#include "recipes/blocking/barrier.h"
#include "tests/recipes/recipe_testing.h"

namespace coord::test {
namespace {

// Participant is one process: its own client, session and barrier handle.
struct Participant {
  std::shared_ptr<Client> kv;
  std::shared_ptr<Session> session;
  std::unique_ptr<DoubleBarrier> barrier;
};

class DoubleBarrierTest : public RecipeTest {
 protected:
  asio::awaitable<std::vector<Participant>> participants(int n, const std::string& key,
                                                         int count) {
    std::vector<Participant> out;
    for (int i = 0; i < n; ++i) {
      Participant p;
      p.kv = harness().new_client();
      p.session = (co_await Session::create(*p.kv, {.ttl_seconds = 5})).value();
      p.barrier = std::make_unique<DoubleBarrier>(*p.session, key, count);
      out.push_back(std::move(p));
    }
    co_return out;
  }

  static bool all_done(const std::vector<std::shared_ptr<Pending<void>>>& v) {
    for (auto& p : v) if (!p->done()) return false;
    return true;
  }

  asio::awaitable<std::int64_t> count_under(const std::string& prefix) {
    auto r = co_await client().range(RangeRequest::prefix(prefix));
    co_return r ? static_cast<std::int64_t>(r->kvs.size()) : -1;
  }
};

TEST_P(DoubleBarrierTest, CountParticipantsEnterAndLeaveTogetherOverSeveralRounds) {
  run_void([&]() -> asio::awaitable<void> {
    auto ps = co_await participants(3, "db", 3);
    for (int round = 0; round < 3; ++round) {
      std::vector<std::shared_ptr<Pending<void>>> enters;
      enters.push_back(start(ps[0].barrier->enter()));
      enters.push_back(start(ps[1].barrier->enter()));
      co_await settle();
      EXPECT_FALSE(enters[0]->done() || enters[1]->done()) << "round " << round;
      enters.push_back(start(ps[2].barrier->enter()));
      EXPECT_TRUE(co_await eventually([&] { return all_done(enters); }, 3s));
      for (auto& e : enters) EXPECT_TRUE(e->done() && *e->result) << "round " << round;

      std::vector<std::shared_ptr<Pending<void>>> leaves;
      leaves.push_back(start(ps[0].barrier->leave()));
      leaves.push_back(start(ps[1].barrier->leave()));
      co_await settle();
      EXPECT_FALSE(leaves[0]->done() && leaves[1]->done()) << "round " << round;
      leaves.push_back(start(ps[2].barrier->leave()));
      EXPECT_TRUE(co_await eventually([&] { return all_done(leaves); }, 3s));
      for (auto& l : leaves) EXPECT_TRUE(l->done() && *l->result) << "round " << round;
      EXPECT_EQ(co_await count_under("db/"), 0) << "round " << round;  // ready too
    }
    for (auto& p : ps) (void)co_await p.session->close();
  });
}

TEST_P(DoubleBarrierTest, ExtraParticipantGetsTooManyClientsAndLeavesNothing) {
  run_void([&]() -> asio::awaitable<void> {
    auto ps = co_await participants(3, "dx", 2);
    std::vector<std::shared_ptr<Pending<void>>> enters;
    for (auto& p : ps) enters.push_back(start(p.barrier->enter()));
    EXPECT_TRUE(co_await eventually([&] { return all_done(enters); }, 3s));
    int ok = 0, too_many = 0;
    for (auto& e : enters) {
      if (!e->done()) continue;
      if (*e->result) ++ok;
      else if (is_errc(e->result->error(), Errc::kTooManyClients)) ++too_many;
    }
    EXPECT_EQ(ok, 2);
    EXPECT_EQ(too_many, 1);
    EXPECT_EQ(co_await count_under("dx/waiters/"), 2);
    for (auto& p : ps) (void)co_await p.session->close();
  });
}

TEST_P(DoubleBarrierTest, ParticipantWhoseSessionDiesDoesNotBlockLeave) {
  run_void([&]() -> asio::awaitable<void> {
    auto ps = co_await participants(3, "df", 3);
    std::vector<std::shared_ptr<Pending<void>>> enters;
    for (auto& p : ps) enters.push_back(start(p.barrier->enter()));
    EXPECT_TRUE(co_await eventually([&] { return all_done(enters); }, 3s));
    for (auto& e : enters) EXPECT_TRUE(e->done() && *e->result);
    (void)co_await ps[2].session->close();  // this participant dies
    std::vector<std::shared_ptr<Pending<void>>> leaves;
    leaves.push_back(start(ps[0].barrier->leave()));
    leaves.push_back(start(ps[1].barrier->leave()));
    EXPECT_TRUE(co_await eventually([&] { return all_done(leaves); }, 3s));
    for (auto& l : leaves) EXPECT_TRUE(l->done() && *l->result);
    EXPECT_EQ(co_await count_under("df/"), 0);
    for (int i = 0; i < 2; ++i) (void)co_await ps[i].session->close();
  });
}

TEST_P(DoubleBarrierTest, EnterGivenUpByDeadlineDeletesItsKey) {
  run_void([&]() -> asio::awaitable<void> {
    auto ps = co_await participants(1, "dd", 2);
    auto e = start(with_timeout(client().clock(), 500ms, ps[0].barrier->enter()));
    EXPECT_TRUE(co_await eventually([&] { return e->done(); }, 3s));
    EXPECT_TRUE(e->done() && !*e->result &&
                is_errc(e->result->error(), Errc::kDeadlineExceeded));
    EXPECT_EQ(co_await count_under("dd/"), 0);
    (void)co_await ps[0].session->close();
  });
}

TEST_P(DoubleBarrierTest, EnterEndsWithSessionExpiredWhenTheSessionIsLost) {
  run_void([&]() -> asio::awaitable<void> {
    auto ps = co_await participants(1, "ds", 2);
    auto e = start(ps[0].barrier->enter());
    co_await settle();
    EXPECT_FALSE(e->done());
    (void)co_await client().lease_revoke(ps[0].session->lease());
    EXPECT_TRUE(co_await eventually([&] { return e->done(); }, 3s));
    EXPECT_TRUE(e->done() && !*e->result &&
                is_errc(e->result->error(), Errc::kSessionExpired));
    EXPECT_EQ(co_await count_under("ds/"), 0);
  });
}

TEST_P(DoubleBarrierTest, UsesGoKeyLayout) {
  run_void([&]() -> asio::awaitable<void> {
    auto ps = co_await participants(1, "dl", 1);
    EXPECT_TRUE(co_await ps[0].barrier->enter());
    auto r = (co_await client().range(RangeRequest::prefix("dl/"))).value();
    EXPECT_EQ(r.kvs.size(), 2u);
    EXPECT_EQ(r.kvs.at(0).key, "dl/ready");
    EXPECT_EQ(r.kvs.at(0).lease, 0);
    EXPECT_EQ(r.kvs.at(1).key.rfind("dl/waiters/", 0), 0u);
    EXPECT_EQ(r.kvs.at(1).lease, ps[0].session->lease());
    EXPECT_TRUE(co_await ps[0].barrier->leave());
    (void)co_await ps[0].session->close();
  });
}

TEST_P(DoubleBarrierTest, BlockingFacade) {
  coord::blocking::Client bc(harness().new_client());
  auto session = coord::blocking::Session::create(bc, {.ttl_seconds = 5}).value();
  coord::blocking::DoubleBarrier b(*session, "dbf", 1);
  EXPECT_TRUE(b.enter());
  EXPECT_TRUE(b.leave());
  EXPECT_TRUE(session->close());
}

}  // namespace
COORD_INSTANTIATE_BACKENDS(DoubleBarrierTest);
}  // namespace coord::test
