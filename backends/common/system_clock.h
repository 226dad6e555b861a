// system_clock.h: the real-time Clock, on std::chrono::steady_clock.
//
// SystemClock is the clock of production backends: now() reads the
// monotonic clock; waits are Asio steady timers on the waiter's executor.
// Thread-safety: thread-safe; a process needs only one (system_clock()).
#pragma once

#include "api/clock.h"

namespace coord {

class SystemClock final : public Clock {
 public:
  TimePoint now() const override;

 protected:
  void do_wait_until(TimePoint deadline, WaitHandler handler) override;
};

// system_clock returns the process-wide SystemClock.
SystemClock& system_clock();

}  // namespace coord
