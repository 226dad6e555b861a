#include "tests/cli/cli_fixture.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>

#ifdef COORD_CLI_TEST_ETCD
#include "tests/support/etcd_process.h"
#endif

namespace coord::test {

std::string etcd_backend() {
#ifdef COORD_CLI_TEST_ETCD
  static std::unique_ptr<EtcdCluster> etcd = EtcdCluster::start({});
  return "etcd://127.0.0.1:" + std::to_string(etcd->client_port(0));
#else
  return "";
#endif
}

std::string temp_dir(const std::string& name) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("coord-cli-test-" + std::to_string(::getpid()) + "-" + name + "-" +
              std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::vector<std::string> with_backend(std::vector<std::string> args, const std::string& backend) {
  args.push_back("--backend");
  args.push_back(backend);
  return args;
}

}  // namespace coord::test
