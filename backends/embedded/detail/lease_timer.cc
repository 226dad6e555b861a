#include "backends/embedded/detail/lease_timer.h"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include "backends/embedded/detail/store_impl.h"

namespace coord::embedded::detail {
namespace asio = boost::asio;

LeaseTimer::LeaseTimer(asio::any_io_executor ex, Clock& clock, std::weak_ptr<StoreImpl> store)
    : strand_(asio::make_strand(ex)), clock_(clock), store_(std::move(store)) {}

void LeaseTimer::arm(TimePoint t) {
  asio::post(strand_, [self = shared_from_this(), t] { self->start_wait(t); });
}

void LeaseTimer::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    for (auto& s : self->signals_) s.emit(asio::cancellation_type::all);
  });
}

void LeaseTimer::start_wait(TimePoint t) {
  if (stopped_) return;
  auto it = signals_.emplace(signals_.end());
  // The handler owns the timer: the signal its slot points to must live
  // until the wait completes.
  clock_.async_wait_until(
      t, asio::bind_cancellation_slot(
             it->slot(), asio::bind_executor(strand_, [self = shared_from_this(), it, t](ErrorCode ec) {
               self->signals_.erase(it);
               if (ec || self->stopped_) return;
               if (auto store = self->store_.lock()) store->on_timer(t);
             })));
}

}  // namespace coord::embedded::detail
