#include "recipes/queue.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "api/deadline.h"
#include "recipes/blocking/queue.h"
#include "tests/recipes/recipe_testing.h"

namespace coord::test {
namespace {

class QueueTest : public RecipeTest {};

TEST_P(QueueTest, DequeueReturnsItemsInEnqueueOrder) {
  run_void([&]() -> asio::awaitable<void> {
    Queue q(client(), "jobs");
    for (const char* v : {"a", "b", "c"}) EXPECT_TRUE(co_await q.enqueue(v));
    for (const char* v : {"a", "b", "c"}) {
      auto got = co_await q.dequeue();
      EXPECT_TRUE(got && *got == v) << (got ? *got : got.error().message());
    }
  });
}

TEST_P(QueueTest, ItemsUseGoKeyLayoutAndGoItemsAreDequeued) {
  run_void([&]() -> asio::awaitable<void> {
    Queue q(client(), "jobs");
    EXPECT_TRUE(co_await q.enqueue("mine"));
    auto r = (co_await client().range(RangeRequest::prefix("jobs/"))).value();
    EXPECT_EQ(r.kvs.size(), 1u);
    EXPECT_TRUE(std::regex_match(r.kvs.at(0).key, std::regex("jobs/[0-9]+")))
        << r.kvs.at(0).key;
    // An item written by Go's recipe.Queue (prefix/UnixNano).
    (void)co_await client().put("jobs/1700000000000000000", "from-go");
    EXPECT_EQ((co_await q.dequeue()).value(), "mine");
    EXPECT_EQ((co_await q.dequeue()).value(), "from-go");
  });
}

TEST_P(QueueTest, QueueDoesNotConsumeAQueueWhoseNameItPrefixes) {
  run_void([&]() -> asio::awaitable<void> {
    Queue jobs(client(), "jobs");
    Queue jobs2(client(), "jobs2");
    EXPECT_TRUE(co_await jobs2.enqueue("other"));
    auto got = start(with_timeout(client().clock(), 1s, jobs.dequeue()));
    EXPECT_TRUE(co_await eventually([&] { return got->done(); }, 3s));
    EXPECT_TRUE(got->done() && !*got->result &&
                is_errc(got->result->error(), Errc::kDeadlineExceeded));
    EXPECT_EQ((co_await jobs2.dequeue()).value(), "other");
  });
}

TEST_P(QueueTest, BlockedDequeueWakesOnEnqueue) {
  run_void([&]() -> asio::awaitable<void> {
    Queue q(client(), "wake");
    auto got = start(q.dequeue());
    co_await settle();
    EXPECT_FALSE(got->done());
    auto producer = harness().new_client();
    EXPECT_TRUE(co_await Queue(*producer, "wake").enqueue("x"));
    EXPECT_TRUE(co_await eventually([&] { return got->done(); }, 2s));
    EXPECT_TRUE(got->done() && *got->result && **got->result == "x");
  });
}

TEST_P(QueueTest, CancelledDequeueTakesNothing) {
  run_void([&]() -> asio::awaitable<void> {
    Queue q(client(), "cancel");
    auto got = start(with_timeout(client().clock(), 500ms, q.dequeue()));
    EXPECT_TRUE(co_await eventually([&] { return got->done(); }, 3s));
    EXPECT_TRUE(got->done() && !*got->result);
    EXPECT_TRUE(co_await q.enqueue("kept"));
    EXPECT_EQ((co_await q.dequeue()).value(), "kept");
  });
}

constexpr int kProducers = 3, kItems = 20, kConsumers = 4;
constexpr int kTotal = kProducers * kItems;

// Coroutine functions, not capturing lambdas: parameters live in the frame.
Task<void> consume(Client& kv, std::vector<std::string>& out, int n) {
  Queue q(kv, "mpmc");
  for (int i = 0; i < n; ++i) {
    auto v = co_await q.dequeue();
    if (!v) co_return v.error();
    out.push_back(*v);
  }
  co_return Result<void>{};
}

Task<void> produce(Client& kv, int p, int n) {
  Queue q(kv, "mpmc");
  for (int i = 0; i < n; ++i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d-%03d", p, i);
    auto r = co_await q.enqueue(buf);
    if (!r) co_return r.error();
  }
  co_return Result<void>{};
}

TEST_P(QueueTest, SeveralProducersAndConsumersDeliverEachItemExactlyOnce) {
  run_void([&]() -> asio::awaitable<void> {
    std::vector<std::shared_ptr<Client>> clients;
    for (int i = 0; i < kProducers + kConsumers; ++i) clients.push_back(harness().new_client());
    std::vector<std::vector<std::string>> seen(kConsumers);
    std::vector<std::shared_ptr<Pending<void>>> jobs;
    for (int c = 0; c < kConsumers; ++c) {
      Client& kv = *clients[kProducers + c];
      jobs.push_back(start(consume(kv, seen[c], kTotal / kConsumers)));
    }
    for (int p = 0; p < kProducers; ++p) {
      Client& kv = *clients[p];
      jobs.push_back(start(produce(kv, p, kItems)));
    }
    auto all_done = [&] {
      for (auto& j : jobs) if (!j->done()) return false;
      return true;
    };
    EXPECT_TRUE(co_await eventually(all_done, 30s));
    for (auto& j : jobs) EXPECT_TRUE(j->done() && *j->result);
    std::multiset<std::string> all;
    for (auto& s : seen) {
      all.insert(s.begin(), s.end());
      // Per consumer, each producer's items come out in order.
      std::map<char, std::string> last;
      for (auto& v : s) {
        EXPECT_LT(last[v[0]], v);
        last[v[0]] = v;
      }
    }
    EXPECT_EQ(all.size(), static_cast<std::size_t>(kTotal));
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(),
              static_cast<std::size_t>(kTotal));
    auto left = (co_await client().range(RangeRequest::prefix("mpmc/"))).value();
    EXPECT_TRUE(left.kvs.empty());
  });
}

TEST_P(QueueTest, BlockingFacadeIsAsSimpleAsGo) {
  coord::blocking::Client bc(harness().new_client());
  coord::blocking::Queue q(bc, "facade");
  ASSERT_TRUE(q.enqueue("a"));
  std::string v = q.dequeue().value();
  EXPECT_EQ(v, "a");
  if (harness().manual_time()) return;  // a timeout needs the clock to move
  auto none = q.dequeue({.timeout = 300ms});
  EXPECT_TRUE(!none && is_errc(none.error(), Errc::kDeadlineExceeded));
}

TEST_P(QueueTest, BlockingDequeueStopsOnStopToken) {
  coord::blocking::Client bc(harness().new_client());
  coord::blocking::Queue q(bc, "stop");
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);
    stop.request_stop();
  });
  auto r = q.dequeue({.stop = stop.get_token()});
  stopper.join();
  EXPECT_TRUE(!r && is_errc(r.error(), Errc::kCancelled)) << (r ? *r : r.error().message());
}

}  // namespace
COORD_INSTANTIATE_BACKENDS(QueueTest);
}  // namespace coord::test
