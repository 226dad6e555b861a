// Kills a child process writing to a durable store at random moments and
// checks, after each kill, that every acknowledged txn survived whole and
// that no txn is half-applied.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <random>
#include <set>
#include <sstream>

#include "backends/embedded/embedded.h"
#include "tests/backends/embedded/test_util.h"

namespace coord::test {
namespace {

struct Child {
  pid_t pid = -1;
  int out = -1;
};

Child spawn(const std::string& dir, int round) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    const std::string r = std::to_string(round);
    ::execl(COORD_CRASH_CHILD, COORD_CRASH_CHILD, dir.c_str(), r.c_str(), nullptr);
    ::_exit(127);
  }
  ::close(fds[1]);
  return Child{pid, fds[0]};
}

// LineReader splits the child's output into lines.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  // next returns the next complete line, or false at EOF.
  bool next(std::string& line) {
    for (;;) {
      auto nl = buf_.find('\n');
      if (nl != std::string::npos) {
        line = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return true;
      }
      char tmp[4096];
      const ssize_t n = ::read(fd_, tmp, sizeof tmp);
      if (n <= 0) return false;
      buf_.append(tmp, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  std::string buf_;
};

using Keys = std::set<std::string>;

Keys keys_under(Client& kv, const std::string& prefix) {
  auto r = run_sync(kv.range(RangeRequest::prefix(prefix)));
  Keys out;
  for (auto& kv : value(std::move(r), "range").kvs) out.insert(kv.key.substr(prefix.size()));
  return out;
}

TEST(CrashTest, AcknowledgedDurableWritesSurviveSigkillAndNoTxnIsHalfApplied) {
  TempDir dir;
  std::mt19937 rng(20240601);  // fixed seed: the kill schedule replays
  constexpr int kRounds = 50;
  Keys acked;
  std::set<Revision> acked_revs;
  Revision max_acked = 0;
  int kills_mid_write = 0;
  for (int round = 0; round < kRounds; ++round) {
    const Revision floor = max_acked;  // every ack of an earlier round
    Child c = spawn(dir.path(), round);
    LineReader lines(c.out);
    const int target = std::uniform_int_distribution<int>(0, 60)(rng);
    const int jitter_us = std::uniform_int_distribution<int>(0, 3000)(rng);
    int acks = 0;
    std::string line;
    bool ready = false;
    while (lines.next(line)) {
      std::istringstream in(line);
      std::string tag, id;
      in >> tag;
      ASSERT_NE(tag, "ERR") << line;
      if (tag == "READY") {
        Revision start = 0;
        in >> start;
        // Revisions continue after every crash: never below an acked one.
        EXPECT_GE(start, max_acked) << "round " << round;
        ready = true;
      } else if (tag == "ACK") {
        Revision rev = 0;
        in >> id >> rev;
        // Four writers ack out of revision order; what must hold is that a
        // revision is never handed out twice, across crashes included.
        EXPECT_GT(rev, floor) << "revision from before the crash reused in round " << round;
        EXPECT_TRUE(acked_revs.insert(rev).second) << "revision " << rev << " acked twice";
        max_acked = std::max(max_acked, rev);
        acked.insert(id);
        ++acks;
      }
      if (ready && acks >= target) break;
    }
    ::usleep(static_cast<useconds_t>(jitter_us));
    ::kill(c.pid, SIGKILL);
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    // Acks printed before the kill landed are acknowledged writes too.
    while (lines.next(line)) {
      std::istringstream in(line);
      std::string tag, id;
      Revision rev = 0;
      in >> tag >> id >> rev;
      if (tag == "ACK") {
        acked.insert(id);
        max_acked = std::max(max_acked, rev);
      }
    }
    ::close(c.out);
    if (WIFSIGNALED(status)) ++kills_mid_write;

    embedded::Options o;
    o.mode = embedded::Options::Mode::kDisk;
    o.path = dir.path();
    auto store = value(embedded::Store::open(o), "reopen");
    auto kv = store->client();
    const Keys a = keys_under(*kv, "a/");
    const Keys b = keys_under(*kv, "b/");
    ASSERT_EQ(a, b) << "half-applied txn after round " << round;
    for (const auto& id : acked) ASSERT_TRUE(a.count(id)) << "lost acked txn " << id;
    EXPECT_GE(store->revision(), max_acked);
  }
  EXPECT_EQ(kills_mid_write, kRounds);
  EXPECT_GT(acked.size(), static_cast<std::size_t>(kRounds));
}

}  // namespace
}  // namespace coord::test
