// workload.h: what a simulated workload provides, and the registry of them.
//
// A Workload is one recipe under test: the body every node runs (with its
// own client, sessions and recipes), an invariant checker that watches the
// history as it happens, a final check with oracle reads on the store, and
// a liveness condition that must hold within a virtual-time bound once
// faults heal. The runner (sim/runner.h) drives it: setup, nodes, faults,
// heal, liveness, check.
// Thread-safety: none; the world's thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/client.h"
#include "sim/node.h"

namespace coord::sim {

// Verdict is one checker's conclusion.
struct Verdict {
  std::string checker;  // "mutex.exclusion", "liveness", ...
  bool ok = true;
  std::string detail;   // the first violation, or a summary
};

// WorkloadOptions are the knobs a workload may read.
struct WorkloadOptions {
  int nodes = 5;
  // mutant selects a deliberately broken variant (tests only); "" = none.
  std::string mutant;
  // ttl_seconds of the sessions nodes create. Default: 3.
  std::int64_t ttl_seconds = 3;
  // rate is the offered load in operations per virtual second over all
  // nodes (paced); 0: every node loops as fast as it can. Only workloads
  // whose supports_rate() is true read it.
  double rate = 0;
};

class Workload {
 public:
  virtual ~Workload() = default;

  // setup runs once, before any node starts, on the direct client.
  virtual boost::asio::awaitable<void> setup(Client& direct) { co_return; }
  // run_node is the body of one incarnation of node. It returns when the
  // workload is finished or throws/returns early when the node crashes.
  virtual boost::asio::awaitable<void> run_node(Node& node) = 0;
  // heal tells the workload that faults stopped (start of the liveness
  // phase); time is the virtual time of the heal.
  virtual void heal() {}
  // supports_rate tells whether the workload paces itself to options.rate.
  virtual bool supports_rate() const { return false; }
  // live tells whether the liveness condition holds (checked after heal).
  virtual bool live() const = 0;
  // finish tells nodes to stop after their current operation.
  virtual void finish() { finishing_ = true; }
  // check returns the checkers' verdicts, using oracle reads on direct.
  virtual boost::asio::awaitable<std::vector<Verdict>> check(Client& direct) = 0;

  // fail records a violation seen while the run goes on (first one kept).
  void fail(std::string checker, std::string detail) {
    if (violation_.checker.empty()) violation_ = Verdict{std::move(checker), false, std::move(detail)};
  }
  const Verdict& violation() const { return violation_; }

  // record_op counts one completed recipe operation and its virtual latency.
  void record_op(Duration latency) {
    ++ops_;
    latencies_ns_.push_back(latency.count());
  }
  std::uint64_t ops() const { return ops_; }
  std::vector<std::int64_t>& latencies_ns() { return latencies_ns_; }

 protected:
  bool finishing_ = false;

 private:
  Verdict violation_;
  std::uint64_t ops_ = 0;
  std::vector<std::int64_t> latencies_ns_;
};

// WorkloadFactory makes a workload for one run.
using WorkloadFactory = std::function<std::unique_ptr<Workload>(World&, const WorkloadOptions&)>;

// register_workload adds name to the registry (call at static init time via
// CoordSimRegister, or from tests). Returns true.
bool register_workload(const std::string& name, WorkloadFactory factory);
// make_workload returns the named workload, or nullptr if unknown.
std::unique_ptr<Workload> make_workload(const std::string& name, World& world,
                                        const WorkloadOptions& options);
// workload_names lists the registered workloads, sorted.
std::vector<std::string> workload_names();

}  // namespace coord::sim
