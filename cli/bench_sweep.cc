// bench_sweep.cc: `coord bench WORKLOAD --sweep`: worker counts × backends,
// one JSON line per run, a progress line on a terminal, an SVG chart.
#include "cli/bench_sweep.h"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/failure.h"

namespace coord::cli {
namespace {

std::vector<int> parse_worker_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    out.push_back(static_cast<int>(parse_int(item, "--sweep-workers item", 1, 4096)));
  }
  if (out.empty()) throw usage_error("--sweep-workers needs at least one count");
  return out;
}

std::vector<BackendSpec> parse_backend_list(const ParsedArgs& args) {
  if (!args.has("backends")) return {parse_backend(args)};
  std::vector<BackendSpec> out;
  std::stringstream in(*args.get("backends"));
  for (std::string item; in >> item;) out.push_back(parse_backend_text(item));
  if (out.empty()) throw usage_error("--backends needs at least one backend");
  return out;
}

// Progress shows "[k/total] workload on backend, W workers" on a terminal.
class Progress {
 public:
  explicit Progress(int total) : total_(total), tty_(::isatty(2) == 1) {}
  void step(const std::string& what) {
    ++done_;
    if (tty_) std::cerr << "\r\033[K[" << done_ << "/" << total_ << "] " << what << std::flush;
  }
  void finish() {
    if (tty_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  int total_;
  int done_ = 0;
  bool tty_;
};

}  // namespace

std::vector<FlagSpec> sweep_flags() {
  return {
      {"sweep", false, "run a range of worker counts and write a chart"},
      {"sweep-workers", true, "worker counts of --sweep (default 1,2,4,8,16,32)"},
      {"backends", true, "space-separated backends of --sweep (default: --backend)"},
      {"chart", true, "chart file of --sweep (default bench-WORKLOAD.svg)"},
  };
}

int run_sweep(const ParsedArgs& args, BenchConfig config) {
  const auto counts = parse_worker_list(args.get_or("sweep-workers", "1,2,4,8,16,32"));
  const auto backends = parse_backend_list(args);
  const std::string chart = args.get_or("chart", "bench-" + config.workload + ".svg");
  Progress progress(static_cast<int>(counts.size() * backends.size()));
  std::vector<ChartSeries> throughput, p99;
  bool all_ok = true;
  for (const auto& spec : backends) {
    ChartSeries t{spec.display(), {}, {}}, p{spec.display(), {}, {}};
    for (int w : counts) {
      progress.step(config.workload + " on " + spec.display() + ", " + std::to_string(w) +
                    " workers");
      config.workers = w;
      BenchResult r = run_bench_once(spec, config);
      progress.finish();
      std::cout << r.json() << std::endl;
      all_ok = all_ok && r.check == "ok";
      t.x.push_back(w), t.y.push_back(r.ops_per_s());
      p.x.push_back(w), p.y.push_back(r.p99_ms);
    }
    throughput.push_back(std::move(t));
    p99.push_back(std::move(p));
  }
  std::ofstream out(chart);
  out << render_chart("coord bench " + config.workload + " (n=" + std::to_string(config.n) +
                          ", clients=" + std::to_string(config.clients) + ")",
                      {{"throughput (ops/s)", throughput}, {"p99 latency (ms)", p99}});
  if (!out) throw Failure("cannot write chart '" + chart + "'");
  std::cerr << "chart written to " << chart << "\n";
  return all_ok ? kOkExit : kCheckExit;
}

}  // namespace coord::cli
