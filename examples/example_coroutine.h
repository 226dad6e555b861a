// example_coroutine.h: what the coroutine examples share: run a demo
// coroutine to its end on an io_context, run an operation in the background
// and await its outcome later, and report a demonstration that did not
// happen. Everything here is plain Asio plus coord's public API.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>

#include "api/client.h"
#include "api/event.h"

namespace examples {

// fail reports a demonstration that did not happen; the example exits 1.
inline coord::ErrorCode fail(const char* what) {
  std::fprintf(stderr, "FAILED: %s\n", what);
  return coord::make_error_code(coord::Errc::kInternal);
}

// run_main runs demo on a one-thread io_context until it finishes and
// returns the exit status (0: success). The completion handler rethrows an
// exception escaping demo (a bug) instead of swallowing it, which is why
// coord never uses co_spawn(..., detached).
inline int run_main(coord::Task<void> demo) {
  boost::asio::io_context io;
  std::optional<coord::Result<void>> outcome;
  boost::asio::co_spawn(io, std::move(demo), [&](std::exception_ptr e, coord::Result<void> r) {
    if (e) std::rethrow_exception(e);
    outcome = r;
    io.stop();  // a failed demo may leave waits behind: do not wait for them
  });
  io.run();
  if (outcome && *outcome) return 0;
  if (outcome) std::fprintf(stderr, "error: %s\n", outcome->error().message().c_str());
  return 1;
}

// Background runs op beside the calling coroutine (on executor ex);
// result() awaits its outcome.
template <typename T>
class Background {
 public:
  Background(boost::asio::any_io_executor ex, coord::Task<T> op)
      : state_(std::make_shared<State>()) {
    boost::asio::co_spawn(ex, std::move(op),
                          [s = state_](std::exception_ptr e, coord::Result<T> r) {
                            if (e) std::rethrow_exception(e);
                            s->result.emplace(std::move(r));
                            s->done.set();
                          });
  }

  // done tells whether op has finished.
  bool done() const { return state_->done.is_set(); }

  // result waits for op and returns its outcome.
  coord::Task<T> result() {
    auto waited = co_await state_->done.wait();
    if (!waited) co_return waited.error();
    co_return std::move(*state_->result);
  }

 private:
  struct State {
    coord::AsyncEvent done;
    std::optional<coord::Result<T>> result;
  };
  std::shared_ptr<State> state_;
};

}  // namespace examples
