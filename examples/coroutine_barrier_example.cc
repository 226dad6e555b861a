// coroutine_barrier_example: coord::Barrier with coroutines, on an
// in-memory store (examples/barrier_example.cc is the blocking,
// interactive twin).
//
// hold raises the barrier "deploy" (a second hold is kKeyExists); a waiter
// blocks until release; a bounded wait ends with kDeadlineExceeded.
// Usage: coroutine_barrier_example   (exit status 0 when all of it happened)
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <cstdio>

#include "api/deadline.h"
#include "backends/embedded/embedded.h"
#include "examples/example_coroutine.h"
#include "recipes/barrier.h"

using namespace std::chrono_literals;

namespace {

coord::Task<void> demo(coord::Client& kv) {
  auto ex = co_await boost::asio::this_coro::executor;
  coord::Barrier gate(kv, "deploy");
  auto held = co_await gate.hold();
  if (!held) co_return held.error();
  auto twice = co_await gate.hold();
  if (twice || !coord::is_errc(twice.error(), coord::Errc::kKeyExists)) {
    co_return examples::fail("a second hold must fail with kKeyExists");
  }
  std::printf("deploy held; a second hold: %s\n", twice.error().message().c_str());

  // Another party waits for the barrier (one range, then one watch).
  coord::Barrier seen(kv, "deploy");
  examples::Background<void> waiter(ex, seen.wait());
  auto bounded = co_await coord::with_timeout(kv.clock(), 50ms, gate.wait());
  if (bounded || !coord::is_errc(bounded.error(), coord::Errc::kDeadlineExceeded)) {
    co_return examples::fail("a bounded wait on a held barrier must time out");
  }
  if (waiter.done()) co_return examples::fail("wait must block while the barrier is held");
  std::printf("a wait bounded by 50 ms: %s\n", bounded.error().message().c_str());

  auto released = co_await gate.release();
  if (!released) co_return released.error();
  auto passed = co_await waiter.result();
  if (!passed) co_return passed.error();
  std::printf("released: the waiter passed\n");

  // Releasing a barrier that is not held succeeds; so does waiting on it.
  auto again = co_await gate.release();
  if (!again) co_return again.error();
  auto open = co_await gate.wait();
  if (!open) co_return open.error();
  co_return coord::Result<void>{};
}

}  // namespace

int main() {
  auto kv = coord::embedded::open_memory();
  return examples::run_main(demo(*kv));
}
