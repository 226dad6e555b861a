// auth_test.cc: etcd user/password authentication: root plus a user whose
// role covers one prefix. Outside it every range, put, txn and watch fails
// with kPermissionDenied; a wrong password fails once with kAuthFailed; an
// expired token is refreshed transparently.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

#include "backends/etcd/etcd_client.h"
#include "tests/support/etcd_process.h"

namespace coord::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

class EtcdAuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EtcdConfig cfg;
    cfg.extra_args = {"--auth-token-ttl=2"};
    etcd_ = EtcdCluster::start(cfg).release();
    for (const auto& cmd : std::vector<std::vector<std::string>>{
             {"user", "add", "root:rootpw"},
             {"role", "add", "limited"},
             {"role", "grant-permission", "limited", "--prefix=true", "readwrite", "allowed/"},
             {"user", "add", "alice:alicepw"},
             {"user", "grant-role", "alice", "limited"},
             {"auth", "enable"}}) {
      ASSERT_EQ(etcd_->etcdctl(cmd), 0) << cmd[0] << " " << cmd[1];
    }
  }
  static void TearDownTestSuite() { delete etcd_; }

  static etcd::Options as(std::string user, std::string password) {
    etcd::Options o = etcd_->options();
    o.user = std::move(user);
    o.password = std::move(password);
    return o;
  }
  static void run(std::function<asio::awaitable<void>()> body) {
    asio::io_context io;
    asio::co_spawn(io, body(), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
    io.run_for(30s);
  }
  static EtcdCluster* etcd_;
};
EtcdCluster* EtcdAuthTest::etcd_ = nullptr;

bool denied(const ErrorCode& ec) { return is_errc(ec, Errc::kPermissionDenied); }

TEST_F(EtcdAuthTest, UserIsConfinedToItsPrefix) {
  auto alice = etcd::connect(as("alice", "alicepw"));
  ASSERT_TRUE(alice) << alice.error().message();
  Client& kv = **alice;
  run([&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await kv.put("allowed/x", "1"));
    EXPECT_TRUE(co_await kv.get("allowed/x"));
    auto r = co_await kv.range(RangeRequest::single("secret/x"));
    EXPECT_TRUE(!r && denied(r.error()));
    auto p = co_await kv.put("secret/x", "1");
    EXPECT_TRUE(!p && denied(p.error()));
    TxnRequest t;
    t.success.push_back(Op::put("secret/y", "1"));
    auto x = co_await kv.txn(t);
    EXPECT_TRUE(!x && denied(x.error()));
    auto w = co_await kv.watch(WatchRequest::prefix("secret/"));
    EXPECT_TRUE(!w && denied(w.error())) << (w ? "watch created" : w.error().message());
    auto ok = co_await kv.watch(WatchRequest::prefix("allowed/"));
    EXPECT_TRUE(ok);
  });
}

TEST_F(EtcdAuthTest, RootSeesEverything) {
  auto root = etcd::connect(as("root", "rootpw"));
  ASSERT_TRUE(root) << root.error().message();
  run([&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await (*root)->put("secret/x", "1"));
    EXPECT_TRUE(co_await (*root)->get("allowed/x"));
  });
}

TEST_F(EtcdAuthTest, WrongPasswordFailsOnceAndPromptly) {
  const auto t0 = std::chrono::steady_clock::now();
  auto c = etcd::connect(as("alice", "wrong"));
  ASSERT_FALSE(c);
  EXPECT_TRUE(is_errc(c.error(), Errc::kAuthFailed)) << c.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
}

TEST_F(EtcdAuthTest, NoCredentialsIsRejected) {
  auto anon = etcd::connect(etcd_->options());
  ASSERT_TRUE(anon);  // Status needs no credentials
  run([&]() -> asio::awaitable<void> {
    auto r = co_await (*anon)->get("allowed/x");
    EXPECT_FALSE(r);
    if (!r) EXPECT_TRUE(denied(r.error()) || is_errc(r.error(), Errc::kUnauthenticated))
        << r.error().message();
  });
}

TEST_F(EtcdAuthTest, ExpiredTokenIsRefreshed) {
  auto alice = etcd::connect(as("alice", "alicepw"));
  ASSERT_TRUE(alice);
  std::this_thread::sleep_for(3500ms);  // --auth-token-ttl=2
  run([&]() -> asio::awaitable<void> {
    auto r = co_await (*alice)->put("allowed/after-expiry", "1");
    EXPECT_TRUE(r) << r.error().message();
  });
}

}  // namespace
}  // namespace coord::test
