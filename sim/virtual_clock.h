// virtual_clock.h: the simulator's virtual time.
//
// VirtualClock is a coord::Clock whose time moves only when the world's loop
// calls advance_to(); waits fire in deadline order, ties in wait order, so a
// run is deterministic. NodeClock is one node's view of it: the same time,
// but pause() holds every wait that falls due until resume() (a process
// stopped by a GC pause or SIGSTOP: its keep-alive sleeps starve).
// Thread-safety: none. Both are used only on the world's thread; waits
// complete through their handler's executor (the world's io_context).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "api/clock.h"

namespace coord::sim {

class NodeClock;

class VirtualClock final : public Clock {
 public:
  // VirtualClock starts at `start` (default: one day after the epoch).
  explicit VirtualClock(TimePoint start = TimePoint(std::chrono::hours(24)));
  // The destructor aborts pending waits.
  ~VirtualClock() override;

  TimePoint now() const override { return now_; }

  // next_deadline returns the earliest pending wait, if any.
  std::optional<TimePoint> next_deadline() const;

  // advance_to moves time to t (never backwards) and fires every due wait.
  void advance_to(TimePoint t);

  // drop_all destroys every pending wait without completing it (teardown).
  void drop_all() {
    while (!waiters_.empty()) {
      auto w = std::move(waiters_);
      waiters_.clear();
    }
  }

  // pending returns the number of pending waits.
  std::size_t pending() const { return waiters_.size(); }

  // wait_for_node registers a wait of a NodeClock: when due it is handed to
  // node.on_due() instead of being completed. Used by NodeClock only.
  void wait_for_node(TimePoint deadline, WaitHandler handler, NodeClock* node);

 protected:
  void do_wait_until(TimePoint deadline, WaitHandler handler) override;

 private:
  using Key = std::pair<TimePoint, std::uint64_t>;
  struct Waiter {
    WaitHandler handler;
    NodeClock* node = nullptr;
  };
  void add(TimePoint deadline, WaitHandler handler, NodeClock* node);
  void cancel(Key key);

  TimePoint now_;
  std::uint64_t next_seq_ = 0;
  std::map<Key, Waiter> waiters_;
};

class NodeClock final : public Clock {
 public:
  // NodeClock views `world`. REQUIRES: world outlives this clock.
  explicit NodeClock(VirtualClock& world) : world_(world) {}
  // The destructor aborts held waits.
  ~NodeClock() override;

  TimePoint now() const override { return world_.now(); }

  // pause holds every wait that falls due from now on until resume().
  void pause() { paused_ = true; }
  // resume releases the held waits (in the order they fell due).
  void resume();
  bool paused() const { return paused_; }
  // drop_all destroys every held wait without completing it (teardown).
  void drop_all() {
    while (!held_.empty()) {
      auto h = std::move(held_);
      held_.clear();
    }
  }

  // on_due is called by the VirtualClock when one of our waits is due.
  void on_due(WaitHandler handler);

 protected:
  void do_wait_until(TimePoint deadline, WaitHandler handler) override;

 private:
  void cancel_held(std::uint64_t id);

  VirtualClock& world_;
  bool paused_ = false;
  std::uint64_t next_id_ = 0;
  std::map<std::uint64_t, WaitHandler> held_;
};

}  // namespace coord::sim
