// bench_kv.cc: the raw KV workloads: put and txn (a compare-and-swap
// increment, retried on conflict).
#include <string>

#include "api/txn.h"
#include "cli/bench.h"

namespace coord::cli {
namespace {

using boost::asio::awaitable;
constexpr int kCounters = 16;

// count_keys counts the keys under prefix.
awaitable<Result<std::int64_t>> count_keys(Client& c, const std::string& prefix) {
  RangeRequest req = RangeRequest::prefix(prefix);
  req.count_only = true;
  auto r = co_await c.range(std::move(req));
  if (!r) co_return r.error();
  co_return r->count;
}

// increment adds one to counter key by read + compare-and-swap; returns
// false when the CAS lost (the caller retries).
awaitable<Result<bool>> try_increment(Client& c, const std::string& key) {
  using boost::system::in_place_error;
  auto got = co_await c.get(key);
  if (!got) co_return Result<bool>(in_place_error, got.error());
  std::int64_t value = 0;
  Revision mod = 0;
  if (*got) {
    value = std::stoll((*got)->value);
    mod = (*got)->mod_revision;
  }
  TxnRequest t;
  t.compare.push_back(Compare::mod_revision(key) == mod);
  t.success.push_back(Op::put(key, std::to_string(value + 1)));
  auto r = co_await c.txn(std::move(t));
  if (!r) co_return Result<bool>(in_place_error, r.error());
  co_return r->succeeded;
}

}  // namespace

awaitable<Result<Check>> bench_put(BenchEnv& env) {
  auto r = co_await run_parallel(env.executor, env.config.workers,
                                 [&](std::size_t w) -> awaitable<Result<void>> {
    Client& c = env.client_for(w);
    while (true) {
      const std::int64_t op = env.next_op.fetch_add(1);
      if (op >= env.config.n) break;
      Stopwatch sw;
      auto p = co_await c.put(env.prefix + "k/" + std::to_string(op), "value");
      if (!p) co_return p.error();
      env.recorder.add(sw.elapsed());
    }
    co_return Result<void>{};
  });
  if (!r) co_return r.error();
  auto n = co_await count_keys(*env.clients[0], env.prefix + "k/");
  if (!n) co_return n.error();
  if (*n != env.config.n) {
    co_return "lost writes: " + std::to_string(*n) + " keys for " +
        std::to_string(env.config.n) + " puts";
  }
  co_return Check("ok");
}

awaitable<Result<Check>> bench_txn(BenchEnv& env) {
  auto r = co_await run_parallel(env.executor, env.config.workers,
                                 [&](std::size_t w) -> awaitable<Result<void>> {
    Client& c = env.client_for(w);
    while (true) {
      const std::int64_t op = env.next_op.fetch_add(1);
      if (op >= env.config.n) break;
      const std::string key = env.prefix + "counter/" + std::to_string(op % kCounters);
      Stopwatch sw;
      while (true) {
        auto ok = co_await try_increment(c, key);
        if (!ok) co_return ok.error();
        if (*ok) break;
      }
      env.recorder.add(sw.elapsed());
    }
    co_return Result<void>{};
  });
  if (!r) co_return r.error();
  auto all = co_await env.clients[0]->range(RangeRequest::prefix(env.prefix + "counter/"));
  if (!all) co_return all.error();
  std::int64_t sum = 0;
  for (const auto& kv : all->kvs) sum += std::stoll(kv.value);
  if (sum != env.config.n) {
    co_return "lost increments: counters sum to " + std::to_string(sum) + " after " +
        std::to_string(env.config.n) + " committed CAS increments";
  }
  co_return Check("ok");
}

}  // namespace coord::cli
