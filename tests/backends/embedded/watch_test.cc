// The embedded store's own watch guarantees: slow consumers never stall
// writers (bounded buffer, then kWatchOverflow), cancellation, progress,
// close.
#include <gtest/gtest.h>

#include "api/manual_clock.h"
#include "backends/embedded/embedded.h"
#include "tests/backends/embedded/test_util.h"

namespace coord::test {
namespace {

using embedded::Options;
using Aw = boost::asio::awaitable<int>;

std::shared_ptr<embedded::Store> open_store(std::size_t buffer, ManualClock& clock) {
  Options o;
  o.watch_buffer = buffer;
  o.clock = &clock;
  return value(embedded::Store::open(o), "open");
}

TEST(WatchTest, SlowWatcherIsDroppedWithOverflowAndWritersNeverBlock) {
  ManualClock clock;
  auto store = open_store(8, clock);
  auto kv = store->client();
  run_sync([&]() -> Aw {
    auto w = value(co_await kv->watch(WatchRequest::prefix("k")), "watch");
    // Nobody reads: the writes must all complete anyway.
    for (int i = 0; i < 100; ++i) (void)value(co_await kv->put("k", std::to_string(i)), "put");
    auto r = co_await w->next();
    EXPECT_TRUE(!r && is_errc(r.error(), Errc::kWatchOverflow));
    auto again = co_await w->next();
    EXPECT_TRUE(!again && is_errc(again.error(), Errc::kWatchOverflow));
    co_return 0;
  }());
  EXPECT_EQ(store->revision(), 101);
}

TEST(WatchTest, WatcherWithinBufferSeesEveryRevision) {
  ManualClock clock;
  auto store = open_store(8, clock);
  auto kv = store->client();
  run_sync([&]() -> Aw {
    auto w = value(co_await kv->watch(WatchRequest::prefix("k")), "watch");
    for (int i = 0; i < 8; ++i) (void)value(co_await kv->put("k", std::to_string(i)), "put");
    for (int i = 0; i < 8; ++i) {
      auto r = value(co_await w->next(), "next");
      EXPECT_EQ(r.events.size(), 1u);
      EXPECT_EQ(r.events[0].kv.value, std::to_string(i));
    }
    co_return 0;
  }());
}

TEST(WatchTest, CloseEndsWatchesWithClosed) {
  ManualClock clock;
  auto store = open_store(8, clock);
  auto kv = store->client();
  run_sync([&]() -> Aw {
    auto w = value(co_await kv->watch(WatchRequest::single("k")), "watch");
    store->close();
    auto r = co_await w->next();
    EXPECT_TRUE(!r && is_errc(r.error(), Errc::kClosed));
    auto p = co_await kv->put("k", "v");
    EXPECT_TRUE(!p && is_errc(p.error(), Errc::kClosed));
    co_return 0;
  }());
}

TEST(WatchTest, ProgressAfterEventsReportsCurrentRevision) {
  ManualClock clock;
  auto store = open_store(8, clock);
  auto kv = store->client();
  run_sync([&]() -> Aw {
    auto w = value(co_await kv->watch(WatchRequest::single("a")), "watch");
    (void)value(co_await kv->put("a", "1"), "put");
    (void)value(co_await kv->put("b", "1"), "put");
    (void)value(co_await w->request_progress(), "progress");
    auto first = value(co_await w->next(), "next");
    EXPECT_EQ(first.events.size(), 1u);
    auto progress = value(co_await w->next(), "next");
    EXPECT_TRUE(progress.progress_notify);
    EXPECT_TRUE(progress.events.empty());
    EXPECT_EQ(progress.header.revision, 3);
    co_return 0;
  }());
}

TEST(WatchTest, CancelEndsPendingAndLaterNextWithCancelled) {
  ManualClock clock;
  auto store = open_store(8, clock);
  auto kv = store->client();
  run_sync([&]() -> Aw {
    auto w = value(co_await kv->watch(WatchRequest::single("a")), "watch");
    w->cancel();
    auto r = co_await w->next();
    EXPECT_TRUE(!r && is_errc(r.error(), Errc::kCancelled));
    (void)value(co_await kv->put("a", "1"), "put");
    auto r2 = co_await w->next();
    EXPECT_TRUE(!r2 && is_errc(r2.error(), Errc::kCancelled));
    co_return 0;
  }());
}

}  // namespace
}  // namespace coord::test
