// The same scripted workload, run twice on a ManualClock and one
// single-threaded io_context, gives the same history: revisions, events,
// lease ids and expiries.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <random>
#include <set>
#include <sstream>

#include "api/manual_clock.h"
#include "api/txn.h"
#include "backends/embedded/embedded.h"
#include "tests/backends/embedded/test_util.h"

namespace coord::test {
namespace {

namespace asio = boost::asio;
using embedded::Options;

struct History {
  std::string text;
  int expiry_deletes = 0;  // DELETE events no explicit op caused
};

asio::awaitable<void> log_events(WatchStream& w, std::ostringstream& log,
                                 std::vector<Revision>& delete_revs) {
  for (;;) {
    auto r = co_await w.next();
    if (!r) {
      log << "watch end " << r.error().message() << "\n";
      co_return;
    }
    for (const auto& e : r->events) {
      const bool del = e.type == Event::Type::kDelete;
      log << "ev " << e.kv.mod_revision << (del ? " D " : " P ") << e.kv.key << "="
          << e.kv.value << " v" << e.kv.version << " l" << e.kv.lease << "\n";
      if (del) delete_revs.push_back(e.kv.mod_revision);
    }
  }
}

asio::awaitable<void> script(Client& kv, ManualClock& clock, std::ostringstream& log,
                             std::set<Revision>& explicit_deletes) {
  std::mt19937_64 rng(7);
  std::vector<LeaseId> leases;
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  for (int step = 0; step < 400; ++step) {
    const std::string key = "k" + std::to_string(pick(12));
    switch (pick(6)) {
      case 0: {
        auto g = co_await kv.lease_grant(2 + pick(4));
        if (g) leases.push_back(g->id);
        log << "grant " << (g ? std::to_string(g->id) + " ttl " + std::to_string(g->ttl) : "err")
            << "\n";
        break;
      }
      case 1: {
        const LeaseId l = leases.empty() || pick(2) ? 0 : leases[pick(static_cast<int>(leases.size()))];
        auto p = co_await kv.put(key, std::to_string(step), l);
        log << "put " << key << " " << (p ? std::to_string(p->header.revision) : p.error().message()) << "\n";
        break;
      }
      case 2: {
        auto d = co_await kv.del(key);
        if (d && d->deleted > 0) explicit_deletes.insert(d->header.revision);
        log << "del " << key << " " << (d ? std::to_string(d->deleted) : "err") << "\n";
        break;
      }
      case 3: {
        TxnRequest t;
        t.compare.push_back(Compare::version(key) == std::int64_t{0});
        t.success.push_back(Op::put(key, "new"));
        t.failure.push_back(Op::get(key));
        auto r = co_await kv.txn(std::move(t));
        log << "txn " << key << " " << (r ? std::to_string(r->succeeded) + "@" + std::to_string(r->header.revision) : "err") << "\n";
        break;
      }
      case 4: {
        if (!leases.empty()) {
          auto k = co_await kv.lease_keep_alive_once(leases[pick(static_cast<int>(leases.size()))]);
          log << "keepalive " << (k ? std::to_string(k->ttl) : k.error().message()) << "\n";
        }
        break;
      }
      default:
        clock.advance(std::chrono::milliseconds(250 + pick(1000)));
        (void)co_await clock.sleep_for(Duration::zero());  // let the timer run
        log << "advance\n";
    }
  }
}

History run_once(Options::Mode mode) {
  asio::io_context io;
  ManualClock clock;
  Options o;
  o.mode = mode;
  o.clock = &clock;
  o.executor = io.get_executor();
  auto store = value(embedded::Store::open(o), "open");
  auto kv = store->client();
  std::ostringstream log;
  std::set<Revision> explicit_deletes;
  std::vector<Revision> delete_revs;
  std::unique_ptr<WatchStream> w;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    w = value(co_await kv->watch(WatchRequest::prefix("")), "watch");
    asio::co_spawn(co_await asio::this_coro::executor, log_events(*w, log, delete_revs),
                   [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
    co_await script(*kv, clock, log, explicit_deletes);
    log << "final revision " << store->revision() << "\n";
    store->close();
  }, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  io.run();
  History h;
  h.text = log.str();
  for (Revision r : delete_revs) h.expiry_deletes += explicit_deletes.count(r) ? 0 : 1;
  return h;
}

class DeterminismTest : public ::testing::TestWithParam<Options::Mode> {};

TEST_P(DeterminismTest, SameScriptTwiceGivesTheSameHistory) {
  const History first = run_once(GetParam());
  const History second = run_once(GetParam());
  EXPECT_EQ(first.text, second.text);
  EXPECT_GT(first.expiry_deletes, 0) << "the script must exercise lease expiry";
  EXPECT_NE(first.text.find("watch end closed"), std::string::npos);
  // Every step logs a line and most writes an event: the history is rich.
  EXPECT_GT(std::count(first.text.begin(), first.text.end(), '\n'), 500);
}

INSTANTIATE_TEST_SUITE_P(Modes, DeterminismTest,
                         ::testing::Values(Options::Mode::kMemory, Options::Mode::kVolatile),
                         [](const auto& info) {
                           return info.param == Options::Mode::kMemory ? "memory" : "volatile";
                         });

}  // namespace
}  // namespace coord::test
