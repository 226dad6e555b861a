// indeterminate_test.cc: a proxy forwards a request to etcd and drops the
// response. A write must come back kIndeterminate and be applied exactly
// once (never retried by the client); a read is simply retried.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "backends/etcd/etcd_client.h"
#include "tests/backends/etcd/tcp_proxy.h"
#include "tests/support/etcd_process.h"

namespace coord::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

class EtcdIndeterminateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    etcd_ = EtcdCluster::start({});
    proxy_ = std::make_unique<TcpProxy>(etcd_->client_port(0));
    etcd::Options o;
    o.endpoints = {"127.0.0.1:" + std::to_string(proxy_->port())};
    o.request_timeout = 3s;
    auto c = etcd::connect(o);
    ASSERT_TRUE(c) << c.error().message();
    via_proxy_ = *c;
    auto d = etcd::connect(etcd_->options());
    ASSERT_TRUE(d) << d.error().message();
    direct_ = *d;
  }
  void run(std::function<asio::awaitable<void>()> body) {
    asio::io_context io;
    bool done = false;
    asio::co_spawn(io, body(), [&](std::exception_ptr e) {
      done = true;
      if (e) std::rethrow_exception(e);
    });
    io.run_for(30s);
    ASSERT_TRUE(done);
  }

  std::unique_ptr<EtcdCluster> etcd_;
  std::unique_ptr<TcpProxy> proxy_;
  std::shared_ptr<Client> via_proxy_;
  std::shared_ptr<Client> direct_;
};

TEST_F(EtcdIndeterminateTest, LostPutResponseIsIndeterminateAndAppliedOnce) {
  run([&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await via_proxy_->put("warm", "up"));
    proxy_->drop_next_response();
    auto r = co_await via_proxy_->put("k", "v");
    EXPECT_EQ(proxy_->dropped(), 1);
    EXPECT_FALSE(r);
    if (r) co_return;
    EXPECT_TRUE(is_errc(r.error(), Errc::kIndeterminate)) << r.error().message();
    auto got = co_await direct_->get("k");
    EXPECT_TRUE(got && got->has_value());
    if (got && *got) EXPECT_EQ((*got)->version, 1) << "the write was applied twice";
    // The client recovers: the next call reconnects through the proxy.
    EXPECT_TRUE(co_await via_proxy_->put("after", "x"));
    got = co_await direct_->get("k");
    if (got && *got) EXPECT_EQ((*got)->version, 1);
  });
}

TEST_F(EtcdIndeterminateTest, LostTxnResponseIsIndeterminate) {
  run([&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await via_proxy_->put("counter", "0"));
    proxy_->drop_next_response();
    TxnRequest t;
    t.compare.push_back(Compare::value("counter") == "0");
    t.success.push_back(Op::put("counter", "1"));
    auto r = co_await via_proxy_->txn(t);
    EXPECT_TRUE(!r && is_errc(r.error(), Errc::kIndeterminate));
    auto got = co_await direct_->get("counter");
    if (got && *got) EXPECT_EQ((*got)->version, 2);
  });
}

TEST_F(EtcdIndeterminateTest, LostReadResponseIsRetried) {
  run([&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await direct_->put("r", "v"));
    EXPECT_TRUE(co_await via_proxy_->get("r"));
    proxy_->drop_next_response();
    auto got = co_await via_proxy_->get("r");
    EXPECT_EQ(proxy_->dropped(), 1);
    EXPECT_TRUE(got && got->has_value()) << (got ? "" : got.error().message());
  });
}

}  // namespace
}  // namespace coord::test
