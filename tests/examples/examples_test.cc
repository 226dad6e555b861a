// examples_test.cc: runs the programs in examples/ and checks what they
// print: the three classic demos through pipes, on the in-memory store and
// as several processes sharing a fixture etcd; the per-recipe programs
// (quoted by docs/) on the in-memory store.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/cli/cli_process.h"
#include "tests/support/etcd_process.h"

namespace coord::test {
namespace {

using std::chrono::milliseconds;

const std::string kQueue = COORD_QUEUE_EXAMPLE;
const std::string kBarrier = COORD_BARRIER_EXAMPLE;
const std::string kBank = COORD_STM_BANK_EXAMPLE;
const std::string kKv = COORD_KV_EXAMPLE;
const std::string kSession = COORD_SESSION_EXAMPLE;
const std::string kCoroutineQueue = COORD_COROUTINE_QUEUE_EXAMPLE;
const std::string kPriorityQueue = COORD_PRIORITY_QUEUE_EXAMPLE;
const std::string kCoroutineBarrier = COORD_COROUTINE_BARRIER_EXAMPLE;
const std::string kDoubleBarrier = COORD_DOUBLE_BARRIER_EXAMPLE;
const std::string kCoroutineStm = COORD_COROUTINE_STM_EXAMPLE;
const std::string kMutex = COORD_MUTEX_EXAMPLE;
const std::string kRwMutex = COORD_RW_MUTEX_EXAMPLE;
const std::string kElection = COORD_ELECTION_EXAMPLE;
const std::string kSemaphore = COORD_SEMAPHORE_EXAMPLE;

// etcd_endpoint starts one fixture etcd for the whole binary.
std::string etcd_endpoint() {
  static std::unique_ptr<EtcdCluster> etcd = EtcdCluster::start({});
  return "127.0.0.1:" + std::to_string(etcd->client_port(0));
}

TEST(QueueExampleTest, PopsInPushOrderOnTheEmbeddedStore) {
  auto r = run_program(kQueue, {}, "push a\npush b c\npop\npop\nquit\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "ok\nok\na\nb c\n");
}

TEST(QueueExampleTest, UnknownCommandIsAnErrorLine) {
  auto r = run_program(kQueue, {}, "shove x\npush y\npop\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "error: unknown command (push V | pop | quit)\nok\ny\n");
}

TEST(QueueExampleTest, PopBlocksUntilAnotherProcessPushesThroughEtcd) {
  const std::string ep = etcd_endpoint();
  CliProcess consumer(kQueue, {"--etcd", ep, "example-q"});
  CliProcess producer(kQueue, {"--etcd", ep, "example-q"});
  consumer.send("pop");
  EXPECT_FALSE(consumer.read_line(milliseconds(500)).has_value());  // empty: it waits
  producer.send("push hello");
  EXPECT_EQ(producer.read_line(), "ok");
  EXPECT_EQ(consumer.read_line(), "hello");
  producer.send("quit");
  consumer.send("quit");
  EXPECT_EQ(producer.wait(), 0);
  EXPECT_EQ(consumer.wait(), 0);
}

TEST(BarrierExampleTest, WaitPassesOnceReleased) {
  auto r = run_program(kBarrier, {}, "hold\nrelease\nwait\nquit\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "held\nreleased\npassed\n");
}

TEST(BarrierExampleTest, WaiterInAnotherProcessPassesOnlyAfterRelease) {
  const std::string ep = etcd_endpoint();
  CliProcess holder(kBarrier, {"--etcd", ep, "example-gate"});
  holder.send("hold");
  ASSERT_EQ(holder.read_line(), "held");
  CliProcess waiter(kBarrier, {"--etcd", ep, "example-gate"});
  waiter.send("wait");
  EXPECT_FALSE(waiter.read_line(milliseconds(700)).has_value());  // still held
  holder.send("release");
  EXPECT_EQ(holder.read_line(), "released");
  EXPECT_EQ(waiter.read_line(), "passed");
  holder.close_stdin();
  waiter.close_stdin();
  EXPECT_EQ(holder.wait(), 0);
  EXPECT_EQ(waiter.wait(), 0);
}

TEST(StmBankExampleTest, SumStaysFiveHundredOnTheEmbeddedStore) {
  auto r = run_program(kBank, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("sum 500\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(StmBankExampleTest, SumStaysFiveHundredOnEtcd) {
  auto r = run_program(kBank, {"--etcd", etcd_endpoint()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("sum 500\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(KvExampleTest, ShowsRevisionsWatchCompactionAndResync) {
  auto r = run_program(kKv, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("resync: 2 keys at revision 6, watching from 7\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(SessionExampleTest, CloseDeletesTheSessionKeys) {
  auto r = run_program(kSession, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("closed: workers/w1 deleted; resuming the lease: requested lease not found\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(CoroutineQueueExampleTest, WaitingConsumerGetsItemsInOrder) {
  auto r = run_program(kCoroutineQueue, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("then bc, in enqueue order\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(PriorityQueueExampleTest, LowestPriorityNumberComesFirst) {
  auto r = run_program(kPriorityQueue, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("dequeued: page-oncall reindex rebalance backup\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(CoroutineBarrierExampleTest, WaiterPassesOnlyAfterRelease) {
  auto r = run_program(kCoroutineBarrier, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("released: the waiter passed\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(DoubleBarrierExampleTest, ParticipantsEnterAndLeaveTogether) {
  auto r = run_program(kDoubleBarrier, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("all 3 left; no key under batch/ remains\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(CoroutineStmExampleTest, ConflictReRunsApplyOnFreshValues) {
  auto r = run_program(kCoroutineStm, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("audit: 2 attempts, recorded alice = 1000\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(MutexExampleTest, LostLockRefusesTheOldHoldersWrite) {
  auto r = run_program(kMutex, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("a's late write: lock is not held\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(RwMutexExampleTest, LateReaderQueuesBehindAWaitingWriter) {
  auto r = run_program(kRwMutex, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("a writer waits; a later reader waits behind it: deadline exceeded\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(ElectionExampleTest, ObserverSeesTheNextLeaderAfterResign) {
  auto r = run_program(kElection, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("observer: leader host-b (term 3)\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(SemaphoreExampleTest, NoPermitBeyondTheLimit) {
  auto r = run_program(kSemaphore, {});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("third: try_acquire: no permits available\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(ExampleBackendTest, UnreachableEtcdIsOneErrorLine) {
  auto r = run_program(kQueue, {"--etcd", "127.0.0.1:1"}, "", std::chrono::seconds(30));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("error: etcd 127.0.0.1:1: ", 0), 0u) << r.err;
}

}  // namespace
}  // namespace coord::test
