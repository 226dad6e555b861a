// errors_test.cc: every user error is one clear line on stderr and a
// non-zero exit: bad flags and arguments, unreachable endpoints, bad TLS
// files, a store locked by another process, permission denied.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/cli/cli_fixture.h"
#include "tests/cli/cli_process.h"
#ifdef COORD_CLI_TEST_ETCD
#include "tests/support/etcd_process.h"
#endif

namespace coord::test {
namespace {

// ExpectOneLineError checks status and that stderr is one "coord: " line
// containing `needle`.
void ExpectOneLineError(const CliResult& r, int status, const std::string& needle) {
  EXPECT_EQ(r.status, status) << r.err;
  EXPECT_EQ(r.err.rfind("coord: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << "want '" << needle << "' in: " << r.err;
}

TEST(CliErrorsTest, UnknownFlagIsAUsageError) {
  ExpectOneLineError(run_cli({"queue", "q", "--frobnicate", "--backend", "memory"}), 2,
                     "unknown flag '--frobnicate'");
}

TEST(CliErrorsTest, UnknownCommandIsAUsageError) {
  ExpectOneLineError(run_cli({"frobnicate"}), 2, "unknown command 'frobnicate'");
}

TEST(CliErrorsTest, MissingValueAndBadNumbersAreUsageErrors) {
  ExpectOneLineError(run_cli({"bench", "put", "--workers"}), 2, "--workers needs a value");
  ExpectOneLineError(run_cli({"bench", "put", "--workers", "0", "--backend", "memory"}), 2,
                     "--workers must be between 1");
  ExpectOneLineError(run_cli({"bench", "put", "--n", "ten", "--backend", "memory"}), 2,
                     "--n expects a whole number");
  ExpectOneLineError(run_cli({"dbarrier", "b", "two", "--backend", "memory"}), 2,
                     "COUNT expects a whole number");
  ExpectOneLineError(run_cli({"bench", "nosuch", "--backend", "memory"}), 2,
                     "unknown workload 'nosuch'");
}

TEST(CliErrorsTest, BadBackendIsAUsageError) {
  ExpectOneLineError(run_cli({"queue", "q", "--backend", "redis://x"}), 2, "unknown --backend");
  ExpectOneLineError(run_cli({"queue", "q", "--backend", "etcd://localhost"}), 2,
                     "bad etcd endpoint 'localhost'");
  ExpectOneLineError(run_cli({"queue", "q", "--backend", "memory", "--cacert", "x.pem"}), 2,
                     "--cacert needs an etcd backend");
}

TEST(CliErrorsTest, UnreachableEndpointIsOneLine) {
  // Port 1 on loopback: nothing listens there.
  auto r = run_cli({"queue", "q", "--backend", "etcd://127.0.0.1:1", "--dial-timeout", "1"},
                   "push x\n");
  ExpectOneLineError(r, 1, "etcd at 127.0.0.1:1");
}

TEST(CliErrorsTest, BadTlsFileIsOneLine) {
  ExpectOneLineError(run_cli({"queue", "q", "--backend", "etcd://127.0.0.1:2379", "--cacert",
                              "/nonexistent/ca.pem"}),
                     2, "bad TLS file for --cacert");
  const std::string dir = temp_dir("tls");
  std::ofstream(dir + "/ca.pem") << "not a certificate\n";
  ExpectOneLineError(run_cli({"queue", "q", "--backend", "etcd://127.0.0.1:2379", "--cacert",
                              dir + "/ca.pem"}),
                     2, "is not PEM");
}

TEST(CliErrorsTest, EmbeddedStoreLockedByAnotherProcessIsOneLine) {
  const std::string store = "embedded:" + temp_dir("locked") + "/store";
  CliProcess holder(with_backend({"queue", "q"}, store));
  holder.send("push x");
  ASSERT_EQ(holder.read_line(), "ok") << holder.stderr_text();
  ExpectOneLineError(run_cli(with_backend({"queue", "q"}, store), "pop\n"), 1,
                     "in use by another process");
  holder.send("pop");
  EXPECT_EQ(holder.read_line(), "x");  // the holder's data is intact
}

TEST(CliErrorsTest, EmbeddedStoreOnAFileIsOneLine) {
  ExpectOneLineError(run_cli({"queue", "q", "--backend", "embedded:/etc/hostname/store"}, "pop\n"),
                     1, "cannot create embedded store");
}

#ifdef COORD_CLI_TEST_ETCD
TEST(CliErrorsTest, PermissionDeniedAndBadPasswordAreOneLine) {
  auto etcd = EtcdCluster::start({});
  ASSERT_EQ(etcd->etcdctl({"user", "add", "root:rootpw"}), 0);
  ASSERT_EQ(etcd->etcdctl({"user", "add", "bob:bobpw"}), 0);
  ASSERT_EQ(etcd->etcdctl({"auth", "enable"}), 0);
  const std::string backend = "etcd://127.0.0.1:" + std::to_string(etcd->client_port(0));
  ExpectOneLineError(run_cli({"queue", "q", "--backend", backend, "--user", "bob:wrong"}, "pop\n"),
                     1, "authentication failed");
  // bob has no role: every key is denied; the error is the line's result.
  auto r = run_cli({"queue", "q", "--backend", backend, "--user", "bob:bobpw"}, "push x\n");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("error: push: permission denied"), std::string::npos) << r.out << r.err;
}
#endif

}  // namespace
}  // namespace coord::test
