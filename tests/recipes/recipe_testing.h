// recipe_testing.h: helpers for the recipe suites (time passing that works
// on a ManualClock and on a real etcd, background coroutines).
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <optional>

#include "tests/support/harness.h"

namespace coord::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// yield lets every ready handler of the executor run.
inline asio::awaitable<void> yield(int times = 1) {
  for (int i = 0; i < times; ++i) {
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
  }
}

// real_wait lets real time pass without blocking the executor (the disk
// store completes on its own threads). Test code only: recipes never read
// the wall clock.
inline asio::awaitable<void> real_wait(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

// Pending is the outcome of a coroutine started in the background.
template <typename T>
struct Pending {
  std::optional<Result<T>> result;
  bool done() const { return result.has_value(); }
};

// RecipeTest adds time and background helpers to BackendTest.
class RecipeTest : public BackendTest {
 protected:
  // pass_time lets d pass: small ManualClock steps with the io running in
  // between (keep-alives fire), or a real sleep on the backend clock.
  asio::awaitable<void> pass_time(Duration d) {
    if (!harness().manual_time()) {
      auto r = co_await client().clock().sleep_for(d);
      (void)r;
      co_return;
    }
    const Duration step = 100ms;
    for (Duration done{0}; done < d; done += step) {
      harness().advance(step);
      co_await yield(50);
    }
  }

  // eventually passes time in 100 ms steps until pred holds or budget ran
  // out; returns pred(). On a ManualClock each step also gives the store up
  // to ~20 ms of real time before the clock moves.
  asio::awaitable<bool> eventually(std::function<bool()> pred, Duration budget = 10s) {
    for (Duration waited{0}; waited < budget && !pred(); waited += 100ms) {
      if (harness().manual_time()) {
        for (int i = 0; i < 20 && !pred(); ++i) {
          co_await yield(20);
          if (!pred()) co_await real_wait(1ms);
        }
      }
      if (pred()) break;
      co_await pass_time(100ms);
    }
    co_return pred();
  }

  // settle lets background coroutines reach their waits: ready handlers
  // and ~100 ms of real time (no time passes on a ManualClock).
  asio::awaitable<void> settle() {
    if (harness().manual_time()) {
      for (int i = 0; i < 50; ++i) {
        co_await yield(20);
        co_await real_wait(2ms);
      }
    } else {
      co_await pass_time(200ms);
    }
  }

  // start runs op in the background on io(); exceptions fail loudly.
  template <typename T>
  std::shared_ptr<Pending<T>> start(asio::awaitable<Result<T>> op) {
    auto p = std::make_shared<Pending<T>>();
    asio::co_spawn(io(), std::move(op), [p](std::exception_ptr e, Result<T> r) {
      if (e) std::rethrow_exception(e);
      p->result.emplace(std::move(r));
    });
    return p;
  }
};

}  // namespace coord::test
