// event.h: AsyncEvent, a one-shot signal that coroutines can await.
//
// set() fires the event once and for all: every pending and later wait
// completes. Used for "session lost", "ownership lost", "stream closed".
// Waits honour per-operation cancellation.
// Thread-safety: every member is thread-safe; completions are posted to the
// waiter's associated executor, never run inline.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "api/detail/completion.h"
#include "api/errc.h"

namespace coord {

class AsyncEvent {
 public:
  using WaitHandler = detail::Completion<ErrorCode>;

  AsyncEvent();
  // The destructor completes pending waits with operation_aborted.
  ~AsyncEvent();
  AsyncEvent(const AsyncEvent&) = delete;
  AsyncEvent& operator=(const AsyncEvent&) = delete;

  // set fires the event (idempotent).
  void set();

  // is_set tells whether set() was called.
  bool is_set() const;

  // async_wait completes with an empty error_code once the event is set, or
  // with operation_aborted when cancelled or when the event is destroyed.
  template <typename Token>
  auto async_wait(Token&& token) {
    return boost::asio::async_initiate<Token, void(ErrorCode)>(
        [this](auto handler) { do_wait(WaitHandler(std::move(handler))); }, token);
  }

  // wait awaits the event. Errors: kCancelled when cancelled.
  [[nodiscard]] boost::asio::awaitable<Result<void>> wait();

 private:
  struct State;
  void do_wait(WaitHandler handler);
  std::shared_ptr<State> state_;
};

}  // namespace coord
