// bench_main.h: the shared main() of the coord benchmark programs.
//
// run_benchmarks takes the program's own flags ("--etcd HOST:PORT", ...)
// out of argv into the strings `flags` names, hands the rest to Google
// Benchmark, registers the benchmarks and runs them. Returns main's exit
// status (1 for an argument Google Benchmark does not know).
// Thread-safety: call once, from main.
#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace coord::bench {

inline int run_benchmarks(int argc, char** argv, const std::map<std::string, std::string*>& flags,
                          const std::function<void()>& register_all) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    auto flag = flags.find(argv[i]);
    if (flag != flags.end() && i + 1 < argc) {
      *flag->second = argv[++i];
      continue;
    }
    rest.push_back(argv[i]);
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 1;
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace coord::bench
