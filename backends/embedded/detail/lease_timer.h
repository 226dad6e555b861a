// lease_timer.h: the wake-up for lease expiry (private).
//
// LeaseTimer waits on the store clock, on a strand of the store's executor,
// for the earliest lease expiry, then calls StoreImpl::on_timer. A newer
// earlier deadline starts another wait (a superseded wait just fires
// early and finds nothing due). stop() cancels every pending wait.
// Thread-safety: arm() and stop() may be called from any thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/strand.hpp>
#include <list>
#include <memory>

#include "api/clock.h"

namespace coord::embedded::detail {

class StoreImpl;

class LeaseTimer : public std::enable_shared_from_this<LeaseTimer> {
 public:
  LeaseTimer(boost::asio::any_io_executor ex, Clock& clock, std::weak_ptr<StoreImpl> store);

  // arm starts a wait until t.
  void arm(TimePoint t);
  // stop cancels every wait; later arm() calls do nothing.
  void stop();

 private:
  void start_wait(TimePoint t);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  Clock& clock_;
  std::weak_ptr<StoreImpl> store_;
  // Touched only on strand_.
  bool stopped_ = false;
  std::list<boost::asio::cancellation_signal> signals_;
};

}  // namespace coord::embedded::detail
