// Checkers have teeth: each deliberately broken variant is caught within a
// bounded number of seeds.
#include <gtest/gtest.h>

#include "sim/runner.h"

namespace coord::sim {
namespace {
using namespace std::chrono_literals;

struct Mutant {
  std::string workload;
  std::string mutant;
  std::string faults;
  std::string checker;  // prefix of the verdict that must fail
  std::chrono::seconds duration{3};
};

void PrintTo(const Mutant& m, std::ostream* os) {
  *os << m.workload << " " << m.mutant << " (" << m.faults << ")";
}

class MutantTest : public ::testing::TestWithParam<Mutant> {};

TEST_P(MutantTest, CheckerCatchesMutantWithinBoundedSeeds) {
  constexpr std::uint64_t kMaxSeeds = 20;
  const Mutant& m = GetParam();
  for (std::uint64_t seed = 1; seed <= kMaxSeeds; ++seed) {
    RunConfig cfg;
    cfg.workload = m.workload;
    cfg.mutant = m.mutant;
    cfg.nodes = 4;
    cfg.seed = seed;
    cfg.faults = m.faults;
    cfg.duration = m.duration;
    cfg.liveness_bound = 10s;
    const RunReport r = run(cfg);
    ASSERT_TRUE(r.error.empty()) << r.error;
    for (const auto& v : r.verdicts) {
      if (!v.ok && v.checker.rfind(m.checker, 0) == 0) {
        SUCCEED() << "caught at seed " << seed << ": " << v.detail << "\nreplay: " << r.replay;
        return;
      }
    }
  }
  ADD_FAILURE() << m.workload << "/" << m.mutant << " not caught in " << kMaxSeeds << " seeds";
}

INSTANTIATE_TEST_SUITE_P(
    Mutants, MutantTest,
    ::testing::Values(Mutant{"kv", "blind", "none", "kv."},
                      Mutant{"mutex", "skip-wait", "none", "mutex.exclusion"},
                      Mutant{"mutex", "unguarded", "clock-pause", "mutex.guarded", 20s},
                      Mutant{"semaphore", "skip-wait", "none", "semaphore.exclusion"},
                      Mutant{"election", "skip-wait", "none", "election.exclusion"},
                      Mutant{"queue", "delete-no-compare", "none", "queue.exactly-once"},
                      Mutant{"queue", "newest-first", "none", "queue.fifo"},
                      Mutant{"priority_queue", "delete-no-compare", "none",
                             "priority_queue.exactly-once"},
                      Mutant{"priority_queue", "ignore-priority", "none",
                             "priority_queue.priority"},
                      Mutant{"rw_mutex", "skip-wait", "none", "rw_mutex.exclusion"},
                      Mutant{"stm", "read-committed", "none", "stm."},
                      Mutant{"barrier", "no-wait", "none", "barrier.not-early"},
                      Mutant{"double_barrier", "early-enter", "none",
                             "double_barrier.enter-not-early"}),
    [](const auto& info) {
      std::string n = info.param.workload + "_" + info.param.mutant;
      for (auto& c : n) if (c == '-') c = '_';
      return n;
    });

}  // namespace
}  // namespace coord::sim
