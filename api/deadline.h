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
namespace detail {

// cancelled_already tells whether the awaiting coroutine's thread was
// cancelled before this point (its caller may not throw on cancellation, so
// a cancellation can sit recorded while no operation is pending). A newly
// spawned thread does not inherit it: check before spawning.
inline boost::asio::awaitable<bool> cancelled_already() {
  auto cs = co_await boost::asio::this_coro::cancellation_state;
  co_return cs.cancelled() != boost::asio::cancellation_type::none;
}

// shielded_body runs op with cancellation reported as results (kCancelled
// from the cancelled operation), never as the operation_aborted exception
// Asio throws at the next co_await of a cancelled coroutine thread. Meant
// as the body of a co_spawn: it changes the spawned thread's settings.
template <typename T>
boost::asio::awaitable<Result<T>> shielded_body(boost::asio::awaitable<Result<T>> op) {
  // No reset of the cancellation state here: a cancellation that reached
  // the spawned thread before this body ran must stay seen.
  co_await boost::asio::this_coro::throw_if_cancelled(false);
  co_return co_await std::move(op);
}

}  // namespace detail

// with_deadline runs op until deadline (see the top of this file).
template <typename T>
[[nodiscard]] boost::asio::awaitable<Result<T>> with_deadline(
    Clock& clock, TimePoint deadline, boost::asio::awaitable<Result<T>> op) {
  namespace asio = boost::asio;
  if (co_await detail::cancelled_already()) co_return make_error_code(Errc::kCancelled);
  auto ex = co_await asio::this_coro::executor;
  // op runs shielded, so the deadline's cancellation ends it with a result.
  // Operations are named first (g++ 12 and temporaries in co_await).
  auto guarded = detail::shielded_body(std::move(op));
  auto run_op = asio::co_spawn(ex, std::move(guarded), asio::deferred);
  auto timer = clock.async_wait_until(deadline, asio::bind_executor(ex, asio::deferred));
  auto group = asio::experimental::make_parallel_group(std::move(run_op), std::move(timer));
  auto [order, op_error, op_result, timer_error] =
      co_await std::move(group).async_wait(asio::experimental::wait_for_one(),
                                           asio::use_awaitable);
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
