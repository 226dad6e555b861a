// coroutine_stm_example: coord::run_stm with coroutines, on an in-memory
// store (examples/stm_bank_example.cc is the blocking twin).
//
// A transfer commits in one txn; an apply that returns an error writes
// nothing; a conflicting write between the STM's read and its commit makes
// apply run again on fresh values; max_attempts bounds the retries.
// Usage: coroutine_stm_example   (exit status 0 when all of it happened)
#include <cstdio>
#include <string>

#include "backends/embedded/embedded.h"
#include "examples/example_coroutine.h"
#include "recipes/stm.h"

namespace {

coord::Task<void> demo(coord::Client& kv) {
  const char* accounts[] = {"accts/alice", "accts/bob"};
  for (const char* account : accounts) {
    auto r = co_await kv.put(account, "100");
    if (!r) co_return r.error();
  }

  long amount = 30;
  // Named, not a temporary inside co_await (g++ 12, sim/FINDINGS.md F2).
  coord::StmApply transfer = [&](coord::Stm& stm) -> coord::Task<void> {
    auto from = co_await stm.get("accts/alice");
    if (!from) co_return from.error();
    auto to = co_await stm.get("accts/bob");
    if (!to) co_return to.error();
    const long have = std::stol(*from);
    if (have < amount) co_return coord::make_error_code(coord::Errc::kInvalidArgument);
    stm.put("accts/alice", std::to_string(have - amount));
    stm.put("accts/bob", std::to_string(std::stol(*to) + amount));
    co_return coord::Result<void>{};
  };
  auto committed = co_await coord::run_stm(kv, transfer);
  if (!committed) co_return committed.error();
  std::printf("moved %ld from alice to bob at revision %lld\n", amount,
              static_cast<long long>(committed->header.revision));

  // apply's error aborts the run: nothing is written.
  amount = 500;
  auto refused = co_await coord::run_stm(kv, transfer);
  if (refused || !coord::is_errc(refused.error(), coord::Errc::kInvalidArgument)) {
    co_return examples::fail("an apply error must end the run");
  }
  auto alice = co_await kv.get("accts/alice");
  if (!alice || !*alice || (*alice)->value != "70") co_return examples::fail("alice must hold 70");
  std::printf("moving 500: %s; alice still has %s\n", refused.error().message().c_str(),
              (*alice)->value.c_str());

  // A write to a key the STM read, before it commits: the commit fails its
  // compare and apply runs again on the values the failed txn read back.
  int attempts = 0;
  coord::StmApply audit = [&](coord::Stm& stm) -> coord::Task<void> {
    ++attempts;
    auto a = co_await stm.get("accts/alice");
    if (!a) co_return a.error();
    if (attempts == 1) {
      auto other = co_await kv.put("accts/alice", "1000");  // another writer
      if (!other) co_return other.error();
    }
    stm.put("accts/audit", *a);
    co_return coord::Result<void>{};
  };
  auto audited = co_await coord::run_stm(kv, audit);
  if (!audited) co_return audited.error();
  auto seen = co_await kv.get("accts/audit");
  if (!seen || !*seen || (*seen)->value != "1000" || attempts != 2) {
    co_return examples::fail("a conflict must re-run apply on fresh values");
  }
  std::printf("audit: %d attempts, recorded alice = %s\n", attempts, (*seen)->value.c_str());

  // max_attempts bounds the runs: kRetryLimit.
  attempts = 0;
  coord::StmOptions once;
  once.max_attempts = 1;
  auto bounded = co_await coord::run_stm(kv, audit, once);
  if (bounded || !coord::is_errc(bounded.error(), coord::Errc::kRetryLimit)) {
    co_return examples::fail("max_attempts = 1 with a conflict must give kRetryLimit");
  }
  std::printf("with max_attempts = 1: %s\n", bounded.error().message().c_str());
  co_return coord::Result<void>{};
}

}  // namespace

int main() {
  auto kv = coord::embedded::open_memory();
  return examples::run_main(demo(*kv));
}
