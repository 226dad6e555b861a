// kv_bench: the KV contract's hot paths on every backend: single-key put,
// compare-and-swap txn, single-key range, and watch-notify latency, with 1
// and 16 concurrent callers (coroutines on one io_context thread, so "16
// writers" means 16 requests in flight, as 16 goroutines would have).
//
// Backends: memory (RocksDB memory env), durable (disk, fsync with group
// commit), buffered (disk, no fsync) and, with --etcd HOST:PORT (or
// COORD_BENCH_ETCD), a real etcd. Every benchmark reports items_per_second
// and the per-op latency percentiles p50_us / p99_us as counters.
//
//   kv_bench --benchmark_format=json [--etcd 127.0.0.1:2379] [--dir /tmp/x]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/client.h"
#include "backends/embedded/embedded.h"
#include "backends/etcd/etcd_client.h"
#include "bench/bench_main.h"

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using coord::Client;

std::string g_etcd;                               // --etcd endpoint(s)
std::string g_dir = "/tmp/coord-kv-bench";        // --dir for disk stores
std::map<std::string, std::shared_ptr<Client>> g_clients;

std::shared_ptr<Client> open_embedded(coord::embedded::Options::Mode mode, bool durable,
                                      const std::string& sub) {
  coord::embedded::Options o;
  o.mode = mode;
  o.durable = durable;
  if (mode == coord::embedded::Options::Mode::kDisk) {
    o.path = g_dir + "/" + sub;
    std::filesystem::remove_all(o.path);
    std::filesystem::create_directories(o.path);
  }
  auto store = coord::embedded::Store::open(o);
  if (!store) return nullptr;
  return (*store)->client();
}

// client returns the (cached) client of a backend; nullptr if unavailable.
std::shared_ptr<Client> client(const std::string& backend) {
  if (auto it = g_clients.find(backend); it != g_clients.end()) return it->second;
  using Mode = coord::embedded::Options::Mode;
  std::shared_ptr<Client> c;
  if (backend == "memory") c = open_embedded(Mode::kMemory, false, "");
  if (backend == "durable") c = open_embedded(Mode::kDisk, true, "durable");
  if (backend == "buffered") c = open_embedded(Mode::kDisk, false, "buffered");
  if (backend == "etcd") {
    coord::etcd::Options o;
    o.endpoints = {g_etcd};
    auto r = coord::etcd::connect(o);
    if (r) c = *r;
  }
  g_clients[backend] = c;
  return c;
}

// rethrow completes a benchmark coroutine: an exception is a bug.
void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

// Op is one timed operation of a worker: op(worker, i) for the i-th op.
using Op = std::function<asio::awaitable<bool>(Client&, int worker, std::int64_t i)>;

// run_batch runs `ops` operations spread over `workers` coroutines on one
// io_context and appends each op's latency (ns). Returns false on an error.
bool run_batch(Client& c, int workers, std::int64_t ops, const Op& op,
               std::vector<std::int64_t>& lat) {
  asio::io_context io;
  std::int64_t next = 0;
  bool ok = true;
  for (int w = 0; w < workers; ++w) {
    asio::co_spawn(io, [&, w]() -> asio::awaitable<void> {
      while (ok && next < ops) {
        const std::int64_t i = next++;
        const auto t0 = Clock::now();
        if (!co_await op(c, w, i)) ok = false;
        lat.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
      }
    }, rethrow);
  }
  io.run();
  return ok;
}

void report(benchmark::State& state, std::vector<std::int64_t>& lat, std::int64_t ops) {
  state.SetItemsProcessed(ops);
  if (lat.empty()) return;
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) { return lat[static_cast<std::size_t>(p * (lat.size() - 1))] / 1e3; };
  state.counters["p50_us"] = pct(0.50);
  state.counters["p99_us"] = pct(0.99);
}

// bench_ops runs op in batches of kBatch per benchmark iteration.
void bench_ops(benchmark::State& state, const std::string& backend, const Op& op) {
  auto c = client(backend);
  if (!c) {
    state.SkipWithError(("backend " + backend + " unavailable").c_str());
    return;
  }
  const int workers = static_cast<int>(state.range(0));
  constexpr std::int64_t kBatch = 512;
  std::vector<std::int64_t> lat;
  std::int64_t ops = 0;
  for (auto _ : state) {
    if (!run_batch(*c, workers, kBatch, op, lat)) {
      state.SkipWithError("an operation failed");
      return;
    }
    ops += kBatch;
  }
  report(state, lat, ops);
}

std::string key_of(const char* prefix, int worker, std::int64_t i) {
  return std::string(prefix) + std::to_string(worker) + "/" + std::to_string(i % 1024);
}

asio::awaitable<bool> put_op(Client& c, int w, std::int64_t i) {
  auto r = co_await c.put(key_of("bench/put/", w, i), "value-of-sixteen");
  co_return static_cast<bool>(r);
}

// cas_op is a compare-and-swap on the worker's own counter key: compare
// the mod revision read last time, then put (the classic CAS txn).
asio::awaitable<bool> cas_op(Client& c, int w, std::int64_t i) {
  const std::string key = "bench/cas/" + std::to_string(w);
  auto cur = co_await c.get(key);
  if (!cur) co_return false;
  coord::TxnRequest t;
  const coord::Revision mod = *cur ? (*cur)->mod_revision : 0;
  t.compare.push_back(coord::Compare::mod_revision(key) == mod);
  t.success.push_back(coord::Op::put(key, std::to_string(i)));
  auto r = co_await c.txn(std::move(t));
  co_return r && r->succeeded;
}

asio::awaitable<bool> range_op(Client& c, int w, std::int64_t i) {
  auto r = co_await c.get(key_of("bench/put/", 0, i));
  co_return static_cast<bool>(r);
}

void BM_Put(benchmark::State& s, std::string b) { bench_ops(s, b, put_op); }
void BM_CasTxn(benchmark::State& s, std::string b) { bench_ops(s, b, cas_op); }
void BM_Range(benchmark::State& s, std::string b) {
  auto c = client(b);
  if (c) {  // make sure the keys read exist
    std::vector<std::int64_t> lat;
    run_batch(*c, 1, 1024, put_op, lat);
  }
  bench_ops(s, b, range_op);
}

// BM_WatchNotify measures put -> the watcher's event, one put at a time.
void BM_WatchNotify(benchmark::State& state, std::string backend) {
  auto c = client(backend);
  if (!c) {
    state.SkipWithError(("backend " + backend + " unavailable").c_str());
    return;
  }
  asio::io_context io;
  std::vector<std::int64_t> lat;
  bool ok = true;
  std::int64_t ops = 0;
  auto body = [&]() -> asio::awaitable<void> {
    auto w = co_await c->watch(coord::WatchRequest::single("bench/watch"));
    if (!w) {
      ok = false;
      co_return;
    }
    for (auto _ : state) {
      const auto t0 = Clock::now();
      auto p = co_await c->put("bench/watch", std::to_string(ops));
      auto ev = co_await (*w)->next();
      while (ev && ev->events.empty()) ev = co_await (*w)->next();  // progress
      if (!p || !ev) {
        ok = false;
        break;
      }
      lat.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
      ++ops;
    }
  };
  asio::co_spawn(io, body, rethrow);
  io.run();
  if (!ok) state.SkipWithError("watch failed");
  report(state, lat, ops);
}

void register_all() {
  std::vector<std::string> backends = {"memory", "durable", "buffered"};
  if (!g_etcd.empty()) backends.push_back("etcd");
  for (const auto& b : backends) {
    for (auto [name, fn] : {std::pair{"Put", &BM_Put}, std::pair{"CasTxn", &BM_CasTxn},
                            std::pair{"Range", &BM_Range}}) {
      benchmark::RegisterBenchmark((std::string(name) + "/" + b).c_str(), fn, b)
          ->ArgName("writers")
          ->Arg(1)
          ->Arg(16)
          ->UseRealTime();
    }
    benchmark::RegisterBenchmark(("WatchNotify/" + b).c_str(), BM_WatchNotify, b)->UseRealTime();
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (const char* e = std::getenv("COORD_BENCH_ETCD")) g_etcd = e;
  const int status = coord::bench::run_benchmarks(
      argc, argv, {{"--etcd", &g_etcd}, {"--dir", &g_dir}}, register_all);
  g_clients.clear();
  std::filesystem::remove_all(g_dir);
  return status;
}
