// election_example: coord::Election and coord::ElectionObserver in both
// styles, on an in-memory store.
//
// Coroutines: host-a campaigns for "svc/leader" and wins; host-b queues
// behind it; an observer sees every leader and proclamation; the leader
// writes through guarded_txn; when host-a resigns host-b leads, and host-a's
// proclaim is refused with kNotLeader.
// Blocking: campaign, observe, resign from a plain thread.
// Usage: election_example   (exit status 0 when all of it happened)
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "api/blocking.h"
#include "backends/embedded/embedded.h"
#include "examples/example_coroutine.h"
#include "recipes/blocking/election.h"
#include "recipes/election.h"
#include "recipes/session.h"

using namespace std::chrono_literals;

namespace {

// next_leader prints and returns the observer's next leader's proposal.
coord::Task<std::string> next_leader(coord::ElectionObserver& observer) {
  auto kv = co_await observer.next();
  if (!kv) co_return kv.error();
  std::printf("observer: leader %s (term %lld)\n", kv->value.c_str(),
              static_cast<long long>(kv->create_revision));
  co_return kv->value;
}

coord::Task<void> demo(coord::Client& kv) {
  auto ex = co_await boost::asio::this_coro::executor;
  auto a = co_await coord::Session::create(kv);
  if (!a) co_return a.error();
  auto b = co_await coord::Session::create(kv);
  if (!b) co_return b.error();
  coord::Election host_a(*a, "svc/leader");
  coord::Election host_b(*b, "svc/leader");
  coord::ElectionObserver observer = host_a.observe();

  // campaign returns the fencing token: the create_revision of a's key.
  auto term = co_await host_a.campaign("host-a");
  if (!term) co_return term.error();
  std::printf("host-a leads %s, term %lld\n", host_a.key().c_str(),
              static_cast<long long>(*term));
  auto seen = co_await next_leader(observer);
  if (!seen || *seen != "host-a") co_return examples::fail("the observer must see host-a");

  // host-b campaigns too: it waits behind host-a.
  examples::Background<coord::Revision> b_campaign(ex, host_b.campaign("host-b"));
  (void)co_await kv.clock().sleep_for(20ms);
  if (b_campaign.done()) co_return examples::fail("host-b must wait while host-a leads");

  // The leader changes its value without a new election, and writes
  // only while it still leads.
  auto proclaimed = co_await host_a.proclaim("host-a:v2");
  if (!proclaimed) co_return proclaimed.error();
  seen = co_await next_leader(observer);
  if (!seen || *seen != "host-a:v2") co_return examples::fail("the observer must see the proclamation");
  coord::TxnRequest config;
  config.success.push_back(coord::Op::put("svc/config", "written by host-a"));
  auto wrote = co_await host_a.guarded_txn(std::move(config));
  if (!wrote) co_return wrote.error();

  // Anyone can read the current leader.
  auto leader = co_await host_b.leader();
  if (!leader) co_return leader.error();
  std::printf("leader(): %s\n", leader->value.c_str());

  auto resigned = co_await host_a.resign();
  if (!resigned) co_return resigned.error();
  auto b_term = co_await b_campaign.result();
  if (!b_term) co_return b_term.error();
  seen = co_await next_leader(observer);
  if (!seen || *seen != "host-b") co_return examples::fail("the observer must see host-b");

  auto late = co_await host_a.proclaim("host-a:v3");
  if (late || !coord::is_errc(late.error(), coord::Errc::kNotLeader)) {
    co_return examples::fail("a resigned leader's proclaim must fail with kNotLeader");
  }
  std::printf("host-a resigned; host-b leads (term %lld); host-a's proclaim: %s\n",
              static_cast<long long>(*b_term), late.error().message().c_str());

  auto done = co_await host_b.resign();
  if (!done) co_return done.error();
  (void)co_await (*a)->close();
  auto closed = co_await (*b)->close();
  if (!closed) co_return closed.error();
  co_return coord::Result<void>{};
}

// blocking_demo: the same election from a plain thread.
int blocking_demo(std::shared_ptr<coord::Client> kv) {
  coord::blocking::Client client(kv);
  auto session = coord::blocking::Session::create(client);
  if (!session) return 1;
  coord::blocking::Election election(**session, "svc/leader");
  auto term = election.campaign("host-c", {.timeout = 5s});
  if (!term) return 1;
  auto observer = election.observe();
  auto leader = observer.next({.timeout = 1s});
  if (!leader || leader->value != "host-c") return 1;
  std::printf("blocking: host-c leads, term %lld\n", static_cast<long long>(*term));
  if (!election.resign() || !(*session)->close()) return 1;
  return 0;
}

}  // namespace

int main() {
  auto kv = coord::embedded::open_memory();
  if (int rc = examples::run_main(demo(*kv)); rc != 0) return rc;
  return blocking_demo(kv);
}
