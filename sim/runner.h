// runner.h: run one simulated workload and report what happened.
//
//   sim::RunConfig cfg{.workload = "mutex", .nodes = 5, .seed = 7,
//                      .faults = "partitions,crashes"};
//   sim::RunReport r = sim::run(cfg);
//   if (!r.ok) std::puts(r.replay.c_str());
//
// A run: setup; nodes start; faults play for `duration` of virtual time;
// every fault heals; the workload must then become live within
// `liveness_bound`; nodes stop; checkers give verdicts. The same config
// (seed included) and build give the same trace hash, bit for bit.
// Thread-safety: run() is self-contained; concurrent runs on different
// threads share nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/workload.h"

namespace coord::sim {

struct RunConfig {
  std::string workload = "kv";
  int nodes = 5;
  std::uint64_t seed = 1;
  // faults: comma-separated profiles (sim/faults.h). Default: none.
  std::string faults = "none";
  // duration of the fault phase in virtual time. Default: 10 s.
  Duration duration = std::chrono::seconds(10);
  // liveness_bound: virtual time allowed after the heal. Default: 30 s.
  Duration liveness_bound = std::chrono::seconds(30);
  // mutant: a deliberately broken variant (tests only). Default: none.
  std::string mutant;
  // ttl_seconds of the nodes' sessions. Default: 3.
  std::int64_t ttl_seconds = 3;
  // rate: offered operations per virtual second over all nodes, for
  // workloads that pace (kv); 0 = closed loop. Default: 0.
  double rate = 0;
  // record_trace keeps the trace's text (debugging). Default: false.
  bool record_trace = false;
};

struct RunReport {
  bool ok = false;               // every verdict ok
  std::string error;             // a bad config (unknown workload, profile)
  std::vector<Verdict> verdicts;
  std::uint64_t ops = 0;         // recipe operations completed
  std::uint64_t kv_ops = 0;      // KV calls the nodes sent
  std::uint64_t episodes = 0;    // fault episodes played
  double virtual_seconds = 0;    // from start to the end of liveness
  double throughput = 0;         // ops per virtual second
  double p50_ms = 0;             // virtual latency of recipe operations
  double p99_ms = 0;
  std::uint64_t trace_hash = 0;
  std::uint64_t trace_events = 0;
  std::vector<std::string> trace_lines;  // when record_trace
  std::string replay;            // one-line command that replays this run
};

// run runs cfg. A config error is reported in RunReport::error (ok false).
RunReport run(const RunConfig& cfg);

// replay_command returns `coord sim WORKLOAD --nodes N --seed S ...`.
std::string replay_command(const RunConfig& cfg);

// format_report renders verdicts, throughput and the trace hash as text.
std::string format_report(const RunReport& report);

// parse_duration reads "10s", "500ms", "2m", "1h" or plain seconds.
std::optional<Duration> parse_duration(const std::string& text);
// format_duration writes d as parse_duration reads it back.
std::string format_duration(Duration d);

}  // namespace coord::sim
