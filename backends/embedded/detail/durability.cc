#include "backends/embedded/detail/durability.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

namespace coord::embedded::detail {
namespace asio = boost::asio;

Durability::Durability(Storage& storage) : storage_(storage), thread_([this] { run(); }) {}

Durability::~Durability() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Durability::written(std::uint64_t seq) {
  {
    std::lock_guard lock(mu_);
    if (seq > written_) written_ = seq;
  }
  cv_.notify_one();
}

bool Durability::durable(std::uint64_t seq) const {
  std::lock_guard lock(mu_);
  return synced_ >= seq && !error_;
}

std::uint64_t Durability::syncs() const {
  std::lock_guard lock(mu_);
  return syncs_;
}

void Durability::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || written_ > synced_; });
    if (written_ <= synced_ && stop_) return;
    const std::uint64_t target = written_;
    lock.unlock();
    Result<void> r = storage_.sync();
    lock.lock();
    ++syncs_;
    if (!r && !error_) error_ = make_error_code(Errc::kUnavailable);
    if (r) synced_ = target;
    std::vector<Handler> done;
    while (!waiters_.empty() && (error_ || waiters_.begin()->first.first <= synced_)) {
      done.push_back(std::move(waiters_.begin()->second));
      waiters_.erase(waiters_.begin());
    }
    const ErrorCode ec = error_;
    lock.unlock();
    for (auto& h : done) std::move(h).complete(ec);
    lock.lock();
    if (error_) {
      // A failed fsync leaves the WAL in an unknown state: stop syncing.
      cv_.wait(lock, [&] { return stop_; });
      return;
    }
  }
}

void Durability::async_wait(std::uint64_t seq, Handler h) {
  std::unique_lock lock(mu_);
  if (error_ || synced_ >= seq) {
    const ErrorCode ec = error_;
    lock.unlock();
    std::move(h).complete(ec);
    return;
  }
  const auto key = std::make_pair(seq, ++next_id_);
  auto slot = h.slot();
  if (slot.is_connected()) {
    slot.assign([this, key](asio::cancellation_type) {
      std::unique_lock l(mu_);
      auto it = waiters_.find(key);
      if (it == waiters_.end()) return;
      auto w = std::move(it->second);
      waiters_.erase(it);
      l.unlock();
      std::move(w).complete(asio::error::operation_aborted);
    });
  }
  waiters_.emplace(key, std::move(h));
}

asio::awaitable<Result<void>> Durability::wait(std::uint64_t seq) {
  if (durable(seq)) co_return Result<void>{};
  auto token = asio::as_tuple(asio::use_awaitable);
  auto [ec] = co_await asio::async_initiate<decltype(token),
                                            void(ErrorCode)>(
      [this, seq](auto handler) { async_wait(seq, Handler(std::move(handler))); },
      token);
  if (ec == asio::error::operation_aborted) co_return make_error_code(Errc::kCancelled);
  if (ec) co_return make_error_code(Errc::kUnavailable);
  co_return Result<void>{};
}

}  // namespace coord::embedded::detail
