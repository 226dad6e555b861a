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
};

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
    cfg.duration = 3s;
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
                      Mutant{"mutex", "unguarded", "none", "mutex."},
                      Mutant{"semaphore", "skip-wait", "none", "semaphore.exclusion"}),
    [](const auto& info) {
      std::string n = info.param.workload + "_" + info.param.mutant;
      for (auto& c : n) if (c == '-') c = '_';
      return n;
    });

}  // namespace
}  // namespace coord::sim
