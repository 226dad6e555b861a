// Many threads share one store: every write gets its own revision, the
// revisions have no gaps, and a watcher sees them all, in order.
#include <gtest/gtest.h>

#include <thread>

#include "api/blocking.h"
#include "api/txn.h"
#include "backends/embedded/embedded.h"
#include "tests/backends/embedded/test_util.h"

namespace coord::test {
namespace {

using embedded::Options;

void hammer(Options::Mode mode, const std::string& path, int writes) {
  Options o;
  o.mode = mode;
  o.path = path;
  auto store = value(embedded::Store::open(o), "open");
  auto kv = store->client();
  auto watch = run_sync(kv->watch(WatchRequest::prefix("", 1)));
  ASSERT_TRUE(watch.has_value());
  constexpr int kThreads = 8;
  const int kWrites = writes;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto mine = store->client();
      for (int i = 0; i < kWrites; ++i) {
        // Half blind puts, half CAS increments of a shared counter.
        auto r = run_sync(mine->put("t" + std::to_string(t) + "/" + std::to_string(i), "v"));
        if (!r) ++failures;
        for (;;) {
          auto cur = run_sync(mine->get("counter"));
          if (!cur) { ++failures; break; }
          const Revision mod = *cur ? (*cur)->mod_revision : 0;
          const int n = *cur ? std::stoi((*cur)->value) : 0;
          TxnRequest txn;
          txn.compare.push_back(Compare::mod_revision("counter") == mod);
          txn.success.push_back(Op::put("counter", std::to_string(n + 1)));
          auto tr = run_sync(mine->txn(std::move(txn)));
          if (!tr) { ++failures; break; }
          if (tr->succeeded) break;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const Revision total = 2 * kThreads * kWrites + 1;  // from revision 1
  EXPECT_EQ(store->revision(), total);
  auto counter = run_sync(kv->get("counter"));
  ASSERT_TRUE(counter && *counter);
  EXPECT_EQ((*counter)->value, std::to_string(kThreads * kWrites));
  Revision expect = 2;
  while (expect <= total) {
    auto r = run_sync((*watch)->next());
    ASSERT_TRUE(r.has_value());
    for (const auto& e : r->events) {
      ASSERT_EQ(e.kv.mod_revision, expect) << "gap or reorder";
      ++expect;
    }
  }
}

TEST(ConcurrencyTest, ThreadsSharingAMemoryStoreGetGaplessRevisions) {
  hammer(Options::Mode::kMemory, "", 200);
}

TEST(ConcurrencyTest, ThreadsSharingADurableStoreGetGaplessRevisions) {
  TempDir dir;
  hammer(Options::Mode::kDisk, dir.path(), 30);
}

}  // namespace
}  // namespace coord::test
