#include "backends/embedded/detail/watcher.h"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coord::embedded::detail {
namespace asio = boost::asio;

void Watcher::wake_locked(std::unique_lock<std::mutex>& lock) {
  if (!waiter_) return;
  auto h = std::move(waiter_);
  waiter_ = WaitHandler();
  lock.unlock();
  std::move(h).complete(ErrorCode{});
}

bool Watcher::push(WatchResponse r, bool replay) {
  std::unique_lock lock(mu_);
  if (error_) return false;
  if (!replay && queue_.size() >= limit_) {
    // Drop the backlog: the consumer must resync from a revision anyway.
    queue_.clear();
    error_ = make_error_code(Errc::kWatchOverflow);
    wake_locked(lock);
    return false;
  }
  queue_.push_back(std::move(r));
  wake_locked(lock);
  return true;
}

void Watcher::end(ErrorCode ec, Revision compact_rev) {
  std::unique_lock lock(mu_);
  if (error_) return;
  error_ = ec;
  compact_rev_ = compact_rev;
  wake_locked(lock);
}

bool Watcher::ended() const {
  std::lock_guard lock(mu_);
  return error_.has_value();
}

Revision Watcher::compact_revision() const {
  std::lock_guard lock(mu_);
  return compact_rev_;
}

void Watcher::wait(WaitHandler h) {
  std::unique_lock lock(mu_);
  if (!queue_.empty() || error_) {
    lock.unlock();
    std::move(h).complete(ErrorCode{});
    return;
  }
  const std::uint64_t id = ++wait_id_;
  auto slot = h.slot();
  if (slot.is_connected()) {
    std::weak_ptr<Watcher> weak = weak_from_this();
    slot.assign([weak, id](asio::cancellation_type) {
      auto self = weak.lock();
      if (!self) return;
      std::unique_lock l(self->mu_);
      if (!self->waiter_ || self->wait_id_ != id) return;
      auto w = std::move(self->waiter_);
      self->waiter_ = WaitHandler();
      l.unlock();
      std::move(w).complete(asio::error::operation_aborted);
    });
  }
  waiter_ = std::move(h);
}

asio::awaitable<Result<WatchResponse>> Watcher::next() {
  // A cancellation that came before this wait still ends it (queued
  // responses stay for the next call).
  auto cs = co_await asio::this_coro::cancellation_state;
  if (cs.cancelled() != asio::cancellation_type::none) co_return make_error_code(Errc::kCancelled);
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (!queue_.empty()) {
        WatchResponse r = std::move(queue_.front());
        queue_.pop_front();
        co_return r;
      }
      if (error_) co_return *error_;
    }
    auto token = asio::as_tuple(asio::use_awaitable);
  auto [ec] = co_await asio::async_initiate<decltype(token),
                                              void(ErrorCode)>(
        [this](auto handler) { wait(WaitHandler(std::move(handler))); },
        token);
    if (ec) co_return make_error_code(Errc::kCancelled);
  }
}

}  // namespace coord::embedded::detail
