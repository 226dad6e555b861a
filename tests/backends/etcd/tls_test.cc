// tls_test.cc: TLS and mutual TLS against an etcd that requires client
// certificates. Certificates are made by openssl in the test's directory.
// A good chain connects; a wrong CA, a wrong server name and a missing
// client certificate are rejected with kTlsError, never downgraded.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <fstream>

#include "backends/etcd/etcd_client.h"
#include "tests/support/etcd_process.h"

namespace coord::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

void sh(const std::string& cmd) {
  const std::string full = cmd + " >/dev/null 2>&1";
  if (std::system(full.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
}

// make_certs writes ca, other-ca, server (127.0.0.1, localhost) and client
// certificates, EC P-256, into dir.
void make_certs(const std::string& d) {
  const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  for (std::string ca : {"ca", "other-ca"}) {
    sh("openssl req -x509 " + ec + " -keyout " + d + "/" + ca + ".key -out " + d + "/" + ca +
       ".pem -days 2 -subj /CN=coord-" + ca);
  }
  std::ofstream(d + "/server.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                   << "extendedKeyUsage=serverAuth,clientAuth\n";
  std::ofstream(d + "/client.ext") << "extendedKeyUsage=clientAuth\n";
  for (std::string who : {"server", "client"}) {
    sh("openssl req " + ec + " -keyout " + d + "/" + who + ".key -out " + d + "/" + who +
       ".csr -subj /CN=" + (who == "server" ? "etcd" : "root"));
    sh("openssl x509 -req -in " + d + "/" + who + ".csr -CA " + d + "/ca.pem -CAkey " + d +
       "/ca.key -CAcreateserial -days 2 -out " + d + "/" + who + ".pem -extfile " + d + "/" +
       who + ".ext");
  }
}

class EtcdTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char templ[] = "/tmp/coord-certs-XXXXXX";
    dir_ = mkdtemp(templ);
    make_certs(dir_);
    EtcdConfig cfg;
    cfg.tls = EtcdTls{dir_ + "/ca.pem", dir_ + "/server.pem", dir_ + "/server.key", true,
                      dir_ + "/client.pem", dir_ + "/client.key"};
    etcd_ = EtcdCluster::start(cfg).release();
  }
  static void TearDownTestSuite() {
    delete etcd_;
    std::system(("rm -rf " + dir_).c_str());
  }
  etcd::Options good() const {
    etcd::Options o = etcd_->options();
    o.ca_file = dir_ + "/ca.pem";
    o.cert_file = dir_ + "/client.pem";
    o.key_file = dir_ + "/client.key";
    o.dial_timeout = 3s;
    return o;
  }
  static void expect_tls_error(const etcd::Options& o) {
    const auto t0 = std::chrono::steady_clock::now();
    auto c = etcd::connect(o);
    ASSERT_FALSE(c) << "connected despite a bad TLS setup";
    EXPECT_TRUE(is_errc(c.error(), Errc::kTlsError)) << c.error().message();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  }

  static std::string dir_;
  static EtcdCluster* etcd_;
};
std::string EtcdTlsTest::dir_;
EtcdCluster* EtcdTlsTest::etcd_ = nullptr;

TEST_F(EtcdTlsTest, GoodChainConnectsAndServes) {
  auto c = etcd::connect(good());
  ASSERT_TRUE(c) << c.error().message();
  asio::io_context io;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        EXPECT_TRUE(co_await (*c)->put("tls/k", "v"));
        auto g = co_await (*c)->get("tls/k");
        EXPECT_TRUE(g && g->has_value() && (*g)->value == "v");
      },
      [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  io.run_for(20s);
}

TEST_F(EtcdTlsTest, WrongCaIsRejected) {
  auto o = good();
  o.ca_file = dir_ + "/other-ca.pem";
  expect_tls_error(o);
}

TEST_F(EtcdTlsTest, WrongServerNameIsRejected) {
  auto o = good();
  o.server_name_override = "not-etcd.example.com";
  expect_tls_error(o);
}

TEST_F(EtcdTlsTest, MissingClientCertIsRejected) {
  auto o = good();
  o.cert_file.clear();
  o.key_file.clear();
  expect_tls_error(o);
}

TEST_F(EtcdTlsTest, UnreadableFilesAreTlsErrors) {
  auto o = good();
  o.ca_file = dir_ + "/missing.pem";
  auto c = etcd::connect(o);
  ASSERT_FALSE(c);
  EXPECT_TRUE(is_errc(c.error(), Errc::kTlsError));
  o = good();
  o.key_file = dir_ + "/server.ext";  // not PEM
  c = etcd::connect(o);
  ASSERT_FALSE(c);
  EXPECT_TRUE(is_errc(c.error(), Errc::kTlsError));
}

TEST_F(EtcdTlsTest, PlaintextToTlsPortFails) {
  etcd::Options o;
  o.endpoints = {"http://127.0.0.1:" + std::to_string(etcd_->client_port(0))};
  o.dial_timeout = 1s;
  auto c = etcd::connect(o);
  ASSERT_FALSE(c);
}

}  // namespace
}  // namespace coord::test
