#include <algorithm>
#include <map>

#include "sim/workload.h"
#include "sim/workloads/workloads.h"

namespace coord::sim {
namespace {

std::map<std::string, WorkloadFactory>& registry() {
  static std::map<std::string, WorkloadFactory> r = {
      {"barrier", make_barrier_workload},
      {"double_barrier", make_double_barrier_workload},
      {"kv", make_kv_workload},
      {"priority_queue", make_priority_queue_workload},
      {"queue", make_queue_workload},
      {"stm", make_stm_workload},
      {"election", make_election_workload},
      {"mutex", make_mutex_workload},
      {"rw_mutex", make_rw_mutex_workload},
      {"semaphore", make_semaphore_workload},
  };
  return r;
}

}  // namespace

bool register_workload(const std::string& name, WorkloadFactory factory) {
  registry()[name] = std::move(factory);
  return true;
}

std::unique_ptr<Workload> make_workload(const std::string& name, World& world,
                                        const WorkloadOptions& options) {
  auto it = registry().find(name);
  if (it == registry().end()) return nullptr;
  return it->second(world, options);
}

std::vector<std::string> workload_names() {
  std::vector<std::string> names;
  for (const auto& [name, f] : registry()) names.push_back(name);
  return names;
}

}  // namespace coord::sim
