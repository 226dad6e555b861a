// lock_test_util.h: helpers for the lock, election and semaphore suites:
// start a coroutine in the background and look at its outcome later, pause
// for real time (so an etcd round trip can happen), wait for a condition.
// Test code only: it may use the wall clock; library code never does.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "api/client.h"
#include "recipes/session.h"

// CO_ASSERT_TRUE is ASSERT_TRUE for coroutine bodies (gtest's ASSERT_*
// `return`, which a coroutine cannot): on failure it records a fatal
// failure and co_returns. Stream a message after it as after ASSERT_TRUE.
#define CO_ASSERT_TRUE(cond)                                                           \
  switch (0)                                                                           \
  case 0:                                                                              \
  default:                                                                             \
    if (cond)                                                                          \
      ;                                                                                \
    else                                                                               \
      co_return ::testing::internal::AssertHelper(::testing::TestPartResult::kFatalFailure, \
                                                  __FILE__, __LINE__, "Failed: " #cond) = \
          ::testing::Message()

namespace coord::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Pending is the outcome of a coroutine started with start().
template <typename T>
struct Pending {
  std::optional<Result<T>> result;
  asio::cancellation_signal cancel_signal;
  bool done() const { return result.has_value(); }
  // cancel cancels the coroutine (terminal per-operation cancellation).
  void cancel() { cancel_signal.emit(asio::cancellation_type::terminal); }
};

// start runs op in the background on the current executor.
template <typename T>
asio::awaitable<std::shared_ptr<Pending<T>>> start(asio::awaitable<Result<T>> op) {
  auto p = std::make_shared<Pending<T>>();
  auto ex = co_await asio::this_coro::executor;
  asio::co_spawn(ex, std::move(op),
                 asio::bind_cancellation_slot(p->cancel_signal.slot(),
                                              [p](std::exception_ptr e, Result<T> r) {
                                                if (e) std::rethrow_exception(e);
                                                p->result = std::move(r);
                                              }));
  co_return p;
}

// pause lets real time pass (other coroutines and the backend run).
inline asio::awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

// eventually waits until pred() holds, at most `budget` of real time.
inline asio::awaitable<bool> eventually(std::function<bool()> pred,
                                        std::chrono::milliseconds budget = 10s) {
  const auto give_up = std::chrono::steady_clock::now() + budget;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > give_up) co_return false;
    co_await pause(2ms);
  }
  co_return true;
}

// new_session opens a session of ttl seconds (fails the test on error).
inline asio::awaitable<std::shared_ptr<Session>> new_session(Client& client,
                                                            std::int64_t ttl = 5) {
  SessionOptions o;
  o.ttl_seconds = ttl;
  auto s = co_await Session::create(client, o);
  EXPECT_TRUE(s.has_value()) << s.error().message();
  if (!s) throw std::runtime_error("session: " + s.error().message());
  co_return *s;
}

// exists tells whether key exists (fails the test on a read error).
inline asio::awaitable<bool> exists(Client& client, std::string key) {
  auto g = co_await client.get(std::move(key));
  EXPECT_TRUE(g.has_value());
  co_return g && g->has_value();
}

// wait_exists waits (real time, at most budget) until key exists.
inline asio::awaitable<bool> wait_exists(Client& client, std::string key,
                                         std::chrono::milliseconds budget = 10s) {
  const auto give_up = std::chrono::steady_clock::now() + budget;
  for (;;) {
    if (co_await exists(client, key)) co_return true;
    if (std::chrono::steady_clock::now() > give_up) co_return false;
    co_await pause(2ms);
  }
}

// count_under counts the keys under prefix.
inline asio::awaitable<std::size_t> count_under(Client& client, std::string prefix) {
  auto r = co_await client.range(RangeRequest::prefix(std::move(prefix)));
  EXPECT_TRUE(r.has_value());
  co_return r ? r->kvs.size() : 0;
}

// wait_count waits (real time, at most budget) until exactly n keys exist
// under prefix.
inline asio::awaitable<bool> wait_count(Client& client, std::string prefix, std::size_t n,
                                        std::chrono::milliseconds budget = 10s) {
  const auto give_up = std::chrono::steady_clock::now() + budget;
  for (;;) {
    if (co_await count_under(client, prefix) == n) co_return true;
    if (std::chrono::steady_clock::now() > give_up) co_return false;
    co_await pause(2ms);
  }
}

// failed_with tells whether a finished Pending failed with e.
template <typename T>
bool failed_with(const Pending<T>& p, Errc e) {
  return p.done() && !p.result->has_value() && is_errc(p.result->error(), e);
}

}  // namespace coord::test
