// Reopening a disk store recovers committed state; revisions continue.
#include <gtest/gtest.h>

#include "api/manual_clock.h"
#include "backends/embedded/embedded.h"
#include "tests/backends/embedded/test_util.h"

namespace coord::test {
namespace {

using embedded::Options;
using embedded::Store;
using Aw = boost::asio::awaitable<Revision>;

std::shared_ptr<Store> open_disk(const std::string& path, Clock* clock, bool durable = true) {
  Options o;
  o.mode = Options::Mode::kDisk;
  o.path = path;
  o.durable = durable;
  o.clock = clock;
  return value(Store::open(o), "open");
}

TEST(RecoveryTest, ReopenRecoversKeysHistoryAndRevision) {
  TempDir dir;
  ManualClock clock;
  Revision last = 0;
  {
    auto store = open_disk(dir.path(), &clock);
    auto kv = store->client();
    last = run_sync([&]() -> Aw {
      (void)value(co_await kv->put("a", "1"), "put");
      (void)value(co_await kv->put("a", "2"), "put");
      (void)value(co_await kv->put("b", "1"), "put");
      co_return value(co_await kv->del("b"), "del").header.revision;
    }());
    ASSERT_EQ(last, 5);  // a fresh store is at revision 1
  }
  auto store = open_disk(dir.path(), &clock);
  auto kv = store->client();
  EXPECT_EQ(store->revision(), 5);
  run_sync([&]() -> Aw {
    auto a = value(co_await kv->get("a"), "get");
    EXPECT_TRUE(a && a->value == "2" && a->version == 2 && a->create_revision == 2);
    auto old = value(co_await kv->get("a", 2), "get@2");
    EXPECT_TRUE(old && old->value == "1");
    EXPECT_FALSE(value(co_await kv->get("b"), "get b").has_value());
    auto p = value(co_await kv->put("c", "1"), "put");
    EXPECT_EQ(p.header.revision, 6);  // never reuses a revision
    co_return 0;
  }());
}

TEST(RecoveryTest, RevisionOfCompactedTombstoneIsNotReused) {
  TempDir dir;
  ManualClock clock;
  {
    auto store = open_disk(dir.path(), &clock);
    auto kv = store->client();
    run_sync([&]() -> Aw {
      (void)value(co_await kv->put("a", "1"), "put");
      (void)value(co_await kv->del("a"), "del");
      (void)value(co_await kv->compact({3, true}), "compact");
      co_return 0;
    }());
  }
  auto store = open_disk(dir.path(), &clock);
  auto kv = store->client();
  EXPECT_EQ(store->revision(), 3);
  run_sync([&]() -> Aw {
    auto r = co_await kv->get("a", 2);
    EXPECT_TRUE(!r && is_errc(r.error(), Errc::kCompacted));
    EXPECT_EQ(value(co_await kv->put("a", "2"), "put").header.revision, 4);
    co_return 0;
  }());
}

TEST(RecoveryTest, LeasesComeBackWithFullTtlFromReopen) {
  TempDir dir;
  ManualClock clock;
  LeaseId id = 0;
  {
    auto store = open_disk(dir.path(), &clock);
    auto kv = store->client();
    run_sync([&]() -> Aw {
      id = value(co_await kv->lease_grant(10), "grant").id;
      (void)value(co_await kv->put("l", "v", id), "put");
      co_return 0;
    }());
    clock.advance(std::chrono::seconds(8));
  }
  auto store = open_disk(dir.path(), &clock);
  auto kv = store->client();
  run_sync([&]() -> Aw {
    auto ttl = value(co_await kv->lease_time_to_live(id, true), "ttl");
    EXPECT_EQ(ttl.granted_ttl, 10);
    EXPECT_EQ(ttl.ttl, 10);
    EXPECT_EQ(ttl.keys, std::vector<std::string>{"l"});
    // A new grant never reuses an id from before the reopen.
    EXPECT_NE(value(co_await kv->lease_grant(10), "grant").id, id);
    co_return 0;
  }());
  clock.advance(std::chrono::seconds(10));
  store->expire_due_leases();
  run_sync([&]() -> Aw {
    EXPECT_FALSE(value(co_await kv->get("l"), "get").has_value());
    co_return 0;
  }());
}

TEST(RecoveryTest, BufferedModeRecoversAfterCleanClose) {
  TempDir dir;
  ManualClock clock;
  {
    auto store = open_disk(dir.path(), &clock, /*durable=*/false);
    auto kv = store->client();
    run_sync([&]() -> Aw {
      for (int i = 0; i < 100; ++i) (void)value(co_await kv->put("k" + std::to_string(i), "v"), "put");
      co_return 0;
    }());
  }
  auto store = open_disk(dir.path(), &clock, false);
  EXPECT_EQ(store->revision(), 101);
}

TEST(RecoveryTest, SecondOpenOfALockedDirectoryIsUnavailable) {
  TempDir dir;
  ManualClock clock;
  auto first = open_disk(dir.path(), &clock);
  Options o;
  o.mode = Options::Mode::kDisk;
  o.path = dir.path();
  o.clock = &clock;
  auto second = Store::open(o);
  ASSERT_FALSE(second.has_value());
  EXPECT_TRUE(is_errc(second.error(), Errc::kUnavailable));
}

TEST(RecoveryTest, DiskModeWithoutPathIsInvalidArgument) {
  Options o;
  o.mode = Options::Mode::kDisk;
  auto s = Store::open(o);
  ASSERT_FALSE(s.has_value());
  EXPECT_TRUE(is_errc(s.error(), Errc::kInvalidArgument));
}

}  // namespace
}  // namespace coord::test
