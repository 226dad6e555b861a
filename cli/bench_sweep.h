// bench_sweep.h: single bench runs, sweeps over worker counts, and the SVG
// chart of a sweep.
// Thread-safety: main thread only.
#pragma once

#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/backend.h"
#include "cli/bench.h"

namespace coord::cli {

// run_bench_once runs config on a freshly opened spec. Throws Failure.
BenchResult run_bench_once(const BackendSpec& spec, const BenchConfig& config);

// run_bench_sim runs config in the deterministic simulator (virtual time).
BenchResult run_bench_sim(const BenchConfig& config);

// sweep_flags lists the flags of --sweep.
std::vector<FlagSpec> sweep_flags();

// run_sweep runs config for every worker count of --sweep-workers on every
// backend of --backends (default: --backend), prints one JSON line per run
// and writes the chart to --chart. Returns the exit code.
int run_sweep(const ParsedArgs& args, BenchConfig config);

// ChartSeries is one backend's line in a chart.
struct ChartSeries {
  std::string name;
  std::vector<double> x, y;
};

// render_chart returns an SVG document with one panel per (title, series)
// pair: axes, ticks, one polyline per series (log2 x axis), a legend.
std::string render_chart(const std::string& title,
                         const std::vector<std::pair<std::string, std::vector<ChartSeries>>>& panels);

}  // namespace coord::cli
