// bench_test.cc: every bench workload runs briefly on every backend and
// reports check = ok, in the documented one-line JSON format.
#include <gtest/gtest.h>

#include <regex>

#include "tests/cli/cli_fixture.h"
#include "tests/cli/cli_process.h"

namespace coord::test {
namespace {

struct BenchCase {
  std::string workload;
  std::string backend;  // "memory", "disk", "etcd"
};

void PrintTo(const BenchCase& c, std::ostream* os) { *os << c.workload << " on " << c.backend; }

std::string backend_words(const std::string& which) {
  if (which == "memory") return "memory";
  if (which == "disk") return "embedded:" + temp_dir("bench") + "/store";
  return etcd_backend();
}

class CliBenchTest : public ::testing::TestWithParam<BenchCase> {};

TEST_P(CliBenchTest, RunsBrieflyWithCheckOk) {
  const auto& c = GetParam();
  const bool rounds = c.workload == "barrier" || c.workload == "dbarrier";
  auto r = run_cli({"bench", c.workload, "--backend", backend_words(c.backend), "--workers", "3",
                    "--clients", "2", "--n", rounds ? "3" : "30"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::regex line(
      R"(\{"workload":"[a-z]+","backend":"[a-z]+","workers":3,"clients":2,"ops":[0-9]+,)"
      R"("seconds":[0-9.]+,"ops_per_s":[0-9.]+,"p50_ms":[0-9.]+,"p99_ms":[0-9.]+,"check":"ok"\}\n)");
  EXPECT_TRUE(std::regex_match(r.out, line)) << r.out;
  EXPECT_NE(r.out.find("\"workload\":\"" + c.workload + "\""), std::string::npos);
}

std::vector<BenchCase> all_cases() {
  std::vector<BenchCase> out;
  std::vector<std::string> backends = {"memory", "disk"};
#ifdef COORD_CLI_TEST_ETCD
  backends.push_back("etcd");
#endif
  for (const char* w : {"put", "txn", "queue", "pqueue", "stm", "mutex", "rwmutex", "barrier",
                        "dbarrier", "election", "semaphore"}) {
    for (const auto& b : backends) out.push_back({w, b});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Workloads, CliBenchTest, ::testing::ValuesIn(all_cases()),
                         [](const auto& info) { return info.param.workload + "_" + info.param.backend; });

}  // namespace
}  // namespace coord::test
