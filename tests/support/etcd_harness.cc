// etcd_harness.cc: the "etcd" backend of the parameterized suites.
//
// One single-member etcd serves every test of a binary (started on first
// use, killed at exit): revisions can not be reset, so each harness starts
// from an empty keyspace instead: it deletes every key and revokes every
// lease before the test runs. Time is real; advance() sleeps.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "backends/etcd/etcd_client.h"
#include "tests/support/etcd_process.h"
#include "tests/support/harness.h"

namespace coord::test {
namespace {

EtcdCluster& shared_etcd() {
  static std::unique_ptr<EtcdCluster> etcd = EtcdCluster::start({});
  return *etcd;
}

std::shared_ptr<Client> connect_or_throw() {
  auto c = etcd::connect(shared_etcd().options());
  if (!c) throw std::runtime_error("connect to the test etcd failed: " + c.error().message());
  return *c;
}

// server_at_least tells whether the fixture's etcd binary (`etcd
// --version`) is at least major.minor.patch.
bool server_at_least(int major, int minor, int patch) {
  static const std::array<int, 3> have = [] {
    std::array<int, 3> v{0, 0, 0};
    if (FILE* p = ::popen("etcd --version 2>/dev/null", "r")) {
      if (std::fscanf(p, "etcd Version: %d.%d.%d", &v[0], &v[1], &v[2]) != 3) v = {0, 0, 0};
      ::pclose(p);
    }
    return v;
  }();
  return have >= std::array<int, 3>{major, minor, patch};
}

// wipe deletes every key and revokes every lease.
void wipe(Client& kv) {
  boost::asio::io_context io;
  bool ok = false;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        auto leases = co_await kv.lease_leases();
        if (!leases) co_return;
        for (LeaseId id : leases->leases) (void)co_await kv.lease_revoke(id);
        DeleteRequest all;
        all.key = std::string(1, '\0');
        all.range_end = std::string(1, '\0');
        ok = static_cast<bool>(co_await kv.delete_range(all));
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  if (!ok) throw std::runtime_error("could not wipe the test etcd");
}

class EtcdHarness final : public BackendHarness {
 public:
  EtcdHarness() : client_(connect_or_throw()) { wipe(*client_); }

  Client& client() override { return *client_; }
  std::shared_ptr<Client> new_client() override { return connect_or_throw(); }
  bool manual_time() const override { return false; }
  bool keeps_tombstone_at_compaction() const override { return server_at_least(3, 5, 15); }
  void advance(Duration d) override { std::this_thread::sleep_for(d); }

 private:
  std::shared_ptr<Client> client_;
};

}  // namespace

std::vector<BackendFactory> etcd_backends() {
  return {BackendFactory{"etcd", [] { return std::make_unique<EtcdHarness>(); }}};
}

}  // namespace coord::test
