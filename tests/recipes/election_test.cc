// election_test.cc: coord::Election, ElectionObserver and the blocking
// twin, on every backend.
#include "recipes/election.h"

#include <gtest/gtest.h>

#include <thread>

#include "api/blocking.h"
#include "recipes/blocking/election.h"
#include "recipes/detail/keys.h"
#include "tests/recipes/lock_test_util.h"
#include "tests/support/harness.h"

namespace coord {
namespace {

using namespace coord::test;

class ElectionTest : public BackendTest {};

TEST_P(ElectionTest, CampaignAloneWinsAtOnceWithEtcdLayout) {
  run_void([&]() -> asio::awaitable<void> {
    auto s = co_await new_session(client());
    Election e(s, "elect/a");
    auto none = co_await e.leader();
    EXPECT_TRUE(is_errc(none.error(), Errc::kNoLeader));
    auto token = co_await e.campaign("host-a");
    CO_ASSERT_TRUE(token) << token.error().message();
    EXPECT_EQ(e.key(), "elect/a/" + detail::format_lease_hex(s->lease()));
    auto l = co_await e.leader();
    CO_ASSERT_TRUE(l);
    EXPECT_EQ(l->key, e.key());
    EXPECT_EQ(l->value, "host-a");
    EXPECT_EQ(l->create_revision, *token);
    CO_ASSERT_TRUE(co_await e.proclaim("host-a2"));
    EXPECT_EQ((co_await e.leader())->value, "host-a2");
    CO_ASSERT_TRUE(co_await e.resign());
    EXPECT_TRUE(is_errc((co_await e.leader()).error(), Errc::kNoLeader));
  });
}

TEST_P(ElectionTest, ResignHandsLeadershipToTheNextCandidate) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    auto c = co_await new_session(client());
    Election ea(a, "elect/h"), eb(b, "elect/h"), ec(c, "elect/h");
    auto ta = co_await ea.campaign("a");
    CO_ASSERT_TRUE(ta);
    auto pb = co_await start(eb.campaign("b"));
    CO_ASSERT_TRUE(co_await wait_exists(client(), eb.key()));
    auto pc = co_await start(ec.campaign("c"));
    CO_ASSERT_TRUE(co_await wait_exists(client(), ec.key()));
    co_await pause(30ms);
    EXPECT_FALSE(pb->done());
    EXPECT_FALSE(pc->done());
    // A follower cannot proclaim.
    EXPECT_TRUE(is_errc((co_await eb.proclaim("x")).error(), Errc::kNotLeader));
    CO_ASSERT_TRUE(co_await ea.resign());
    CO_ASSERT_TRUE(co_await eventually([&] { return pb->done(); }));
    CO_ASSERT_TRUE(pb->result->has_value()) << pb->result->error().message();
    EXPECT_GT(pb->result->value(), *ta);
    EXPECT_EQ((co_await eb.leader())->value, "b");
    co_await pause(30ms);
    EXPECT_FALSE(pc->done());
    CO_ASSERT_TRUE(co_await eb.resign());
    CO_ASSERT_TRUE(co_await eventually([&] { return pc->done(); }));
    EXPECT_TRUE(pc->result->has_value());
    EXPECT_EQ((co_await ec.leader())->value, "c");
  });
}

TEST_P(ElectionTest, ObserveStreamsLeadersAndProclamationsInOrder) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    Election ea(a, "elect/o"), eb(b, "elect/o");
    ElectionObserver obs(client(), "elect/o");
    auto first = co_await start(obs.next());
    co_await pause(20ms);
    EXPECT_FALSE(first->done());  // no leader yet: nothing to report
    CO_ASSERT_TRUE(co_await ea.campaign("a1"));
    CO_ASSERT_TRUE(co_await eventually([&] { return first->done(); }));
    CO_ASSERT_TRUE(first->result->has_value()) << first->result->error().message();
    EXPECT_EQ(first->result->value().value, "a1");
    CO_ASSERT_TRUE(co_await ea.proclaim("a2"));
    auto pb = co_await start(eb.campaign("b1"));
    CO_ASSERT_TRUE(co_await wait_exists(client(), eb.key()));
    CO_ASSERT_TRUE(co_await ea.resign());
    CO_ASSERT_TRUE(co_await eventually([&] { return pb->done(); }));
    CO_ASSERT_TRUE(co_await eb.proclaim("b2"));
    std::vector<std::string> seen;
    KeyValue last = first->result->value();
    for (int i = 0; i < 3; ++i) {
      auto kv = co_await obs.next();
      CO_ASSERT_TRUE(kv) << kv.error().message();
      EXPECT_TRUE(kv->create_revision > last.create_revision ||
                  (kv->create_revision == last.create_revision &&
                   kv->mod_revision > last.mod_revision));
      last = *kv;
      seen.push_back(kv->value);
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"a2", "b1", "b2"}));
    // A compaction does not end or repeat the stream.
    auto head = co_await client().range(RangeRequest::single("elect/o"));
    CO_ASSERT_TRUE(head);
    CO_ASSERT_TRUE(co_await client().compact({.revision = head->header.revision}));
    auto next = co_await start(obs.next());
    co_await pause(20ms);
    EXPECT_FALSE(next->done());
    CO_ASSERT_TRUE(co_await eb.proclaim("b3"));
    CO_ASSERT_TRUE(co_await eventually([&] { return next->done(); }));
    CO_ASSERT_TRUE(next->result->has_value()) << next->result->error().message();
    EXPECT_EQ(next->result->value().value, "b3");
  });
}

TEST_P(ElectionTest, ObserverCancelledCallDoesNotEndTheStream) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    Election ea(a, "elect/oc");
    auto obs = ea.observe();
    auto p = co_await start(obs.next());
    co_await pause(20ms);
    p->cancel();
    CO_ASSERT_TRUE(co_await eventually([&] { return p->done(); }));
    EXPECT_TRUE(failed_with(*p, Errc::kCancelled));
    CO_ASSERT_TRUE(co_await ea.campaign("a"));
    auto kv = co_await obs.next();
    CO_ASSERT_TRUE(kv) << kv.error().message();
    EXPECT_EQ(kv->value, "a");
  });
}

// etcd #11051: a campaigner whose session expires while it waits must not
// come back as a phantom leader.
TEST_P(ElectionTest, CampaignWithExpiredSessionIsAnErrorNotAPhantomLeader) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    Election ea(a, "elect/x"), eb(b, "elect/x");
    CO_ASSERT_TRUE(co_await ea.campaign("a"));
    auto pb = co_await start(eb.campaign("b"));
    CO_ASSERT_TRUE(co_await wait_exists(client(), eb.key()));
    CO_ASSERT_TRUE(co_await client().lease_revoke(b->lease()));  // B's lease dies
    CO_ASSERT_TRUE(co_await ea.resign());
    CO_ASSERT_TRUE(co_await eventually([&] { return pb->done(); }));
    EXPECT_TRUE(failed_with(*pb, Errc::kSessionExpired))
        << (pb->result->has_value() ? "phantom leader" : pb->result->error().message());
    EXPECT_TRUE(is_errc((co_await eb.leader()).error(), Errc::kNoLeader));
    EXPECT_TRUE(is_errc((co_await eb.proclaim("b")).error(), Errc::kNotLeader));
  });
}

TEST_P(ElectionTest, CampaignEndsWhenTheSessionEndsAndLeavesNoKey) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    Election ea(a, "elect/y"), eb(b, "elect/y");
    CO_ASSERT_TRUE(co_await ea.campaign("a"));
    auto pb = co_await start(eb.campaign("b"));
    CO_ASSERT_TRUE(co_await wait_exists(client(), eb.key()));
    b->orphan();
    CO_ASSERT_TRUE(co_await eventually([&] { return pb->done(); }));
    EXPECT_TRUE(failed_with(*pb, Errc::kSessionExpired));
    EXPECT_FALSE(co_await exists(client(), eb.key()));
    EXPECT_EQ(co_await count_under(client(), "elect/y/"), 1u);
  });
}

TEST_P(ElectionTest, CancelledCampaignDeletesItsKey) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    auto b = co_await new_session(client());
    Election ea(a, "elect/c"), eb(b, "elect/c");
    CO_ASSERT_TRUE(co_await ea.campaign("a"));
    auto pb = co_await start(eb.campaign("b"));
    CO_ASSERT_TRUE(co_await wait_exists(client(), eb.key()));
    pb->cancel();
    CO_ASSERT_TRUE(co_await eventually([&] { return pb->done(); }));
    EXPECT_TRUE(failed_with(*pb, Errc::kCancelled));
    EXPECT_FALSE(co_await exists(client(), eb.key()));
  });
}

TEST_P(ElectionTest, ExpiredLeaderIsFencedOutAndToldItLost) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client(), 2);
    auto b = co_await new_session(client(), 10);
    Election ea(a, "elect/f"), eb(b, "elect/f");
    auto ta = co_await ea.campaign("a");
    CO_ASSERT_TRUE(ta);
    auto lost = co_await start(ea.lost());
    auto pb = co_await start(eb.campaign("b"));
    CO_ASSERT_TRUE(co_await wait_exists(client(), eb.key()));
    a->orphan();  // A stops renewing; its lease runs out
    harness().advance(3s);
    CO_ASSERT_TRUE(co_await eventually([&] { return pb->done(); }, 15s));
    CO_ASSERT_TRUE(pb->result->has_value()) << pb->result->error().message();
    CO_ASSERT_TRUE(co_await eventually([&] { return lost->done(); }));
    EXPECT_TRUE(lost->result->has_value());
    TxnRequest w;
    w.success.push_back(Op::put("elect/data", "a"));
    EXPECT_TRUE(is_errc((co_await ea.guarded_txn(w)).error(), Errc::kNotLeader));
    w.success[0] = Op::put("elect/data", "b");
    CO_ASSERT_TRUE(co_await eb.guarded_txn(w));
    EXPECT_EQ((*co_await client().get("elect/data"))->value, "b");
    // A's resign is stale and releases nothing.
    EXPECT_TRUE(is_errc((co_await ea.resign()).error(), Errc::kNotLeader));
    EXPECT_EQ((co_await eb.leader())->value, "b");
  });
}

TEST_P(ElectionTest, ResumeTakesBackALeadershipByKeyAndRevision) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client(), 10);
    Election first(a, "elect/r");
    auto token = co_await first.campaign("v1");
    CO_ASSERT_TRUE(token);
    Election resumed = Election::resume(a, "elect/r", first.key(), *token);
    EXPECT_EQ(resumed.fencing_token(), *token);
    CO_ASSERT_TRUE(co_await resumed.proclaim("v2"));
    EXPECT_EQ((co_await resumed.leader())->value, "v2");
    CO_ASSERT_TRUE(co_await resumed.resign());
    EXPECT_TRUE(is_errc((co_await resumed.resign()).error(), Errc::kNotLeader));
    Election wrong = Election::resume(a, "elect/r", first.key(), *token);
    EXPECT_TRUE(is_errc((co_await wrong.proclaim("v3")).error(), Errc::kNotLeader));
  });
}

TEST_P(ElectionTest, SameSessionRecampaignWithNewValueProclaims) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await new_session(client());
    Election e1(a, "elect/s"), e2(a, "elect/s");
    auto t1 = co_await e1.campaign("one");
    auto t2 = co_await e2.campaign("two");
    CO_ASSERT_TRUE(t1 && t2);
    EXPECT_EQ(*t1, *t2);
    EXPECT_EQ((co_await e1.leader())->value, "two");
  });
}

TEST_P(ElectionTest, BlockingElectionHandsOverBetweenThreads) {
  blocking::Client bc(harness().new_client());
  auto sa = blocking::Session::create(bc, {.ttl_seconds = 5});
  auto sb = blocking::Session::create(bc, {.ttl_seconds = 5});
  ASSERT_TRUE(sa && sb);
  blocking::Election ea(**sa, "elect/blocking"), eb(**sb, "elect/blocking");
  ASSERT_TRUE(ea.campaign("a"));
  auto obs = ea.observe();
  auto l = obs.next();
  ASSERT_TRUE(l);
  EXPECT_EQ(l->value, "a");
  Result<Revision> b_token = make_error_code(Errc::kInternal);
  std::thread follower([&] { b_token = eb.campaign("b"); });
  std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(ea.resign());
  follower.join();
  ASSERT_TRUE(b_token) << b_token.error().message();
  auto next = obs.next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->value, "b");
  EXPECT_EQ(eb.leader()->value, "b");
  (void)(*sa)->close();
  (void)(*sb)->close();
}

COORD_INSTANTIATE_BACKENDS(ElectionTest);

}  // namespace
}  // namespace coord
