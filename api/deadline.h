// deadline.h: bound any coord operation by a deadline on the backend clock.
//
//   auto r = co_await with_timeout(client.clock(), 5s, queue.dequeue());
//
// with_deadline runs op and a clock wait side by side. If the deadline comes
// first, op is cancelled and awaited: kCancelled from op becomes
// kDeadlineExceeded; any other outcome of op (kIndeterminate for a write in
// flight, or success that raced the deadline) is returned as it is, so a
// timed-out write is never reported as a definite failure. Cancelling the
// awaiting coroutine cancels both and returns op's outcome.
// Thread-safety: as the awaited op.
#pragma once

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "api/clock.h"
#include "api/errc.h"

namespace coord {

template <typename T>
[[nodiscard]] boost::asio::awaitable<Result<T>> with_deadline(
    Clock& clock, TimePoint deadline, boost::asio::awaitable<Result<T>> op) {
  namespace asio = boost::asio;
  auto ex = co_await asio::this_coro::executor;
  auto [order, op_error, op_result, timer_error] =
      co_await asio::experimental::make_parallel_group(
          asio::co_spawn(ex, std::move(op), asio::deferred),
          clock.async_wait_until(deadline, asio::bind_executor(ex, asio::deferred)))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  if (op_error) std::rethrow_exception(op_error);
  const bool timer_first = order[0] == 1 && !timer_error;
  if (timer_first && !op_result && is_errc(op_result.error(), Errc::kCancelled)) {
    co_return make_error_code(Errc::kDeadlineExceeded);
  }
  co_return std::move(op_result);
}

template <typename T>
[[nodiscard]] boost::asio::awaitable<Result<T>> with_timeout(
    Clock& clock, Duration timeout, boost::asio::awaitable<Result<T>> op) {
  return with_deadline(clock, clock.now() + timeout, std::move(op));
}

}  // namespace coord
