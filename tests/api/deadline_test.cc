#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "api/deadline.h"
#include "api/event.h"
#include "api/manual_clock.h"

namespace coord {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

TEST(DeadlineTest, DeadlineTurnsCancelledWaitIntoDeadlineExceeded) {
  asio::io_context io;
  ManualClock clock;
  AsyncEvent never;
  std::optional<Result<void>> got;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    got = co_await with_timeout(clock, 2s, never.wait());
  }, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  io.poll();
  EXPECT_FALSE(got.has_value());
  clock.advance(2s);
  io.poll();
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(is_errc(got->error(), Errc::kDeadlineExceeded)) << got->error().message();
}

TEST(DeadlineTest, OperationThatFinishesFirstKeepsItsResult) {
  asio::io_context io;
  ManualClock clock;
  AsyncEvent ev;
  std::optional<Result<void>> got;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    got = co_await with_timeout(clock, 2s, ev.wait());
  }, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  io.poll();
  ev.set();
  io.poll();
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->has_value());
  EXPECT_EQ(clock.pending(), 0u);
}

// A coroutine that is cancelled and then does cleanup work: the cleanup's
// awaits must still run (coord reports cancellation as kCancelled).
TEST(DeadlineTest, CancelledCoroutineCanStillAwaitCleanup) {
  asio::io_context io;
  ManualClock clock;
  AsyncEvent never;
  bool cleaned = false;
  std::optional<Result<void>> got;
  auto op = [&]() -> asio::awaitable<Result<void>> {
    auto r = co_await never.wait();
    if (!r) {
      co_await asio::this_coro::reset_cancellation_state();
      auto c = co_await clock.sleep_for(0s);
      cleaned = c.has_value();
      co_return r.error();
    }
    co_return r;
  };
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    got = co_await with_timeout(clock, 1s, op());
  }, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  io.poll();
  clock.advance(1s);
  io.run();
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(is_errc(got->error(), Errc::kDeadlineExceeded));
  EXPECT_TRUE(cleaned);
}

}  // namespace
}  // namespace coord
