// Determinism: every workload, >= 100 seeds, each run twice under every
// fault; the two trace hashes must match, and the recipes must pass their
// checkers (a failure prints the command that replays it).
#include <gtest/gtest.h>

#include <iostream>
#include <set>
#include <utility>

#include "sim/runner.h"

namespace coord::sim {
namespace {
using namespace std::chrono_literals;

// Known recipe findings (sim/FINDINGS.md): still run, checked for
// determinism, but their checker verdict is reported, not asserted.
// None open now (F1 was double_barrier seed 96; see the regression below).
const std::set<std::pair<std::string, std::uint64_t>> kKnownFindings = {};

class DeterminismTest : public ::testing::TestWithParam<std::string> {};

// expect_seeds_pass runs workload with 3 nodes, every fault, 2 s, for each
// seed (a finding's regression) and expects the checkers to pass.
void expect_seeds_pass(const std::string& workload, std::initializer_list<std::uint64_t> seeds) {
  for (std::uint64_t seed : seeds) {
    RunConfig cfg;
    cfg.workload = workload;
    cfg.nodes = 3;
    cfg.seed = seed;
    cfg.faults = "all";
    cfg.duration = 2s;
    const RunReport r = run(cfg);
    EXPECT_TRUE(r.ok) << format_report(r);
  }
}

TEST_P(DeterminismTest, SameSeedGivesSameTraceAndCheckersPass) {
  constexpr std::uint64_t kSeeds = 100;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    RunConfig cfg;
    cfg.workload = GetParam();
    cfg.nodes = 3;
    cfg.seed = seed;
    cfg.faults = "all";
    cfg.duration = 2s;
    const RunReport a = run(cfg);
    const RunReport b = run(cfg);
    ASSERT_TRUE(a.error.empty()) << a.error;
    ASSERT_EQ(a.trace_hash, b.trace_hash) << "nondeterministic: " << a.replay;
    EXPECT_EQ(a.trace_events, b.trace_events);
    if (kKnownFindings.count({cfg.workload, seed})) {
      if (!a.ok) std::cout << "known finding: " << a.replay << "\n";
      continue;
    }
    EXPECT_TRUE(a.ok) << format_report(a);
  }
}

INSTANTIATE_TEST_SUITE_P(Workloads, DeterminismTest,
                         ::testing::ValuesIn(workload_names()),
                         [](const auto& info) { return info.param; });

// FINDINGS.md F1: these seeds left DoubleBarrier participants stuck (a
// phantom waiter key from a registration whose outcome was unknown, and a
// key a partitioned give-up could not delete). They must pass now.
TEST(DeterminismTest, DoubleBarrierFindingF1SeedsNowPass) {
  expect_seeds_pass("double_barrier", {96, 110, 191});
}

// FINDINGS.md F6: an RWMutex enqueue or clean-up whose outcome was unknown
// left a waiter key on a live session, and every later waiter queued behind
// it. These seeds deadlocked; they must pass now.
TEST(DeterminismTest, RWMutexFindingF6SeedsNowPass) {
  expect_seeds_pass("rw_mutex", {178, 179, 197});
}

TEST(DeterminismTest, DifferentSeedsGiveDifferentTraces) {
  RunConfig cfg;
  cfg.workload = "kv";
  cfg.nodes = 3;
  cfg.duration = 1s;
  cfg.faults = "latency";
  cfg.seed = 1;
  const auto a = run(cfg);
  cfg.seed = 2;
  const auto b = run(cfg);
  EXPECT_NE(a.trace_hash, b.trace_hash);
}

TEST(PacedRunTest, KvRunsAtTheOfferedRateAndReplays) {
  RunConfig cfg;
  cfg.workload = "kv";
  cfg.nodes = 5;
  cfg.rate = 1000;
  cfg.duration = 10s;
  const RunReport a = run(cfg);
  const RunReport b = run(cfg);
  ASSERT_TRUE(a.ok) << format_report(a);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_NEAR(a.throughput, 1000, 20) << format_report(a);
  EXPECT_NE(a.replay.find("--rate 1000"), std::string::npos) << a.replay;
}

TEST(PacedRunTest, WorkloadsThatDoNotPaceRejectARate) {
  RunConfig cfg;
  cfg.workload = "mutex";
  cfg.rate = 100;
  const RunReport r = run(cfg);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("does not pace"), std::string::npos) << r.error;
  cfg.workload = "kv";
  cfg.rate = -1;
  EXPECT_NE(run(cfg).error.find("negative"), std::string::npos);
}

}  // namespace
}  // namespace coord::sim
