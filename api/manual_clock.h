// manual_clock.h: a Clock that moves only when told to.
//
// Tests and the simulator own time: advance(d) or set(t) fires, in deadline
// order (ties in wait order), every wait that is due. Nothing waits for real.
// Thread-safety: all members are thread-safe; completions are posted to each
// waiter's executor, so they run when that executor runs.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "api/clock.h"

namespace coord {

class ManualClock final : public Clock {
 public:
  // ManualClock starts at `start` (default: one day after the epoch, so that
  // `now() - ttl` never goes negative in tests).
  explicit ManualClock(TimePoint start = TimePoint(std::chrono::hours(24)));
  ~ManualClock() override;

  TimePoint now() const override;

  // advance moves time forward by d and fires every wait that became due.
  void advance(Duration d);

  // set moves time to t (never backwards: earlier t is ignored) and fires
  // every due wait.
  void set(TimePoint t);

  // next_deadline returns the earliest pending wait, if any.
  std::optional<TimePoint> next_deadline() const;

  // pending returns the number of pending waits.
  std::size_t pending() const;

 protected:
  void do_wait_until(TimePoint deadline, WaitHandler handler) override;

 private:
  struct Waiter;
  using Key = std::pair<TimePoint, std::uint64_t>;
  void fire_due(std::unique_lock<std::mutex> lock);
  void cancel_waiter(Key key);

  mutable std::mutex mu_;
  TimePoint now_;
  std::uint64_t next_seq_ = 0;
  std::map<Key, std::shared_ptr<Waiter>> waiters_;
};

}  // namespace coord
