#include "sim/virtual_clock.h"

#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/error.hpp>
#include <vector>

namespace coord::sim {
namespace asio = boost::asio;

VirtualClock::VirtualClock(TimePoint start) : now_(start) {}

VirtualClock::~VirtualClock() {
  auto waiters = std::move(waiters_);
  for (auto& [key, w] : waiters) std::move(w.handler).complete(asio::error::operation_aborted);
}

std::optional<TimePoint> VirtualClock::next_deadline() const {
  if (waiters_.empty()) return std::nullopt;
  return waiters_.begin()->first.first;
}

void VirtualClock::advance_to(TimePoint t) {
  if (t > now_) now_ = t;
  while (!waiters_.empty() && waiters_.begin()->first.first <= now_) {
    auto node = waiters_.extract(waiters_.begin());
    Waiter& w = node.mapped();
    if (w.node != nullptr) {
      w.node->on_due(std::move(w.handler));
    } else {
      std::move(w.handler).complete(ErrorCode{});
    }
  }
}

void VirtualClock::wait_for_node(TimePoint deadline, WaitHandler handler, NodeClock* node) {
  add(deadline, std::move(handler), node);
}

void VirtualClock::do_wait_until(TimePoint deadline, WaitHandler handler) {
  if (deadline <= now_) {
    std::move(handler).complete(ErrorCode{});
    return;
  }
  add(deadline, std::move(handler), nullptr);
}

void VirtualClock::add(TimePoint deadline, WaitHandler handler, NodeClock* node) {
  const Key key{deadline, next_seq_++};
  auto slot = handler.slot();
  if (slot.is_connected()) {
    slot.assign([this, key](asio::cancellation_type) { cancel(key); });
  }
  waiters_.emplace(key, Waiter{std::move(handler), node});
}

void VirtualClock::cancel(Key key) {
  auto it = waiters_.find(key);
  if (it == waiters_.end()) return;
  auto handler = std::move(it->second.handler);
  waiters_.erase(it);
  std::move(handler).complete(asio::error::operation_aborted);
}

NodeClock::~NodeClock() {
  auto held = std::move(held_);
  for (auto& [id, h] : held) std::move(h).complete(asio::error::operation_aborted);
}

void NodeClock::resume() {
  paused_ = false;
  auto held = std::move(held_);
  held_.clear();
  for (auto& [id, h] : held) std::move(h).complete(ErrorCode{});
}

void NodeClock::on_due(WaitHandler handler) {
  if (!paused_) {
    std::move(handler).complete(ErrorCode{});
    return;
  }
  const std::uint64_t id = next_id_++;
  auto slot = handler.slot();
  if (slot.is_connected()) {
    slot.assign([this, id](asio::cancellation_type) { cancel_held(id); });
  }
  held_.emplace(id, std::move(handler));
}

void NodeClock::do_wait_until(TimePoint deadline, WaitHandler handler) {
  if (deadline <= now() && !paused_) {
    std::move(handler).complete(ErrorCode{});
    return;
  }
  world_.wait_for_node(deadline, std::move(handler), this);
}

void NodeClock::cancel_held(std::uint64_t id) {
  auto it = held_.find(id);
  if (it == held_.end()) return;
  auto h = std::move(it->second);
  held_.erase(it);
  std::move(h).complete(asio::error::operation_aborted);
}

}  // namespace coord::sim
