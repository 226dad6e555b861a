#include "backends/common/system_clock.h"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/system_executor.hpp>
#include <memory>

namespace coord {
namespace asio = boost::asio;

namespace {
// The epoch of coord's TimePoint is the steady clock's epoch.
std::chrono::steady_clock::time_point to_steady(TimePoint t) {
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(t.time_since_epoch()));
}
}  // namespace

TimePoint SystemClock::now() const {
  return TimePoint(std::chrono::duration_cast<Duration>(
      std::chrono::steady_clock::now().time_since_epoch()));
}

void SystemClock::do_wait_until(TimePoint deadline, WaitHandler handler) {
  // The timer runs on the waiter's executor and honours its cancellation
  // slot; the completion keeps the executor's work outstanding.
  auto timer = std::make_shared<asio::steady_timer>(handler.executor(), to_steady(deadline));
  auto slot = handler.slot();
  timer->async_wait(asio::bind_cancellation_slot(
      slot, [timer, h = std::move(handler)](ErrorCode ec) mutable { std::move(h).complete(ec); }));
}

SystemClock& system_clock() {
  static SystemClock clock;
  return clock;
}

}  // namespace coord
