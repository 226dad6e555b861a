#include "api/clock.h"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coord {

// Clock::sleep_until is the backend clock's wait, not an OS sleep.
boost::asio::awaitable<Result<void>> Clock::sleep_until(TimePoint deadline) {
  // A cancellation that came before this wait (its caller does not throw on
  // cancellation) still ends it.
  auto cs = co_await boost::asio::this_coro::cancellation_state;
  if (cs.cancelled() != boost::asio::cancellation_type::none) {
    co_return make_error_code(Errc::kCancelled);
  }
  auto [ec] = co_await async_wait_until(
      deadline, boost::asio::as_tuple(boost::asio::use_awaitable));
  if (ec) co_return make_error_code(Errc::kCancelled);
  co_return Result<void>{};
}

// Clock::sleep_for waits on this clock too (now() is the backend's time).
boost::asio::awaitable<Result<void>> Clock::sleep_for(Duration d) {
  return sleep_until(now() + d);
}

std::int64_t to_seconds_ceil(Duration d) {
  const auto s = std::chrono::ceil<std::chrono::seconds>(d);
  return s.count();
}

}  // namespace coord
