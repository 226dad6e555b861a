// coroutine_queue_example: coord::Queue with coroutines, on an in-memory
// store (examples/queue_example.cc is the blocking, interactive twin).
//
// A consumer waits on the empty queue "jobs" until a producer enqueues;
// items come out in enqueue order; the queue "jobs2" never feeds "jobs";
// a dequeue bounded by with_timeout ends with kDeadlineExceeded.
// Usage: coroutine_queue_example   (exit status 0 when all of it happened)
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "api/deadline.h"
#include "backends/embedded/embedded.h"
#include "examples/example_coroutine.h"
#include "recipes/queue.h"

using namespace std::chrono_literals;

namespace {

coord::Task<void> demo(coord::Client& kv) {
  auto ex = co_await boost::asio::this_coro::executor;
  coord::Queue jobs(kv, "jobs");

  // A consumer on the empty queue waits (one range, then a watch).
  examples::Background<std::string> consumer(ex, jobs.dequeue());
  (void)co_await kv.clock().sleep_for(20ms);
  if (consumer.done()) co_return examples::fail("dequeue must wait on an empty queue");

  // A producer enqueues: one round trip per item.
  const std::vector<std::string> items{"a", "b", "c"};
  for (const auto& item : items) {
    auto r = co_await jobs.enqueue(item);
    if (!r) co_return r.error();
  }
  auto first = co_await consumer.result();
  if (!first) co_return first.error();
  std::printf("the waiting consumer got %s\n", first->c_str());

  // "jobs2" is another queue: its items never reach "jobs".
  coord::Queue other(kv, "jobs2");
  auto x = co_await other.enqueue("x");
  if (!x) co_return x.error();

  std::string rest;
  for (int i = 0; i < 2; ++i) {
    auto v = co_await jobs.dequeue();
    if (!v) co_return v.error();
    rest += *v;
  }
  if (*first != "a" || rest != "bc") co_return examples::fail("items must come out in order");
  std::printf("then %s, in enqueue order\n", rest.c_str());

  // Bound the wait on an empty queue: nothing is taken.
  auto empty = co_await coord::with_timeout(kv.clock(), 50ms, jobs.dequeue());
  if (empty || !coord::is_errc(empty.error(), coord::Errc::kDeadlineExceeded)) {
    co_return examples::fail("a bounded dequeue on an empty queue must time out");
  }
  std::printf("empty jobs within 50 ms: %s\n", empty.error().message().c_str());

  auto y = co_await other.dequeue();
  if (!y || *y != "x") co_return examples::fail("jobs2 must still hold its item");
  co_return coord::Result<void>{};
}

}  // namespace

int main() {
  auto kv = coord::embedded::open_memory();
  return examples::run_main(demo(*kv));
}
