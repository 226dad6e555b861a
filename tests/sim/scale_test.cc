// Scale smoke test: thousands of simulated nodes contend on one mutex in
// one process; the checkers pass and the lock changes hands.
#include <gtest/gtest.h>

#include "sim/runner.h"

namespace coord::sim {
namespace {
using namespace std::chrono_literals;

TEST(ScaleTest, ThousandsOfNodesContendOnOneMutex) {
  RunConfig cfg;
  cfg.workload = "mutex";
  cfg.nodes = 2000;
  cfg.seed = 1;
  cfg.faults = "none";
  cfg.duration = 1s;
  cfg.ttl_seconds = 30;
  const RunReport r = run(cfg);
  EXPECT_TRUE(r.ok) << format_report(r);
  EXPECT_GT(r.ops, 10u);
}

}  // namespace
}  // namespace coord::sim
