#include "sim/runner.h"

#include <algorithm>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <cinttypes>
#include <cstdio>

#include "sim/faults.h"

namespace coord::sim {
namespace asio = boost::asio;

namespace {

// run_task runs one world-level coroutine to completion (or until `limit`).
void run_task(World& world, asio::awaitable<void> task, Duration limit) {
  bool done = false;
  asio::co_spawn(world.executor(), std::move(task), [&done](std::exception_ptr e) {
    done = true;
    if (e) std::rethrow_exception(e);
  });
  world.run_until(world.clock().now() + limit, [&done] { return done; });
}

double percentile_ms(std::vector<std::int64_t>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]) / 1e6;
}

struct Nodes {
  std::vector<std::unique_ptr<Node>> owned;
  std::vector<Node*> ptrs;
};

Nodes make_nodes(World& world, Workload& wl, int count) {
  Nodes nodes;
  auto body = [&wl](Node& n) { return wl.run_node(n); };
  auto on_failure = [&wl](Node& n, const std::string& what) {
    wl.fail("no-exception", "node " + std::to_string(n.id()) + ": " + what);
  };
  for (int i = 0; i < count; ++i) {
    nodes.owned.push_back(std::make_unique<Node>(world, body, on_failure));
    nodes.ptrs.push_back(nodes.owned.back().get());
  }
  return nodes;
}

// play runs the fault phase, heals, and waits for liveness; true if live.
bool play(World& world, Workload& wl, Nodes& nodes, const FaultSet& faults,
          const RunConfig& cfg, std::uint64_t& episodes) {
  auto failed = [&wl] { return !wl.violation().ok; };
  faults.apply_network(world.net());
  for (Node* n : nodes.ptrs) n->start();
  FaultInjector injector(world, nodes.ptrs, faults);
  asio::cancellation_signal stop;
  asio::co_spawn(world.executor(), injector.run(),
                 asio::bind_cancellation_slot(stop.slot(), [](std::exception_ptr) {}));
  world.run_until(world.clock().now() + cfg.duration, failed);
  stop.emit(asio::cancellation_type::terminal);
  injector.heal_all();
  episodes = injector.episodes();
  wl.heal();
  world.run_until(world.clock().now() + cfg.liveness_bound,
                  [&] { return failed() || wl.live(); });
  return wl.live();
}

}  // namespace

RunReport run(const RunConfig& cfg) {
  RunReport rep;
  rep.replay = replay_command(cfg);
  auto faults = FaultSet::parse(cfg.faults);
  if (!faults) {
    rep.error = "unknown fault profile in '" + cfg.faults + "'";
    return rep;
  }
  World world(cfg.seed, cfg.record_trace);
  WorkloadOptions opts{cfg.nodes, cfg.mutant, cfg.ttl_seconds, cfg.rate};
  auto wl = make_workload(cfg.workload, world, opts);
  if (!wl) {
    rep.error = "unknown workload '" + cfg.workload + "'";
    return rep;
  }
  if (cfg.rate < 0 || (cfg.rate > 0 && !wl->supports_rate())) {
    rep.error = cfg.rate < 0 ? "the rate must not be negative"
                             : "workload '" + cfg.workload + "' does not pace to a rate";
    return rep;
  }
  auto direct = world.store_client();
  run_task(world, wl->setup(*direct), std::chrono::hours(1));
  Nodes nodes = make_nodes(world, *wl, cfg.nodes);
  const TimePoint t0 = world.clock().now();
  const bool live = play(world, *wl, nodes, *faults, cfg, rep.episodes);
  const TimePoint t1 = world.clock().now();
  wl->finish();
  for (Node* n : nodes.ptrs) n->crash();
  world.run_until(world.clock().now());
  run_task(world, [&]() -> asio::awaitable<void> { rep.verdicts = co_await wl->check(*direct); }(),
           std::chrono::hours(1));
  if (!wl->violation().ok) rep.verdicts.insert(rep.verdicts.begin(), wl->violation());
  rep.verdicts.push_back(Verdict{"liveness", live,
                                 live ? "live after heal" : "not live within the bound"});
  rep.ok = std::all_of(rep.verdicts.begin(), rep.verdicts.end(), [](auto& v) { return v.ok; });
  rep.ops = wl->ops();
  rep.kv_ops = world.kv_ops();
  rep.virtual_seconds = std::chrono::duration<double>(t1 - t0).count();
  rep.throughput = rep.virtual_seconds > 0 ? static_cast<double>(rep.ops) / rep.virtual_seconds : 0;
  rep.p50_ms = percentile_ms(wl->latencies_ns(), 0.50);
  rep.p99_ms = percentile_ms(wl->latencies_ns(), 0.99);
  world.event("end", -1, rep.ok ? 1 : 0, static_cast<std::int64_t>(rep.ops));
  rep.trace_hash = world.trace().hash();
  rep.trace_events = world.trace().events();
  rep.trace_lines = world.trace().lines();
  return rep;
}

std::string replay_command(const RunConfig& cfg) {
  std::string s = "coord sim " + cfg.workload + " --nodes " + std::to_string(cfg.nodes) +
                  " --seed " + std::to_string(cfg.seed) + " --faults " + cfg.faults +
                  " --duration " + format_duration(cfg.duration);
  if (cfg.mutant.size()) s += " --mutant " + cfg.mutant;
  if (cfg.ttl_seconds != 3) s += " --ttl " + std::to_string(cfg.ttl_seconds);
  if (cfg.rate > 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", cfg.rate);
    s += std::string(" --rate ") + buf;
  }
  return s;
}

std::string format_report(const RunReport& r) {
  std::string out;
  char buf[256];
  if (!r.error.empty()) return "error: " + r.error + "\n";
  for (const auto& v : r.verdicts) {
    out += (v.ok ? "  ok    " : "  FAIL  ") + v.checker + ": " + v.detail + "\n";
  }
  std::snprintf(buf, sizeof buf,
                "ops=%" PRIu64 " kv_ops=%" PRIu64 " faults=%" PRIu64
                " virtual=%.3fs throughput=%.1f ops/s p50=%.3fms p99=%.3fms\n",
                r.ops, r.kv_ops, r.episodes, r.virtual_seconds, r.throughput, r.p50_ms,
                r.p99_ms);
  out += buf;
  std::snprintf(buf, sizeof buf, "trace-hash=%016" PRIx64 " events=%" PRIu64 "\n", r.trace_hash,
                r.trace_events);
  out += buf;
  out += r.ok ? "verdict: PASS\n" : "verdict: FAIL\nreplay: " + r.replay + "\n";
  return out;
}

std::optional<Duration> parse_duration(const std::string& text) {
  std::size_t pos = 0;
  double v = 0;
  try {
    v = std::stod(text, &pos);
  } catch (...) {
    return std::nullopt;
  }
  const std::string unit = text.substr(pos);
  double scale = 1e9;
  if (unit == "ms") scale = 1e6;
  else if (unit == "us") scale = 1e3;
  else if (unit == "m") scale = 60e9;
  else if (unit == "h") scale = 3600e9;
  else if (unit != "s" && !unit.empty()) return std::nullopt;
  if (v < 0) return std::nullopt;
  return Duration(static_cast<std::int64_t>(v * scale));
}

std::string format_duration(Duration d) {
  const auto ns = d.count();
  if (ns % 1'000'000'000 == 0) return std::to_string(ns / 1'000'000'000) + "s";
  if (ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
  return std::to_string(ns / 1000) + "us";
}

}  // namespace coord::sim
