// double_barrier_example: coord::DoubleBarrier in both styles, on an
// in-memory store.
//
// Coroutines: three participants (one session each) enter "batch" for a
// count of 3: nobody is through enter before the third arrives; a fourth is
// refused with kTooManyClients; then all three leave together and the
// barrier's keys are gone. Blocking: two threads meet on a count of 2.
// Usage: double_barrier_example   (exit status 0 when all of it happened)
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "api/blocking.h"
#include "api/event.h"
#include "backends/embedded/embedded.h"
#include "examples/example_coroutine.h"
#include "recipes/blocking/barrier.h"
#include "recipes/double_barrier.h"
#include "recipes/session.h"

using namespace std::chrono_literals;

namespace {

constexpr int kCount = 3;

// Meeting is what the participants share in this process.
struct Meeting {
  int entered = 0;
  coord::AsyncEvent all_in;  // set by the last to get through enter
  coord::AsyncEvent go;      // set by main: time to leave
};

// participant enters the barrier, waits for the signal, then leaves.
coord::Task<void> participant(coord::Session& session, Meeting& m) {
  coord::DoubleBarrier batch(session, "batch", kCount);
  auto in = co_await batch.enter();
  if (!in) co_return in.error();
  if (++m.entered == kCount) m.all_in.set();
  auto go = co_await m.go.wait();
  if (!go) co_return go.error();
  co_return co_await batch.leave();
}

coord::Task<void> demo(coord::Client& kv) {
  auto ex = co_await boost::asio::this_coro::executor;
  std::vector<std::shared_ptr<coord::Session>> sessions;
  for (int i = 0; i < kCount + 1; ++i) {
    auto s = co_await coord::Session::create(kv);
    if (!s) co_return s.error();
    sessions.push_back(*s);
  }
  Meeting m;
  examples::Background<void> p0(ex, participant(*sessions[0], m));
  examples::Background<void> p1(ex, participant(*sessions[1], m));
  (void)co_await kv.clock().sleep_for(20ms);
  if (m.entered != 0) co_return examples::fail("enter must wait for all participants");
  std::printf("2 of %d participants wait in enter\n", kCount);

  examples::Background<void> p2(ex, participant(*sessions[2], m));
  auto all = co_await m.all_in.wait();
  if (!all) co_return all.error();
  std::printf("the third arrived: all %d are through enter\n", kCount);

  // The barrier admits exactly `count`: a fourth is refused, its key removed.
  coord::DoubleBarrier late(*sessions[3], "batch", kCount);
  auto refused = co_await late.enter();
  if (refused || !coord::is_errc(refused.error(), coord::Errc::kTooManyClients)) {
    co_return examples::fail("a fourth participant must get kTooManyClients");
  }
  std::printf("a fourth participant: %s\n", refused.error().message().c_str());

  m.go.set();
  examples::Background<void>* participants[] = {&p0, &p1, &p2};
  for (auto* p : participants) {
    auto left = co_await p->result();
    if (!left) co_return left.error();
  }
  auto keys = co_await kv.range(coord::RangeRequest::prefix("batch/"));
  if (!keys) co_return keys.error();
  if (!keys->kvs.empty()) co_return examples::fail("leave must remove the barrier's keys");
  std::printf("all %d left; no key under batch/ remains\n", kCount);

  for (auto& s : sessions) {
    auto closed = co_await s->close();
    if (!closed) co_return closed.error();
  }
  co_return coord::Result<void>{};
}

// blocking_demo: two threads, one session each, meet on a count of 2.
int blocking_demo(std::shared_ptr<coord::Client> kv) {
  coord::blocking::Client client(kv);
  auto s1 = coord::blocking::Session::create(client);
  auto s2 = coord::blocking::Session::create(client);
  if (!s1 || !s2) return 1;
  coord::Result<void> r1, r2;
  auto meet = [](coord::blocking::Session& s, coord::Result<void>& out) {
    coord::blocking::DoubleBarrier b(s, "blocking-batch", 2);
    out = b.enter({.timeout = 5s});  // returns once both entered
    if (out) out = b.leave({.timeout = 5s});
  };
  std::thread t1(meet, std::ref(**s1), std::ref(r1));
  std::thread t2(meet, std::ref(**s2), std::ref(r2));
  t1.join();
  t2.join();
  if (!r1 || !r2) return 1;
  std::printf("blocking: two threads entered and left together\n");
  if (!(*s1)->close() || !(*s2)->close()) return 1;
  return 0;
}

}  // namespace

int main() {
  auto kv = coord::embedded::open_memory();
  if (int rc = examples::run_main(demo(*kv)); rc != 0) return rc;
  return blocking_demo(kv);
}
