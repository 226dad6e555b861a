#include "sim/virtual_clock.h"

#include <gtest/gtest.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <vector>

namespace coord::sim {
namespace {
using namespace std::chrono_literals;

TEST(VirtualClockTest, WaitsFireInDeadlineOrderThenWaitOrder) {
  boost::asio::io_context io;
  VirtualClock clock;
  std::vector<int> fired;
  const TimePoint t0 = clock.now();
  auto on = [&](int id) {
    return boost::asio::bind_executor(io, [&fired, id](ErrorCode ec) {
      if (!ec) fired.push_back(id);
    });
  };
  clock.async_wait_until(t0 + 2ms, on(1));
  clock.async_wait_until(t0 + 1ms, on(2));
  clock.async_wait_until(t0 + 2ms, on(3));
  EXPECT_EQ(clock.next_deadline(), t0 + 1ms);
  clock.advance_to(t0 + 5ms);
  io.run();
  EXPECT_EQ(fired, (std::vector<int>{2, 1, 3}));
  EXPECT_EQ(clock.now(), t0 + 5ms);
}

TEST(VirtualClockTest, PausedNodeClockHoldsWaitsUntilResume) {
  boost::asio::io_context io;
  VirtualClock world;
  NodeClock node(world);
  bool fired = false;
  node.async_wait_until(world.now() + 1ms,
                        boost::asio::bind_executor(io, [&](ErrorCode ec) { fired = !ec; }));
  node.pause();
  world.advance_to(world.now() + 10ms);
  io.restart();
  io.poll();
  EXPECT_FALSE(fired);
  node.resume();
  io.restart();
  io.poll();
  EXPECT_TRUE(fired);
}

}  // namespace
}  // namespace coord::sim
