// etcdctl_interop_test.cc: coord's Mutex and Election share etcd's Go key
// layout, so `etcdctl lock` (Go's concurrency.Mutex) and coord exclude each
// other on one name, and `etcdctl elect` (Go's concurrency.Election) and
// coord see each other's leaders. Runs against a fixture etcd and Debian's
// etcdctl (the same Go recipes a Go service links).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "api/blocking.h"
#include "recipes/blocking/election.h"
#include "recipes/blocking/mutex.h"
#include "recipes/blocking/session.h"
#include "tests/support/etcd_process.h"

namespace coord::test {
namespace {

using namespace std::chrono_literals;

class EtcdctlInteropTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { etcd_ = EtcdCluster::start({}).release(); }
  static void TearDownTestSuite() { delete etcd_; }

  void SetUp() override {
    auto kv = etcd::connect(etcd_->options());
    ASSERT_TRUE(kv) << kv.error().message();
    client_ = std::make_unique<blocking::Client>(*kv);
    auto s = blocking::Session::create(*client_, {.ttl_seconds = 10});
    ASSERT_TRUE(s) << s.error().message();
    session_ = std::move(*s);
  }
  void TearDown() override {
    if (session_) (void)session_->close();
  }

  // Etcdctl runs `etcdctl --endpoints=EP ARGS` (under `timeout SECS`, so
  // the commands that hold or observe forever end by themselves) and reads
  // its output line by line.
  class Etcdctl {
   public:
    Etcdctl(const std::string& args, int secs) {
      const std::string cmd = "ETCDCTL_API=3 timeout " + std::to_string(secs) +
                              " /usr/bin/etcdctl --endpoints=" + etcd_->endpoint(0) + " " +
                              args + " 2>&1";
      p_ = ::popen(cmd.c_str(), "r");
    }
    ~Etcdctl() {
      if (p_) (void)::pclose(p_);
    }
    bool started() const { return p_ != nullptr; }
    // read_line returns the next line, or nullopt if none came within limit.
    std::optional<std::string> read_line(std::chrono::milliseconds limit) {
      const auto give_up = std::chrono::steady_clock::now() + limit;
      while (true) {
        if (auto nl = buf_.find('\n'); nl != std::string::npos) {
          std::string line = buf_.substr(0, nl);
          buf_.erase(0, nl + 1);
          return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            give_up - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd fd{::fileno(p_), POLLIN, 0};
        if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
        char chunk[512];
        const ssize_t n = ::read(::fileno(p_), chunk, sizeof chunk);
        if (n <= 0) return std::nullopt;
        buf_.append(chunk, static_cast<std::size_t>(n));
      }
    }
    // finish waits for the exit and returns the exit status.
    int finish() {
      const int st = ::pclose(p_);
      p_ = nullptr;
      return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }

   private:
    FILE* p_ = nullptr;
    std::string buf_;
  };

  static EtcdCluster* etcd_;
  std::unique_ptr<blocking::Client> client_;
  std::unique_ptr<blocking::Session> session_;
};
EtcdCluster* EtcdctlInteropTest::etcd_ = nullptr;

TEST_F(EtcdctlInteropTest, EtcdctlLockHolderExcludesCoordMutexUntilItReleases) {
  Etcdctl ctl("lock interop/lock -- sh -c 'echo held; sleep 2'", 30);
  ASSERT_TRUE(ctl.started());
  ASSERT_EQ(ctl.read_line(10s), "held");
  blocking::Mutex m(*session_, "interop/lock");
  auto t = m.try_lock(blocking::CallOptions{});
  ASSERT_FALSE(t);
  EXPECT_TRUE(is_errc(t.error(), Errc::kLocked)) << t.error().message();
  auto locked = m.lock({.timeout = 15s});  // waits for etcdctl's key to go
  ASSERT_TRUE(locked) << locked.error().message();
  EXPECT_EQ(ctl.finish(), 0);
  auto keys = client_->range(RangeRequest::prefix("interop/lock/"));
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->kvs.size(), 1u);  // only coord's key: etcdctl's is gone
  EXPECT_EQ(keys->kvs[0].create_revision, *locked);
  EXPECT_TRUE(m.unlock(blocking::CallOptions{}));
}

TEST_F(EtcdctlInteropTest, CoordMutexHolderExcludesEtcdctlLockUntilUnlock) {
  blocking::Mutex m(*session_, "interop/lock2");
  ASSERT_TRUE(m.lock(blocking::CallOptions{}));
  Etcdctl ctl("lock interop/lock2 echo got", 30);
  ASSERT_TRUE(ctl.started());
  EXPECT_EQ(ctl.read_line(1500ms), std::nullopt) << "etcdctl entered a held lock";
  ASSERT_TRUE(m.unlock(blocking::CallOptions{}));
  EXPECT_EQ(ctl.read_line(10s), "got");
  EXPECT_EQ(ctl.finish(), 0);
}

TEST_F(EtcdctlInteropTest, CoordLeaderIsSeenByEtcdctlElectObserver) {
  blocking::Election e(*session_, "interop/elect");
  auto won = e.campaign("alpha");
  ASSERT_TRUE(won) << won.error().message();
  Etcdctl ctl("elect -l interop/elect", 3);  // prints key, then value
  ASSERT_TRUE(ctl.started());
  auto key = ctl.read_line(10s);
  auto value = ctl.read_line(5s);
  ASSERT_TRUE(key && value);
  EXPECT_EQ(key->rfind("interop/elect/", 0), 0u) << *key;
  EXPECT_EQ(*value, "alpha");
  EXPECT_TRUE(e.resign());
}

TEST_F(EtcdctlInteropTest, EtcdctlLeaderIsSeenByCoordElection) {
  Etcdctl ctl("elect interop/elect2 beta", 4);  // campaigns, then holds
  ASSERT_TRUE(ctl.started());
  auto key = ctl.read_line(10s);  // etcdctl prints its key once elected
  ASSERT_TRUE(key.has_value());
  blocking::Election e(*session_, "interop/elect2");
  auto leader = e.leader();
  ASSERT_TRUE(leader) << leader.error().message();
  EXPECT_EQ(leader->value, "beta");
  EXPECT_EQ(leader->key, *key);
  // A coord candidate queues behind etcdctl's: not leader while it holds.
  auto lost = e.campaign("gamma", {.timeout = 1s});
  EXPECT_FALSE(lost);
}

}  // namespace
}  // namespace coord::test
