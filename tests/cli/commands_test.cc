// commands_test.cc: the one-shot subcommands: demo, lock, elect, stm-bank,
// sim, and bench --sweep with its chart.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/cli/cli_fixture.h"
#include "tests/cli/cli_process.h"

namespace coord::test {
namespace {

using std::chrono::milliseconds;

TEST(CliCommandsTest, DemoRunsEveryPartOnTheEmbeddedStore) {
  auto r = run_cli({"demo"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("parts ran as expected"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("!! failed"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("EARLY"), std::string::npos) << r.out;
}

TEST(CliCommandsTest, LockRunsTheCommandWithTheFencingToken) {
  auto r = run_cli({"lock", "job", "--backend", "memory", "--", "sh", "-c",
                    "echo token=$COORD_FENCING_TOKEN key=$COORD_LOCK_KEY; exit 7"});
  EXPECT_EQ(r.status, 7) << r.err;  // the command's exit status
  std::istringstream lines(r.out);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_NE(first.find("job/"), std::string::npos) << r.out;
  EXPECT_NE(first.find(" token "), std::string::npos) << r.out;
  const std::string token = first.substr(first.rfind(' ') + 1);
  EXPECT_EQ(second.substr(0, 6 + token.size()), "token=" + token) << r.out;
}

TEST(CliCommandsTest, StmBankConservesTheSum) {
  auto r = run_cli({"stm-bank", "--backend", "memory", "--accounts", "5", "--workers", "10",
                    "--transfers", "100"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("sum 500 (conserved)"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 6) << r.out;
}

#ifdef COORD_CLI_TEST_ETCD
TEST(CliCommandsTest, SecondLockerWaitsForTheFirstAcrossProcesses) {
  const std::string etcd = etcd_backend();
  CliProcess first(with_backend({"lock", "shared-lock"}, etcd));
  auto got = first.read_line();
  ASSERT_TRUE(got.has_value()) << first.stderr_text();
  CliProcess second(with_backend({"lock", "shared-lock"}, etcd));
  EXPECT_FALSE(second.read_line(milliseconds(700)).has_value());
  first.close_stdin();  // end of input: unlock and exit
  EXPECT_EQ(first.wait(), 0) << first.stderr_text();
  auto next = second.read_line();
  ASSERT_TRUE(next.has_value()) << second.stderr_text();
  const auto token = [](const std::string& l) { return std::stoll(l.substr(l.rfind(' ') + 1)); };
  EXPECT_GT(token(*next), token(*got));  // fencing tokens grow
  second.close_stdin();
  EXPECT_EQ(second.wait(), 0);
}

TEST(CliCommandsTest, ElectObserverSeesEachLeader) {
  const std::string etcd = etcd_backend();
  CliProcess observer(with_backend({"elect", "-l", "leader"}, etcd));
  CliProcess alice(with_backend({"elect", "leader", "alice"}, etcd));
  ASSERT_TRUE(alice.read_line().has_value()) << alice.stderr_text();
  EXPECT_EQ(observer.read_line(), "alice");
  CliProcess bob(with_backend({"elect", "leader", "bob"}, etcd));
  EXPECT_FALSE(bob.read_line(milliseconds(500)).has_value());
  alice.close_stdin();  // resigns
  EXPECT_EQ(alice.wait(), 0);
  auto b = bob.read_line();
  ASSERT_TRUE(b.has_value());
  EXPECT_NE(b->find(" bob token "), std::string::npos) << *b;
  EXPECT_EQ(observer.read_line(), "bob");
}
#endif

#ifdef COORD_CLI_TEST_SIM
TEST(CliCommandsTest, SimIsDeterministicBySeed) {
  auto a = run_cli({"sim", "kv", "--nodes", "3", "--seed", "42", "--duration", "2s"});
  auto b = run_cli({"sim", "kv", "--nodes", "3", "--seed", "42", "--duration", "2s"});
  EXPECT_EQ(a.status, 0) << a.out << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out.find("hash"), std::string::npos) << a.out;
}

TEST(CliCommandsTest, SimPacesKvToTheGivenRate) {
  auto r = run_cli({"sim", "kv", "--nodes", "5", "--rate", "500", "--duration", "4s"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  // 500 ops/s over 4 s of faults plus the short liveness phase.
  const auto at = r.out.find("throughput=");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_NEAR(std::stod(r.out.substr(at + 11)), 500, 15) << r.out;
  auto bad = run_cli({"sim", "mutex", "--rate", "500"});
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.err.find("does not pace"), std::string::npos) << bad.err;
}

TEST(CliCommandsTest, SimRejectsAnUnknownWorkload) {
  auto r = run_cli({"sim", "nosuch"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}
#endif

TEST(CliCommandsTest, SweepWritesAChartWithOneLinePerBackend) {
  const std::string chart = temp_dir("sweep") + "/put.svg";
  auto r = run_cli({"bench", "put", "--sweep", "--sweep-workers", "1,2,4", "--backends",
                    "memory embedded:" + temp_dir("sweep-store") + "/s", "--n", "40",
                    "--chart", chart});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 6) << r.out;
  std::ifstream in(chart);
  std::stringstream svg;
  svg << in.rdbuf();
  EXPECT_EQ(svg.str().rfind("<svg", 0), 0u);
  std::string s = svg.str();
  std::size_t polylines = 0;
  for (std::size_t p = 0; (p = s.find("<polyline", p)) != std::string::npos; ++p) ++polylines;
  EXPECT_EQ(polylines, 4u);  // 2 backends x (throughput, p99)
  EXPECT_NE(s.find(">memory<"), std::string::npos);
  EXPECT_NE(s.find(">embedded<"), std::string::npos);
}

}  // namespace
}  // namespace coord::test
