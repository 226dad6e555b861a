// harness.h: what every backend-parameterized test runs against.
//
// A BackendHarness is one fresh backend instance (an empty store, or an
// etcd server started for the test) plus a way to move its time:
// advance(d) moves a ManualClock at once (embedded) or sleeps for real
// (etcd). Suites are parameterized over all_backends(), so a case written
// once runs on every backend:
//
//   class QueueTest : public coord::test::BackendTest {};
//   TEST_P(QueueTest, DequeueReturnsItemsInOrder) {
//     auto& kv = client();
//     run([&]() -> coord::Task<void> { ... });
//   }
//   COORD_INSTANTIATE_BACKENDS(QueueTest);
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <ostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/client.h"

namespace coord::test {

class BackendHarness {
 public:
  virtual ~BackendHarness() = default;
  // client returns the test's main client.
  virtual Client& client() = 0;
  // new_client returns another, independent client of the same store.
  virtual std::shared_ptr<Client> new_client() = 0;
  // manual_time tells whether advance() is instant (a ManualClock).
  virtual bool manual_time() const = 0;
  // keeps_tombstone_at_compaction tells whether a watch from exactly the
  // compaction revision still delivers a DELETE at that revision. etcd
  // before 3.5.15 drops it (etcd #18089); coord's embedded store and later
  // etcd keep it.
  virtual bool keeps_tombstone_at_compaction() const { return true; }
  // advance moves the backend's time by d (sleeping for real if needed).
  virtual void advance(Duration d) = 0;
};

struct BackendFactory {
  std::string name;  // gtest parameter name: "memory", "disk", "etcd"
  std::function<std::unique_ptr<BackendHarness>()> make;
};

// PrintTo shows a BackendFactory by name in gtest's output (and so in the
// test names ctest lists).
inline void PrintTo(const BackendFactory& f, std::ostream* os) { *os << f.name; }

// all_backends lists every backend compiled in (embedded memory and disk,
// etcd when built with it).
const std::vector<BackendFactory>& all_backends();

// run_coro runs coro on io until it finishes, polling: while it waits on a
// ManualClock nothing moves unless the test calls advance() from tick.
// Returns false if it did not finish within `budget` of real time.
bool run_until_done(boost::asio::io_context& io, const bool& done,
                    std::chrono::milliseconds budget = std::chrono::seconds(30));

// BackendTest is a fixture parameterized over all_backends().
class BackendTest : public ::testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override { harness_ = GetParam().make(); }
  void TearDown() override { harness_.reset(); }

  Client& client() { return harness_->client(); }
  BackendHarness& harness() { return *harness_; }
  boost::asio::io_context& io() { return io_; }

  // run runs the coroutine made by body to completion on io() and returns
  // its value. Fails the test if it does not finish within `budget`.
  template <typename T>
  T run(std::function<boost::asio::awaitable<T>()> body,
        std::chrono::milliseconds budget = std::chrono::seconds(60)) {
    std::optional<T> out;
    bool done = false;
    std::exception_ptr error;
    boost::asio::co_spawn(io_, body(), [&](std::exception_ptr e, T v) {
      error = e;
      out.emplace(std::move(v));
      done = true;
    });
    bool finished = run_until_done(io_, done, budget);
    if (error) std::rethrow_exception(error);
    EXPECT_TRUE(finished) << "coroutine did not finish in time";
    if (!finished) throw std::runtime_error("coroutine did not finish in time");
    return std::move(*out);
  }
  void run_void(std::function<boost::asio::awaitable<void>()> body,
                std::chrono::milliseconds budget = std::chrono::seconds(60));

 private:
  boost::asio::io_context io_;
  std::unique_ptr<BackendHarness> harness_;
};

}  // namespace coord::test

#define COORD_INSTANTIATE_BACKENDS(Suite)                                  \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                \
                           ::testing::ValuesIn(::coord::test::all_backends()), \
                           [](const auto& info) { return info.param.name; })
