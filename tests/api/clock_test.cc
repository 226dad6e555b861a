#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "api/event.h"
#include "api/manual_clock.h"

namespace coord {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

TEST(ManualClockTest, SleepCompletesOnlyWhenAdvancedPastDeadline) {
  asio::io_context io;
  ManualClock clock;
  bool done = false;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto r = co_await clock.sleep_for(5s);
    EXPECT_TRUE(r.has_value());
    done = true;
  }, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  io.poll();
  EXPECT_FALSE(done);
  clock.advance(4s);
  io.poll();
  EXPECT_FALSE(done);
  clock.advance(1s);
  io.poll();
  EXPECT_TRUE(done);
  EXPECT_EQ(clock.pending(), 0u);
}

TEST(ManualClockTest, WaitsFireInDeadlineOrder) {
  asio::io_context io;
  ManualClock clock;
  std::vector<int> order;
  for (int i : {3, 1, 2}) {
    asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
      (void)co_await clock.sleep_for(std::chrono::seconds(i));
      order.push_back(i);
    }, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  }
  io.poll();
  clock.advance(10s);
  io.poll();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(AsyncEventTest, SetWakesEveryWaiter) {
  asio::io_context io;
  AsyncEvent ev;
  int woken = 0;
  for (int i = 0; i < 3; ++i) {
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      auto r = co_await ev.wait();
      EXPECT_TRUE(r.has_value());
      ++woken;
    }, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  }
  io.poll();
  EXPECT_EQ(woken, 0);
  ev.set();
  io.poll();
  EXPECT_EQ(woken, 3);
}

}  // namespace
}  // namespace coord
