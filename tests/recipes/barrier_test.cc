#include "recipes/barrier.h"

#include <gtest/gtest.h>

#include "api/deadline.h"
#include "recipes/blocking/barrier.h"
#include "tests/recipes/recipe_testing.h"

namespace coord::test {
namespace {

class BarrierTest : public RecipeTest {};

TEST_P(BarrierTest, HoldTwiceIsKeyExists) {
  run_void([&]() -> asio::awaitable<void> {
    Barrier b(client(), "b");
    EXPECT_TRUE(co_await b.hold());
    auto again = co_await b.hold();
    EXPECT_TRUE(!again && is_errc(again.error(), Errc::kKeyExists));
    auto kv = (co_await client().get("b")).value();
    EXPECT_TRUE(kv && kv->value.empty() && kv->lease == 0);
  });
}

TEST_P(BarrierTest, WaitOnAFreeBarrierReturnsEvenWithAKeyOfTheSamePrefix) {
  run_void([&]() -> asio::awaitable<void> {
    (void)co_await client().put("b-0", "");
    Barrier b(client(), "b");
    EXPECT_TRUE(co_await b.wait());
  });
}

TEST_P(BarrierTest, ReleaseWakesAllWaitersAfterTheRevisionMoved) {
  run_void([&]() -> asio::awaitable<void> {
    Barrier b(client(), "gate");
    EXPECT_TRUE(co_await b.hold());
    (void)co_await client().put("unrelated", "x");  // Go's B-1 hang
    std::vector<std::shared_ptr<Client>> clients;
    std::vector<std::unique_ptr<Barrier>> barriers;  // alive while waiting
    std::vector<std::shared_ptr<Pending<void>>> waiters;
    for (int i = 0; i < 5; ++i) {
      clients.push_back(harness().new_client());
      barriers.push_back(std::make_unique<Barrier>(*clients.back(), "gate"));
      waiters.push_back(start(barriers.back()->wait()));
    }
    co_await settle();
    for (auto& w : waiters) EXPECT_FALSE(w->done());
    (void)co_await client().put("unrelated", "y");
    EXPECT_TRUE(co_await b.release());
    EXPECT_TRUE(co_await eventually([&] {
      for (auto& w : waiters) if (!w->done()) return false;
      return true;
    }, 2s));
    for (auto& w : waiters) EXPECT_TRUE(w->done() && *w->result);
  });
}

TEST_P(BarrierTest, WaitHonoursItsDeadline) {
  run_void([&]() -> asio::awaitable<void> {
    Barrier b(client(), "held");
    EXPECT_TRUE(co_await b.hold());
    auto w = start(with_timeout(client().clock(), 500ms, b.wait()));
    EXPECT_TRUE(co_await eventually([&] { return w->done(); }, 3s));
    EXPECT_TRUE(w->done() && !*w->result &&
                is_errc(w->result->error(), Errc::kDeadlineExceeded));
  });
}

TEST_P(BarrierTest, BlockingFacade) {
  coord::blocking::Client bc(harness().new_client());
  coord::blocking::Barrier b(bc, "bb");
  ASSERT_TRUE(b.hold());
  std::thread releaser([&] {
    std::this_thread::sleep_for(100ms);
    coord::blocking::Barrier(bc, "bb").release().value();
  });
  EXPECT_TRUE(b.wait());
  releaser.join();
}

}  // namespace
COORD_INSTANTIATE_BACKENDS(BarrierTest);
}  // namespace coord::test
