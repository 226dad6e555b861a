#include "api/manual_clock.h"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/system_executor.hpp>
#include <vector>

namespace coord {
namespace asio = boost::asio;

struct ManualClock::Waiter {
  WaitHandler handler;
};

namespace {

// complete posts the handler to its executor. The cancellation slot is
// cleared there, on the executor that also emits cancellation signals.
void complete(Clock::WaitHandler h, ErrorCode ec) { std::move(h).complete(ec); }

}  // namespace

ManualClock::ManualClock(TimePoint start) : now_(start) {}

ManualClock::~ManualClock() {
  std::unique_lock lock(mu_);
  auto waiters = std::move(waiters_);
  lock.unlock();
  for (auto& [key, w] : waiters) {
    complete(std::move(w->handler), asio::error::operation_aborted);
  }
}

TimePoint ManualClock::now() const {
  std::lock_guard lock(mu_);
  return now_;
}

void ManualClock::advance(Duration d) {
  std::unique_lock lock(mu_);
  if (d > Duration::zero()) now_ += d;
  fire_due(std::move(lock));
}

void ManualClock::set(TimePoint t) {
  std::unique_lock lock(mu_);
  if (t > now_) now_ = t;
  fire_due(std::move(lock));
}

std::optional<TimePoint> ManualClock::next_deadline() const {
  std::lock_guard lock(mu_);
  if (waiters_.empty()) return std::nullopt;
  return waiters_.begin()->first.first;
}

std::size_t ManualClock::pending() const {
  std::lock_guard lock(mu_);
  return waiters_.size();
}

void ManualClock::fire_due(std::unique_lock<std::mutex> lock) {
  std::vector<std::shared_ptr<Waiter>> due;
  while (!waiters_.empty() && waiters_.begin()->first.first <= now_) {
    due.push_back(std::move(waiters_.begin()->second));
    waiters_.erase(waiters_.begin());
  }
  lock.unlock();
  for (auto& w : due) complete(std::move(w->handler), ErrorCode{});
}

void ManualClock::cancel_waiter(Key key) {
  std::unique_lock lock(mu_);
  auto it = waiters_.find(key);
  if (it == waiters_.end()) return;
  auto w = std::move(it->second);
  waiters_.erase(it);
  lock.unlock();
  complete(std::move(w->handler), asio::error::operation_aborted);
}

void ManualClock::do_wait_until(TimePoint deadline, WaitHandler handler) {
  std::unique_lock lock(mu_);
  if (deadline <= now_) {
    lock.unlock();
    complete(std::move(handler), ErrorCode{});
    return;
  }
  const Key key{deadline, next_seq_++};
  auto slot = handler.slot();
  if (slot.is_connected()) {
    slot.assign([this, key](asio::cancellation_type) { cancel_waiter(key); });
  }
  auto w = std::make_shared<Waiter>();
  w->handler = std::move(handler);
  waiters_.emplace(key, std::move(w));
}

}  // namespace coord
