// conformance_lease_test.cc: leases (§12.K.5): grant, revoke, expiry,
// keep-alive, time-to-live, listing. Time moves only through
// harness().advance(), which is instant on a ManualClock.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <string>
#include <vector>

#include "api/event.h"
#include "tests/api/conformance.h"

namespace coord::test {
namespace {

class LeaseConformanceTest : public ConformanceTest {
 protected:
  asio::awaitable<LeaseId> grant(std::int64_t ttl) {
    auto g = must(co_await kv().lease_grant(ttl), "grant");
    EXPECT_NE(g.id, 0);
    EXPECT_EQ(g.ttl, ttl);
    co_return g.id;
  }

  asio::awaitable<bool> exists(const std::string& key) {
    co_return must(co_await kv().get(key), "get " + key).has_value();
  }

  asio::awaitable<std::vector<LeaseId>> live_leases() {
    co_return must(co_await kv().lease_leases(), "leases").leases;
  }
};

bool contains(const std::vector<LeaseId>& ids, LeaseId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST_P(LeaseConformanceTest, GrantRaisesTtlBelowTheMinimum) {
  run_void([&]() -> asio::awaitable<void> {
    auto g = must(co_await kv().lease_grant(1), "grant");
    EXPECT_EQ(g.ttl, kMinLeaseTtl);
    auto ttl = must(co_await kv().lease_time_to_live(g.id), "ttl");
    EXPECT_EQ(ttl.granted_ttl, kMinLeaseTtl);
  });
}

TEST_P(LeaseConformanceTest, GrantWithChosenIdUsesItAndRejectsItTwice) {
  run_void([&]() -> asio::awaitable<void> {
    const LeaseId id = 0x5eed;
    auto g = must(co_await kv().lease_grant(30, id), "grant");
    EXPECT_EQ(g.id, id);
    EXPECT_ERRC(co_await kv().lease_grant(30, id), Errc::kInvalidArgument);
  });
}

TEST_P(LeaseConformanceTest, TimeToLiveReportsTtlAndAttachedKeys) {
  run_void([&]() -> asio::awaitable<void> {
    auto id = co_await grant(5);
    must(co_await kv().put("l/1", "a", id), "put");
    must(co_await kv().put("l/2", "b", id), "put");
    must(co_await kv().put("l/free", "c"), "put");
    harness().advance(2s);
    auto t = must(co_await kv().lease_time_to_live(id, true), "ttl");
    EXPECT_EQ(t.id, id);
    EXPECT_EQ(t.granted_ttl, 5);
    EXPECT_GE(t.ttl, 1);
    EXPECT_LE(t.ttl, 3);
    std::sort(t.keys.begin(), t.keys.end());
    EXPECT_EQ(t.keys, (std::vector<std::string>{"l/1", "l/2"}));
    auto without = must(co_await kv().lease_time_to_live(id, false), "ttl");
    EXPECT_TRUE(without.keys.empty()) << "keys sent without being asked";
    EXPECT_TRUE(contains(co_await live_leases(), id));
  });
}

TEST_P(LeaseConformanceTest, UnknownLeaseHasTtlMinusOneAndCannotBeRevokedOrRenewed) {
  run_void([&]() -> asio::awaitable<void> {
    auto t = must(co_await kv().lease_time_to_live(0x7777), "ttl of unknown lease");
    EXPECT_EQ(t.ttl, -1);
    EXPECT_ERRC(co_await kv().lease_revoke(0x7777), Errc::kLeaseNotFound);
    EXPECT_ERRC(co_await kv().lease_keep_alive_once(0x7777), Errc::kLeaseNotFound);
  });
}

TEST_P(LeaseConformanceTest, PutOnRevokedLeaseFailsWithLeaseNotFound) {
  run_void([&]() -> asio::awaitable<void> {
    auto id = co_await grant(30);
    must(co_await kv().lease_revoke(id), "revoke");
    const Revision before = co_await revision_of(kv());
    EXPECT_ERRC(co_await kv().put("k", "v", id), Errc::kLeaseNotFound);
    EXPECT_FALSE(co_await exists("k"));
    EXPECT_EQ(co_await revision_of(kv()), before);
    EXPECT_FALSE(contains(co_await live_leases(), id));
    EXPECT_EQ(must(co_await kv().lease_time_to_live(id), "ttl").ttl, -1);
  });
}

TEST_P(LeaseConformanceTest, RevokeDeletesEveryAttachedKeyInOneRevision) {
  run_void([&]() -> asio::awaitable<void> {
    auto id = co_await grant(30);
    const std::vector<std::string> leased = {"rv/1", "rv/2", "rv/3"};
    for (const auto& k : leased) must(co_await kv().put(k, "v", id), "put");
    must(co_await kv().put("rv/free", "v"), "put");
    const Revision before = co_await revision_of(kv());
    auto w = must(co_await kv().watch(WatchRequest::prefix("rv/", before + 1)), "watch");
    must(co_await kv().lease_revoke(id), "revoke");
    std::vector<WatchResponse> responses;
    auto events = co_await read_events(*w, 3, &responses);
    EXPECT_EQ(responses.size(), 1u) << "the revoke's revision was split";
    std::vector<std::string> deleted;
    for (const auto& e : events) {
      EXPECT_EQ(e.type, Event::Type::kDelete);
      EXPECT_EQ(e.kv.mod_revision, before + 1);
      deleted.push_back(e.kv.key);
    }
    std::sort(deleted.begin(), deleted.end());
    EXPECT_EQ(deleted, leased);
    EXPECT_EQ(co_await revision_of(kv()), before + 1);
    auto left = co_await snapshot(kv(), "rv/");
    EXPECT_EQ(keys_of(left.kvs), std::vector<std::string>{"rv/free"});
  });
}

TEST_P(LeaseConformanceTest, WithoutKeepAliveKeysVanishWithinTtlPlusOneSecond) {
  run_void([&]() -> asio::awaitable<void> {
    auto id = co_await grant(3);
    auto rev = must(co_await kv().put("ex", "v", id), "put").header.revision;
    auto w = must(co_await kv().watch(WatchRequest::single("ex", rev + 1)), "watch");
    harness().advance(2s);
    EXPECT_TRUE(co_await exists("ex")) << "expired before its TTL";
    harness().advance(2s);  // TTL + 1 s since the grant
    auto events = co_await read_events(*w, 1);
    EXPECT_EQ(events[0].type, Event::Type::kDelete);
    EXPECT_FALSE(co_await exists("ex"));
    EXPECT_EQ(must(co_await kv().lease_time_to_live(id), "ttl").ttl, -1);
    EXPECT_FALSE(contains(co_await live_leases(), id));
    EXPECT_ERRC(co_await kv().put("ex", "again", id), Errc::kLeaseNotFound);
    EXPECT_ERRC(co_await kv().lease_keep_alive_once(id), Errc::kLeaseNotFound);
  });
}

TEST_P(LeaseConformanceTest, ExpiryDeletesEveryAttachedKeyInOneRevision) {
  run_void([&]() -> asio::awaitable<void> {
    auto id = co_await grant(kMinLeaseTtl);
    const std::vector<std::string> leased = {"ex/1", "ex/2", "ex/3"};
    for (const auto& k : leased) must(co_await kv().put(k, "v", id), "put");
    const Revision before = co_await revision_of(kv());
    auto w = must(co_await kv().watch(WatchRequest::prefix("ex/", before + 1)), "watch");
    harness().advance(std::chrono::seconds(kMinLeaseTtl + 1));
    std::vector<WatchResponse> responses;
    auto events = co_await read_events(*w, 3, &responses);
    EXPECT_EQ(responses.size(), 1u) << "the expiry's revision was split";
    std::vector<std::string> deleted;
    for (const auto& e : events) {
      EXPECT_EQ(e.type, Event::Type::kDelete);
      EXPECT_EQ(e.kv.mod_revision, before + 1);
      deleted.push_back(e.kv.key);
    }
    std::sort(deleted.begin(), deleted.end());
    EXPECT_EQ(deleted, leased);
    EXPECT_TRUE((co_await snapshot(kv(), "ex/")).kvs.empty());
  });
}

TEST_P(LeaseConformanceTest, DeletedKeyIsNoLongerAttachedToItsLease) {
  run_void([&]() -> asio::awaitable<void> {
    auto id = co_await grant(30);
    must(co_await kv().put("a", "v", id), "put");
    must(co_await kv().put("b", "v", id), "put");
    must(co_await kv().del("a"), "del");
    auto t = must(co_await kv().lease_time_to_live(id, true), "ttl");
    EXPECT_EQ(t.keys, std::vector<std::string>{"b"});
    // Recreating the key without the lease must not tie it to the lease.
    must(co_await kv().put("a", "v"), "put");
    must(co_await kv().lease_revoke(id), "revoke");
    EXPECT_TRUE(co_await exists("a"));
    EXPECT_FALSE(co_await exists("b"));
  });
}

TEST_P(LeaseConformanceTest, KeepAliveOnceEveryThirdOfTtlKeepsKeysPastThreeTtls) {
  run_void([&]() -> asio::awaitable<void> {
    auto id = co_await grant(kMinLeaseTtl);
    must(co_await kv().put("ka", "v", id), "put");
    const auto step = std::chrono::milliseconds(kMinLeaseTtl * 1000 / 3);
    for (int i = 0; i < 10; ++i) {  // 10 x TTL/3 > 3 x TTL
      harness().advance(step);
      auto r = must(co_await kv().lease_keep_alive_once(id), "keep alive");
      EXPECT_EQ(r.id, id);
      EXPECT_EQ(r.ttl, kMinLeaseTtl);
    }
    EXPECT_TRUE(co_await exists("ka"));
    EXPECT_TRUE(contains(co_await live_leases(), id));
  });
}

TEST_P(LeaseConformanceTest, KeepAliveRestartsTheTtl) {
  run_void([&]() -> asio::awaitable<void> {
    auto id = co_await grant(3);
    must(co_await kv().put("k", "v", id), "put");
    harness().advance(2s);
    must(co_await kv().lease_keep_alive_once(id), "keep alive");
    harness().advance(2s);  // 4 s after the grant, 2 s after the renewal
    EXPECT_TRUE(co_await exists("k"));
    auto t = must(co_await kv().lease_time_to_live(id), "ttl");
    EXPECT_GE(t.ttl, 0);
    EXPECT_LE(t.ttl, 1);
  });
}

TEST_P(LeaseConformanceTest, KeepAliveStreamKeepsKeysPastThreeTtls) {
  run_void([&]() -> asio::awaitable<void> {
    auto id = co_await grant(kMinLeaseTtl);
    must(co_await kv().put("ks", "v", id), "put");
    auto stream = must(co_await kv().lease_keep_alive(id), "keep-alive stream");
    int renewals = 0;
    std::optional<ErrorCode> ended;
    AsyncEvent consumer_done;
    asio::co_spawn(co_await asio::this_coro::executor,
                   [&]() -> asio::awaitable<void> {
                     for (;;) {
                       auto r = co_await stream->next();
                       if (!r) {
                         ended = r.error();
                         break;
                       }
                       EXPECT_EQ(r->ttl, kMinLeaseTtl);
                       ++renewals;
                     }
                   },
                   [&](std::exception_ptr) { consumer_done.set(); });
    co_await eventually([&]() -> asio::awaitable<bool> { co_return renewals >= 1; }, "first renewal");
    // Each step passes the stream's TTL/3 renewal point; wait for that
    // renewal before moving time again.
    const auto step = std::chrono::milliseconds(kMinLeaseTtl * 1000 / 3 + 50);
    for (int i = 0; i < 9; ++i) {  // 9 x (TTL/3 + 50 ms) > 3 x TTL
      const int want = renewals + 1;
      harness().advance(step);
      co_await eventually([&]() -> asio::awaitable<bool> { co_return renewals >= want; },
                          "renewal " + std::to_string(want));
    }
    EXPECT_TRUE(co_await exists("ks"));
    EXPECT_FALSE(ended.has_value());
    must(co_await kv().lease_revoke(id), "revoke");
    harness().advance(step);  // the next renewal finds the lease gone
    must(co_await within(consumer_done.wait()), "stream end");
    EXPECT_TRUE(ended && is_errc(*ended, Errc::kLeaseNotFound))
        << (ended ? ended->message() : std::string("no error"));
  });
}

TEST_P(LeaseConformanceTest, PuttingKeyWithoutLeaseDetachesItFromTheLease) {
  run_void([&]() -> asio::awaitable<void> {
    auto id = co_await grant(30);
    auto other = co_await grant(30);
    must(co_await kv().put("moved", "v", id), "put");
    must(co_await kv().put("freed", "v", id), "put");
    must(co_await kv().put("moved", "v", other), "put");
    must(co_await kv().put("freed", "v"), "put");
    must(co_await kv().lease_revoke(id), "revoke");
    EXPECT_TRUE(co_await exists("moved"));
    EXPECT_TRUE(co_await exists("freed"));
    auto t = must(co_await kv().lease_time_to_live(other, true), "ttl");
    EXPECT_EQ(t.keys, std::vector<std::string>{"moved"});
  });
}

TEST_P(LeaseConformanceTest, LeasesListsEveryLiveLease) {
  run_void([&]() -> asio::awaitable<void> {
    auto a = co_await grant(30);
    auto b = co_await grant(30);
    auto c = co_await grant(30);
    must(co_await kv().lease_revoke(b), "revoke");
    auto ids = co_await live_leases();
    std::sort(ids.begin(), ids.end());
    std::vector<LeaseId> want = {a, c};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(ids, want);
  });
}

}  // namespace

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(LeaseConformanceTest);
COORD_INSTANTIATE_BACKENDS(LeaseConformanceTest);

}  // namespace coord::test
