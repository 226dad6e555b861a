// conformance.h: helpers shared by the KV conformance suite (tests/api).
//
// The conformance suite defines coord's KV contract: every case runs
// unchanged on every backend in all_backends(). These helpers keep the cases
// short:
//   - must(r, "what") returns r's value or throws, which fails the test with
//     the error (gtest ASSERT_* cannot be used inside a coroutine);
//   - EXPECT_ERRC(r, Errc::kX) checks that r failed with exactly kX;
//   - within(op) bounds an await in *real* time, only to turn a hang into a
//     test failure (never to assert how fast something is);
//   - read_events() reads a watch until n events arrived, checking that
//     revisions only grow and that no revision is split across responses.
// Thread-safety: test code; one coroutine at a time.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/client.h"
#include "tests/support/harness.h"

namespace coord::test {

namespace asio = boost::asio;
using namespace std::literals;

// kZero compares a version or revision with 0. A literal 0 would also
// convert to const char* and make Compare::Builder's operators ambiguous.
inline constexpr std::int64_t kZero = 0;

// kHangGuard bounds one await in real time; reaching it means a hang.
inline constexpr std::chrono::milliseconds kHangGuard{10000};

// must returns the value of r, or throws naming `what` and the error.
template <typename T>
T must(Result<T> r, const std::string& what) {
  if (!r) throw std::runtime_error(what + " failed: " + r.error().message());
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

#define EXPECT_ERRC(result, code)                                              \
  do {                                                                         \
    const auto& coord_r_ = (result);                                           \
    EXPECT_FALSE(coord_r_.has_value()) << "expected " #code ", got success";   \
    if (!coord_r_.has_value()) {                                               \
      EXPECT_TRUE(::coord::is_errc(coord_r_.error(), code))                    \
          << "expected " #code ", got " << coord_r_.error().message();         \
    }                                                                          \
  } while (0)

// real_sleep yields to the executor for d of real time (test code only).
inline asio::awaitable<void> real_sleep(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

// within awaits op; if it has not finished after `guard` of real time, op is
// cancelled and within throws (the operation hung).
template <typename T>
asio::awaitable<Result<T>> within(asio::awaitable<Result<T>> op,
                                  std::chrono::milliseconds guard = kHangGuard) {
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex, guard);
  auto [order, op_error, op_result, timer_error] =
      co_await asio::experimental::make_parallel_group(
          asio::co_spawn(ex, std::move(op), asio::deferred),
          timer.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  if (op_error) std::rethrow_exception(op_error);
  if (order[0] == 1 && !timer_error) {
    throw std::runtime_error("operation did not complete within the hang guard");
  }
  co_return std::move(op_result);
}

// eventually re-evaluates pred (a coroutine) every 10 ms of real time until
// it holds; throws if it never does within the hang guard.
inline asio::awaitable<void> eventually(std::function<asio::awaitable<bool>()> pred,
                                        const std::string& what) {
  const auto give_up = std::chrono::steady_clock::now() + kHangGuard;
  while (!co_await pred()) {
    if (std::chrono::steady_clock::now() > give_up) {
      throw std::runtime_error("never happened: " + what);
    }
    co_await real_sleep(10ms);
  }
}

// read_events reads responses from w until at least n events arrived and
// returns them. It skips progress notifications, and checks (EXPECT) that
// revisions never go backwards and that no revision is split across two
// responses (etcd's "atomic" guarantee). Throws if the stream fails.
inline asio::awaitable<std::vector<Event>> read_events(WatchStream& w, std::size_t n,
                                                       std::vector<WatchResponse>* responses = nullptr) {
  std::vector<Event> out;
  Revision last_rev = 0;
  while (out.size() < n) {
    auto resp = must(co_await within(w.next()), "watch next");
    if (resp.events.empty()) continue;
    EXPECT_GT(resp.events.front().kv.mod_revision, last_rev)
        << "a revision was split across responses or replayed";
    for (const auto& ev : resp.events) {
      EXPECT_GE(ev.kv.mod_revision, last_rev) << "events out of revision order";
      last_rev = ev.kv.mod_revision;
      out.push_back(ev);
    }
    if (responses) responses->push_back(std::move(resp));
  }
  co_return out;
}

// revision_of reads the store's current revision with a read that cannot
// change it.
inline asio::awaitable<Revision> revision_of(Client& kv) {
  auto r = must(co_await kv.range(RangeRequest::single("\x01probe")), "revision probe");
  co_return r.header.revision;
}

// snapshot reads every key under prefix with the read's revision.
inline asio::awaitable<RangeResponse> snapshot(Client& kv, const std::string& prefix) {
  co_return must(co_await kv.range(RangeRequest::prefix(prefix)), "snapshot " + prefix);
}

// keys_of lists the keys of kvs in order.
inline std::vector<std::string> keys_of(const std::vector<KeyValue>& kvs) {
  std::vector<std::string> out;
  for (const auto& kv : kvs) out.push_back(kv.key);
  return out;
}

// ConformanceTest is the fixture of every conformance suite.
class ConformanceTest : public BackendTest {
 protected:
  Client& kv() { return client(); }
};

}  // namespace coord::test
