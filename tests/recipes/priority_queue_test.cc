#include "recipes/priority_queue.h"

#include <gtest/gtest.h>

#include <set>

#include "recipes/blocking/queue.h"
#include "tests/recipes/recipe_testing.h"

namespace coord::test {
namespace {

class PriorityQueueTest : public RecipeTest {};

TEST_P(PriorityQueueTest, LowestNumberFirstEqualPrioritiesFifo) {
  run_void([&]() -> asio::awaitable<void> {
    PriorityQueue q(client(), "prq");
    EXPECT_TRUE(co_await q.enqueue("a", 3));
    EXPECT_TRUE(co_await q.enqueue("b", 1));
    EXPECT_TRUE(co_await q.enqueue("c", 3));
    EXPECT_TRUE(co_await q.enqueue("d", 0));
    EXPECT_TRUE(co_await q.enqueue("e", 65535));
    for (const char* v : {"d", "b", "a", "c", "e"}) {
      auto got = co_await q.dequeue();
      EXPECT_TRUE(got && *got == v) << (got ? *got : got.error().message()) << " want " << v;
    }
  });
}

TEST_P(PriorityQueueTest, UsesGoKeyLayout) {
  run_void([&]() -> asio::awaitable<void> {
    PriorityQueue q(client(), "prq");
    EXPECT_TRUE(co_await q.enqueue("x", 1));
    EXPECT_TRUE(co_await q.enqueue("y", 3));
    EXPECT_TRUE(co_await q.enqueue("z", 3));
    auto r = (co_await client().range(RangeRequest::prefix("prq/"))).value();
    std::vector<std::string> keys;
    for (auto& kv : r.kvs) keys.push_back(kv.key);
    EXPECT_EQ(keys, (std::vector<std::string>{"prq/00001/0000000000000000",
                                              "prq/00003/0000000000000000",
                                              "prq/00003/0000000000000001"}));
    auto counter = (co_await client().get("__prq/00003")).value();
    EXPECT_TRUE(counter.has_value());
  });
}

TEST_P(PriorityQueueTest, BlockedDequeueRespectsPriority) {
  run_void([&]() -> asio::awaitable<void> {
    PriorityQueue q(client(), "prw");
    auto got = start(q.dequeue());
    co_await settle();
    EXPECT_FALSE(got->done());
    // Go's blocked Dequeue takes the first put (priority 9); here the
    // wake-up re-reads the head and takes priority 0.
    TxnRequest t;
    t.success.push_back(Op::put("prw/00009/0000000000000000", "low"));
    t.success.push_back(Op::put("prw/00000/0000000000000000", "high"));
    EXPECT_TRUE(co_await client().txn(std::move(t)));
    EXPECT_TRUE(co_await eventually([&] { return got->done(); }, 2s));
    EXPECT_TRUE(got->done() && *got->result && **got->result == "high");
  });
}

constexpr int kProducers = 4, kItems = 10;

Task<void> produce(Client& kv, int p) {
  PriorityQueue q(kv, "prc");
  for (int i = 0; i < kItems; ++i) {
    auto r = co_await q.enqueue(std::to_string(p) + "-" + std::to_string(i), 7);
    if (!r) co_return r.error();
  }
  co_return Result<void>{};
}

TEST_P(PriorityQueueTest, ConcurrentProducersOfOnePriorityGetUniqueSequences) {
  run_void([&]() -> asio::awaitable<void> {
    std::vector<std::shared_ptr<Client>> clients;
    std::vector<std::shared_ptr<Pending<void>>> jobs;
    for (int p = 0; p < kProducers; ++p) {
      clients.push_back(harness().new_client());
      Client& kv = *clients.back();
      jobs.push_back(start(produce(kv, p)));
    }
    EXPECT_TRUE(co_await eventually([&] {
      for (auto& j : jobs) if (!j->done()) return false;
      return true;
    }, 30s));
    for (auto& j : jobs) EXPECT_TRUE(j->done() && *j->result);
    PriorityQueue q(client(), "prc");
    std::set<std::string> got;
    for (int i = 0; i < kProducers * kItems; ++i) got.insert((co_await q.dequeue()).value());
    EXPECT_EQ(got.size(), static_cast<std::size_t>(kProducers * kItems));
  });
}

TEST_P(PriorityQueueTest, BlockingFacade) {
  coord::blocking::Client bc(harness().new_client());
  coord::blocking::PriorityQueue q(bc, "bpq");
  ASSERT_TRUE(q.enqueue("later", 5));
  ASSERT_TRUE(q.enqueue("first", 0));
  EXPECT_EQ(q.dequeue().value(), "first");
  EXPECT_EQ(q.dequeue().value(), "later");
}

}  // namespace
COORD_INSTANTIATE_BACKENDS(PriorityQueueTest);
}  // namespace coord::test
