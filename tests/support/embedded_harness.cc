// embedded_harness.cc: the embedded store's backends for parameterized
// suites: "memory" (RocksDB's memory env) and "disk" (a fresh temp dir,
// removed afterwards), both on a ManualClock.
#include <atomic>
#include <filesystem>
#include <random>
#include <unistd.h>

#include "api/manual_clock.h"
#include "backends/embedded/embedded.h"
#include "tests/support/harness.h"

namespace coord::test {
namespace {

namespace fs = std::filesystem;

class EmbeddedHarness final : public BackendHarness {
 public:
  explicit EmbeddedHarness(embedded::Options::Mode mode) {
    embedded::Options o;
    o.mode = mode;
    o.clock = &clock_;
    if (mode == embedded::Options::Mode::kDisk) {
      static std::atomic<int> counter{0};
      dir_ = fs::temp_directory_path() /
             ("coord-embedded-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
      fs::remove_all(dir_);
      o.path = dir_.string();
    }
    auto s = embedded::Store::open(std::move(o));
    if (!s) throw std::runtime_error("embedded store: " + s.error().message());
    store_ = std::move(*s);
    client_ = store_->client();
  }

  ~EmbeddedHarness() override {
    client_.reset();
    store_->close();
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  Client& client() override { return *client_; }
  std::shared_ptr<Client> new_client() override { return store_->client(); }
  bool manual_time() const override { return true; }
  void advance(Duration d) override {
    clock_.advance(d);
    store_->expire_due_leases();
  }

 private:
  ManualClock clock_;
  fs::path dir_;
  std::shared_ptr<embedded::Store> store_;
  std::shared_ptr<Client> client_;
};

}  // namespace

std::vector<BackendFactory> embedded_backends() {
  using Mode = embedded::Options::Mode;
  return {
      {"memory", [] { return std::make_unique<EmbeddedHarness>(Mode::kMemory); }},
      {"disk", [] { return std::make_unique<EmbeddedHarness>(Mode::kDisk); }},
  };
}

}  // namespace coord::test
