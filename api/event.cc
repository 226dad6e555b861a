#include "api/event.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

namespace coord {
namespace asio = boost::asio;

// State is shared with cancellation handlers, which may outlive the event.
struct AsyncEvent::State {
  std::mutex mu;
  bool set = false;
  std::uint64_t next_id = 0;
  std::map<std::uint64_t, WaitHandler> waiters;
};

namespace {

void complete(AsyncEvent::WaitHandler h, ErrorCode ec) { std::move(h).complete(ec); }

}  // namespace

AsyncEvent::AsyncEvent() : state_(std::make_shared<State>()) {}

AsyncEvent::~AsyncEvent() {
  std::unique_lock lock(state_->mu);
  auto waiters = std::move(state_->waiters);
  lock.unlock();
  for (auto& [id, h] : waiters) complete(std::move(h), asio::error::operation_aborted);
}

void AsyncEvent::set() {
  std::unique_lock lock(state_->mu);
  state_->set = true;
  auto waiters = std::move(state_->waiters);
  state_->waiters.clear();
  lock.unlock();
  for (auto& [id, h] : waiters) complete(std::move(h), ErrorCode{});
}

bool AsyncEvent::is_set() const {
  std::lock_guard lock(state_->mu);
  return state_->set;
}

void AsyncEvent::do_wait(WaitHandler handler) {
  std::unique_lock lock(state_->mu);
  if (state_->set) {
    lock.unlock();
    complete(std::move(handler), ErrorCode{});
    return;
  }
  const std::uint64_t id = state_->next_id++;
  auto slot = handler.slot();
  if (slot.is_connected()) {
    std::weak_ptr<State> weak = state_;
    slot.assign([weak, id](asio::cancellation_type) {
      auto st = weak.lock();
      if (!st) return;
      std::unique_lock l(st->mu);
      auto it = st->waiters.find(id);
      if (it == st->waiters.end()) return;
      auto h = std::move(it->second);
      st->waiters.erase(it);
      l.unlock();
      complete(std::move(h), asio::error::operation_aborted);
    });
  }
  state_->waiters.emplace(id, std::move(handler));
}

asio::awaitable<Result<void>> AsyncEvent::wait() {
  auto [ec] = co_await async_wait(asio::as_tuple(asio::use_awaitable));
  if (ec) co_return make_error_code(Errc::kCancelled);
  co_return Result<void>{};
}

}  // namespace coord
