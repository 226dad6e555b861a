// clock.h: the backend's clock. All time in coord comes from here.
//
// A Clock tells the time and sleeps, so the same code runs on wall time
// (backends/common/system_clock.h), on a ManualClock moved by a test, or on
// the simulator's virtual time. api/, recipes/ and sim/ never read the wall
// clock themselves.
// Thread-safety: implementations are thread-safe. A wait completes on the
// completion handler's associated executor, never inline. Note: inside an
// Asio parallel_group (Boost 1.81) an op's handler has no executor, so bind
// one: clock.async_wait_until(t, asio::bind_executor(ex, asio::deferred)).
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "api/detail/completion.h"
#include "api/errc.h"

namespace coord {

class Clock;
using Duration = std::chrono::nanoseconds;
using TimePoint = std::chrono::time_point<Clock, Duration>;

class Clock {
 public:
  using WaitHandler = detail::Completion<ErrorCode>;

  virtual ~Clock() = default;

  // now returns the current time of this clock.
  virtual TimePoint now() const = 0;

  // async_wait_until completes once now() >= deadline with an empty
  // error_code, or with boost::asio::error::operation_aborted when the
  // operation is cancelled (per-operation cancellation, any type).
  template <typename Token>
  auto async_wait_until(TimePoint deadline, Token&& token) {
    return boost::asio::async_initiate<Token, void(ErrorCode)>(
        [this](auto handler, TimePoint t) {
          do_wait_until(t, WaitHandler(std::move(handler)));
        },
        token, deadline);
  }

  // sleep_until waits until deadline on this clock (the backend's time, the
  // one sleep the style allows). Errors: kCancelled when cancelled.
  [[nodiscard]] boost::asio::awaitable<Result<void>> sleep_until(TimePoint deadline);

  // sleep_for waits for d on this clock, not the wall clock (d <= 0
  // completes at once, still asynchronously).
  // Errors: kCancelled when cancelled.
  [[nodiscard]] boost::asio::awaitable<Result<void>> sleep_for(Duration d);

 protected:
  // do_wait_until implements async_wait_until. It must honour the handler's
  // cancellation slot and complete through its associated executor.
  virtual void do_wait_until(TimePoint deadline, WaitHandler handler) = 0;
};

// to_seconds converts a duration to whole seconds, rounding up (lease TTLs).
std::int64_t to_seconds_ceil(Duration d);

}  // namespace coord
