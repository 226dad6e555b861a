// failover_test.cc: a 3-member cluster loses the member the client is
// attached to (kill -9) while watches and keep-alives are active and
// writes continue. Every watch must deliver every event exactly once and
// in order, the leases must stay alive, and the member comes back.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <map>

#include "api/deadline.h"
#include "backends/etcd/etcd_client.h"
#include "tests/support/etcd_process.h"

namespace coord::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr int kWatches = 3;
constexpr int kWrites = 120;
constexpr int kKillAt = 40;
const std::string kEnd = "f/~end";

using Seen = std::vector<std::pair<std::string, Revision>>;

asio::awaitable<void> consume(Client& kv, WatchStream& w, Seen& seen, ErrorCode& error) {
  for (;;) {
    auto r = co_await with_timeout(kv.clock(), 30s, w.next());
    if (!r) {
      error = r.error();
      co_return;
    }
    for (const auto& e : r->events) {
      seen.emplace_back(e.kv.key, e.kv.mod_revision);
      if (e.kv.key == kEnd) co_return;
    }
  }
}

asio::awaitable<void> renew(KeepAliveStream& ka, int& renewals, ErrorCode& error) {
  for (;;) {
    auto r = co_await ka.next();
    if (!r) {
      error = r.error();
      co_return;
    }
    ++renewals;
  }
}

TEST(EtcdFailoverTest, KillAttachedMemberUnderLoad) {
  auto etcd = EtcdCluster::start({.members = 3});
  auto connected = etcd::connect(etcd->options());
  ASSERT_TRUE(connected) << connected.error().message();
  Client& kv = **connected;
  asio::io_context io;

  std::vector<std::unique_ptr<WatchStream>> watches;
  std::vector<std::unique_ptr<KeepAliveStream>> keep_alives;
  std::vector<LeaseId> leases;
  Revision start = 0;
  auto setup = [&]() -> asio::awaitable<void> {
    auto h = co_await kv.put("f/start", "");
    EXPECT_TRUE(h);
    start = h->header.revision + 1;
    for (int i = 0; i < kWatches; ++i) {
      auto w = co_await kv.watch(WatchRequest::prefix("f/", start));
      EXPECT_TRUE(w);
      watches.push_back(std::move(*w));
    }
    for (int i = 0; i < 2; ++i) {
      auto g = co_await kv.lease_grant(6);
      EXPECT_TRUE(g);
      leases.push_back(g->id);
      EXPECT_TRUE(co_await kv.put("lease/" + std::to_string(i), "", g->id));
      auto ka = co_await kv.lease_keep_alive(g->id);
      EXPECT_TRUE(ka);
      keep_alives.push_back(std::move(*ka));
    }
  };
  asio::co_spawn(io, setup(), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  io.run();
  io.restart();
  ASSERT_EQ(watches.size(), static_cast<std::size_t>(kWatches));

  std::vector<Seen> seen(kWatches);
  std::vector<ErrorCode> watch_errors(kWatches);
  std::vector<int> renewals(2, 0);
  std::vector<ErrorCode> ka_errors(2);
  std::map<std::string, Revision> acked;  // writes known to have applied
  int indeterminate = 0, failed = 0;
  auto writer = [&]() -> asio::awaitable<void> {
    for (int i = 0; i <= kWrites; ++i) {
      if (i == kKillAt) etcd->kill(0);  // the member the client is attached to
      const std::string key = i == kWrites ? kEnd : "f/" + std::to_string(1000 + i);
      auto r = co_await kv.put(key, std::to_string(i));
      if (r) {
        acked[key] = r->header.revision;
      } else if (is_errc(r.error(), Errc::kIndeterminate)) {
        ++indeterminate;
      } else {
        ++failed;
      }
      if (i == kWrites && !r) --i;  // the end marker must land
      (void)co_await kv.clock().sleep_for(20ms);
    }
    for (auto& ka : keep_alives) ka->cancel();
  };
  int done = 0;
  auto count = [&](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
    ++done;
  };
  for (int i = 0; i < kWatches; ++i) {
    asio::co_spawn(io, consume(kv, *watches[i], seen[i], watch_errors[i]), count);
  }
  for (int i = 0; i < 2; ++i) {
    asio::co_spawn(io, renew(*keep_alives[i], renewals[i], ka_errors[i]), count);
  }
  asio::co_spawn(io, writer(), count);
  io.run_for(90s);
  ASSERT_EQ(done, kWatches + 3) << "workload did not finish";

  // Every watch saw exactly the keys in the final state, in revision order.
  auto verify = [&]() -> asio::awaitable<void> {
    auto all = co_await kv.range(RangeRequest::prefix("f/"));
    EXPECT_TRUE(all);
    Seen expected;
    for (const auto& k : all->kvs) {
      if (k.mod_revision >= start) expected.emplace_back(k.key, k.mod_revision);
    }
    std::sort(expected.begin(), expected.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    for (int i = 0; i < kWatches; ++i) {
      EXPECT_FALSE(watch_errors[i]) << watch_errors[i].message();
      EXPECT_EQ(seen[i], expected) << "watch " << i;
    }
    for (const auto& [key, rev] : acked) {
      auto it = std::find_if(expected.begin(), expected.end(),
                             [&](const auto& e) { return e.first == key; });
      EXPECT_TRUE(it != expected.end() && it->second == rev) << key;
    }
    for (int i = 0; i < 2; ++i) {
      EXPECT_TRUE(is_errc(ka_errors[i], Errc::kCancelled)) << ka_errors[i].message();
      auto ttl = co_await kv.lease_time_to_live(leases[i]);
      EXPECT_TRUE(ttl && ttl->ttl > 0) << "lease " << i << " lost";
      auto k = co_await kv.get("lease/" + std::to_string(i));
      EXPECT_TRUE(k && k->has_value());
    }
  };
  asio::co_spawn(io, verify(), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  io.restart();
  io.run_for(30s);
  RecordProperty("indeterminate_writes", indeterminate);
  std::printf("acked=%zu indeterminate=%d failed=%d renewals=%d,%d\n", acked.size(),
              indeterminate, failed, renewals[0], renewals[1]);
  EXPECT_EQ(failed, 0);
  EXPECT_GE(acked.size(), static_cast<std::size_t>(kWrites - 10));

  // The killed member comes back and serves the same data.
  etcd->restart(0);
  etcd::Options only0;
  only0.endpoints = {etcd->endpoint(0)};
  auto c0 = etcd::connect(only0);
  ASSERT_TRUE(c0) << c0.error().message();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto r = co_await (*c0)->get(kEnd);
        EXPECT_TRUE(r && r->has_value());
      },
      [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  io.restart();
  io.run_for(30s);
}

}  // namespace
}  // namespace coord::test
