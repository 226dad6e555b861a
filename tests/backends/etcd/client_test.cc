// client_test.cc: the etcd client against a real single-member etcd:
// connect errors, and what the conformance suite does not reach
// (multiplexed watches on one stream, keep-alive streams, cancellation).
#include "backends/etcd/etcd_client.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "api/deadline.h"
#include "tests/support/etcd_process.h"

namespace coord::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

template <typename F>
void run(F body) {
  asio::io_context io;
  std::exception_ptr err;
  bool done = false;
  asio::co_spawn(io, body(), [&](std::exception_ptr e) {
    err = e;
    done = true;
  });
  io.run_for(60s);
  if (err) std::rethrow_exception(err);
  ASSERT_TRUE(done) << "coroutine did not finish";
}

class EtcdClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { etcd_ = EtcdCluster::start({}).release(); }
  static void TearDownTestSuite() {
    delete etcd_;
    etcd_ = nullptr;
  }
  std::shared_ptr<Client> connect() {
    auto c = etcd::connect(etcd_->options());
    EXPECT_TRUE(c) << c.error().message();
    return c ? *c : nullptr;
  }
  static EtcdCluster* etcd_;
};
EtcdCluster* EtcdClientTest::etcd_ = nullptr;

TEST_F(EtcdClientTest, ConnectRejectsMalformedEndpoints) {
  for (std::string bad : {"", "localhost", "ftp://127.0.0.1:1", "127.0.0.1:", "127.0.0.1:x"}) {
    etcd::Options o;
    o.endpoints = {bad};
    auto c = etcd::connect(o);
    ASSERT_FALSE(c) << bad;
    EXPECT_TRUE(is_errc(c.error(), Errc::kInvalidArgument)) << bad;
  }
  EXPECT_TRUE(is_errc(etcd::connect({}).error(), Errc::kInvalidArgument));
}

TEST_F(EtcdClientTest, ConnectToNothingIsUnavailableWithinTheDialTimeout) {
  etcd::Options o;
  o.endpoints = {"127.0.0.1:" + std::to_string(free_port())};
  o.dial_timeout = 500ms;
  const auto t0 = std::chrono::steady_clock::now();
  auto c = etcd::connect(o);
  ASSERT_FALSE(c);
  EXPECT_TRUE(is_errc(c.error(), Errc::kUnavailable)) << c.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
}

TEST_F(EtcdClientTest, ConnectSkipsDeadEndpoints) {
  etcd::Options o;
  o.endpoints = {"127.0.0.1:" + std::to_string(free_port()), etcd_->endpoint(0)};
  auto c = etcd::connect(o);
  ASSERT_TRUE(c) << c.error().message();
  run([&]() -> asio::awaitable<void> {
    auto p = co_await (*c)->put("dead/k", "v");
    EXPECT_TRUE(p) << p.error().message();
  });
}

TEST_F(EtcdClientTest, ManyWatchesShareOneStreamAndEachSeesItsKeys) {
  auto kv = connect();
  run([&]() -> asio::awaitable<void> {
    std::vector<std::unique_ptr<WatchStream>> ws;
    for (int i = 0; i < 20; ++i) {
      auto w = co_await kv->watch(WatchRequest::single("multi/" + std::to_string(i)));
      EXPECT_TRUE(w);
      if (!w) co_return;
      ws.push_back(std::move(*w));
    }
    for (int i = 0; i < 20; ++i) (void)co_await kv->put("multi/" + std::to_string(i), "v");
    for (int i = 0; i < 20; ++i) {
      auto r = co_await ws[i]->next();
      EXPECT_TRUE(r);
      if (!r) co_return;
      EXPECT_EQ(r->events.size(), 1u);
      if (r->events.size() != 1) co_return;
      EXPECT_EQ(r->events[0].kv.key, "multi/" + std::to_string(i));
    }
  });
}

TEST_F(EtcdClientTest, CancelledNextLeavesTheWatchUsable) {
  auto kv = connect();
  run([&]() -> asio::awaitable<void> {
    auto w = co_await kv->watch(WatchRequest::single("cn/k"));
    EXPECT_TRUE(w);
    if (!w) co_return;
    auto r = co_await with_timeout(kv->clock(), 100ms, (*w)->next());
    EXPECT_TRUE(!r && is_errc(r.error(), Errc::kDeadlineExceeded));
    (void)co_await kv->put("cn/k", "v");
    r = co_await (*w)->next();
    EXPECT_TRUE(r && r->events.size() == 1);
    (*w)->cancel();
    r = co_await (*w)->next();
    EXPECT_TRUE(!r && is_errc(r.error(), Errc::kCancelled));
  });
}

TEST_F(EtcdClientTest, RequestProgressIsDelivered) {
  auto kv = connect();
  run([&]() -> asio::awaitable<void> {
    auto w = co_await kv->watch(WatchRequest::single("pr/k"));
    EXPECT_TRUE(w);
    if (!w) co_return;
    auto p = co_await kv->put("other", "v");
    EXPECT_TRUE(co_await (*w)->request_progress());
    auto r = co_await with_timeout(kv->clock(), 5s, (*w)->next());
    EXPECT_TRUE(r);
    if (!r) co_return;
    EXPECT_TRUE(r->progress_notify);
    EXPECT_GE(r->header.revision, p->header.revision);
  });
}

TEST_F(EtcdClientTest, KeepAliveStreamRenewsAndReportsRevoke) {
  auto kv = connect();
  run([&]() -> asio::awaitable<void> {
    auto g = co_await kv->lease_grant(3);
    EXPECT_TRUE(g);
    if (!g) co_return;
    auto ka = co_await kv->lease_keep_alive(g->id);
    EXPECT_TRUE(ka);
    if (!ka) co_return;
    for (int i = 0; i < 3; ++i) {
      auto r = co_await (*ka)->next();
      EXPECT_TRUE(r) << r.error().message();
      if (r) EXPECT_EQ(r->id, g->id);
    }
    (void)co_await kv->lease_revoke(g->id);
    auto r = co_await with_timeout(kv->clock(), 5s, (*ka)->next());
    EXPECT_TRUE(!r && is_errc(r.error(), Errc::kLeaseNotFound)) << r.error().message();
  });
}

}  // namespace
}  // namespace coord::test
