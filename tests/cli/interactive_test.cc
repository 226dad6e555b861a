// interactive_test.cc: the interactive subcommands (queue, pqueue, barrier,
// dbarrier) driven through pipes: one process on the embedded store, and
// several processes coordinating through the fixture etcd.
#include <gtest/gtest.h>

#include "tests/cli/cli_fixture.h"
#include "tests/cli/cli_process.h"

namespace coord::test {
namespace {

using std::chrono::milliseconds;

TEST(CliInteractiveTest, QueueOnEmbeddedStoreKeepsOrderAcrossRuns) {
  const std::string store = "embedded:" + temp_dir("queue") + "/store";
  auto first = run_cli(with_backend({"queue", "jobs"}, store), "push a\npush b c\npop\nquit\n");
  EXPECT_EQ(first.status, 0) << first.err;
  EXPECT_EQ(first.out, "ok\nok\na\n");
  // The store is on disk: the second run finds the item left by the first.
  auto second = run_cli(with_backend({"queue", "jobs"}, store), "pop\n");
  EXPECT_EQ(second.status, 0) << second.err;
  EXPECT_EQ(second.out, "b c\n");
}

TEST(CliInteractiveTest, PriorityQueuePopsLowestNumberFirst) {
  auto r = run_cli(with_backend({"pqueue", "tasks"}, "memory"),
                   "push backup 9\npush page 0\npush reindex 5\npop\npop\npop\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "ok\nok\nok\npage\nreindex\nbackup\n");
}

TEST(CliInteractiveTest, BadLinesPrintOneErrorAndChangeNothing) {
  auto r = run_cli(with_backend({"pqueue", "tasks"}, "memory"),
                   "push x high\npush\nfrobnicate\npush y 70000\npush z 1\npop\n");
  EXPECT_EQ(r.status, 1);
  std::vector<std::string> lines;
  for (std::size_t pos = 0, nl; (nl = r.out.find('\n', pos)) != std::string::npos; pos = nl + 1) {
    lines.push_back(r.out.substr(pos, nl - pos));
  }
  ASSERT_EQ(lines.size(), 6u) << r.out;
  for (int i = 0; i < 4; ++i) EXPECT_EQ(lines[i].rfind("error: ", 0), 0u) << lines[i];
  EXPECT_EQ(lines[4], "ok");
  EXPECT_EQ(lines[5], "z");  // nothing else was enqueued by the bad lines
}

TEST(CliInteractiveTest, BarrierHoldTwiceIsAnErrorLine) {
  auto r = run_cli(with_backend({"barrier", "gate"}, "memory"),
                   "hold\nhold\nrelease\nwait\n");
  EXPECT_EQ(r.out, "held\nerror: barrier already held\nreleased\npassed\n");
}

#ifdef COORD_CLI_TEST_ETCD
TEST(CliInteractiveTest, TwoProcessesShareAQueueThroughEtcd) {
  const std::string etcd = etcd_backend();
  CliProcess consumer(with_backend({"queue", "shared"}, etcd));
  CliProcess producer(with_backend({"queue", "shared"}, etcd));
  consumer.send("pop");  // blocks: the queue is empty
  EXPECT_FALSE(consumer.read_line(milliseconds(500)).has_value());
  producer.send("push hello");
  EXPECT_EQ(producer.read_line(), "ok");
  EXPECT_EQ(consumer.read_line(), "hello");
  producer.send("push one");
  producer.send("push two");
  EXPECT_EQ(producer.read_line(), "ok");
  EXPECT_EQ(producer.read_line(), "ok");
  consumer.send("pop");
  EXPECT_EQ(consumer.read_line(), "one");
  producer.send("pop");
  EXPECT_EQ(producer.read_line(), "two");
  consumer.send("quit");
  producer.close_stdin();
  EXPECT_EQ(consumer.wait(), 0) << consumer.stderr_text();
  EXPECT_EQ(producer.wait(), 0) << producer.stderr_text();
}

TEST(CliInteractiveTest, BarrierReleaseWakesAWaiterInAnotherProcess) {
  const std::string etcd = etcd_backend();
  CliProcess holder(with_backend({"barrier", "gate"}, etcd));
  CliProcess waiter(with_backend({"barrier", "gate"}, etcd));
  holder.send("hold");
  EXPECT_EQ(holder.read_line(), "held");
  waiter.send("wait");
  EXPECT_FALSE(waiter.read_line(milliseconds(500)).has_value());
  holder.send("release");
  EXPECT_EQ(holder.read_line(), "released");
  EXPECT_EQ(waiter.read_line(), "passed");
}

TEST(CliInteractiveTest, DoubleBarrierOpensWhenCountProcessesEntered) {
  const std::string etcd = etcd_backend();
  CliProcess a(with_backend({"dbarrier", "phase", "2"}, etcd));
  CliProcess b(with_backend({"dbarrier", "phase", "2"}, etcd));
  a.send("enter");
  EXPECT_FALSE(a.read_line(milliseconds(500)).has_value());
  b.send("enter");
  EXPECT_EQ(a.read_line(), "entered");
  EXPECT_EQ(b.read_line(), "entered");
  a.send("leave");
  EXPECT_FALSE(a.read_line(milliseconds(300)).has_value());
  b.send("leave");
  EXPECT_EQ(a.read_line(), "left");
  EXPECT_EQ(b.read_line(), "left");
  a.close_stdin();
  b.close_stdin();
  EXPECT_EQ(a.wait(), 0) << a.stderr_text();
  EXPECT_EQ(b.wait(), 0) << b.stderr_text();
}

TEST(CliInteractiveTest, PriorityQueueAcrossProcesses) {
  const std::string etcd = etcd_backend();
  auto push = run_cli(with_backend({"pqueue", "prq"}, etcd), "push late 7\npush soon 1\n");
  EXPECT_EQ(push.out, "ok\nok\n") << push.err;
  auto pop = run_cli(with_backend({"pqueue", "prq"}, etcd), "pop\npop\n");
  EXPECT_EQ(pop.out, "soon\nlate\n") << pop.err;
}
#endif

}  // namespace
}  // namespace coord::test
