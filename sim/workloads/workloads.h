// workloads.h: the built-in workloads, one per recipe, each with checkers.
//
// Each factory makes a fresh workload for one run. Mutants (deliberately
// broken variants the checkers must catch) are chosen with
// WorkloadOptions::mutant; each workload's file lists its mutants.
// Thread-safety: none; the world's thread only.
#pragma once

#include <memory>

#include "sim/workload.h"

namespace coord::sim {

// kv: CAS counter increments; checks no lost update and the final count.
// Mutants: "blind" (increments without the compare).
std::unique_ptr<Workload> make_kv_workload(World& world, const WorkloadOptions& options);

// mutex: nodes contend on one Mutex; exclusion oracle and guarded writes.
// Mutants: "skip-wait", "unguarded".
std::unique_ptr<Workload> make_mutex_workload(World& world, const WorkloadOptions& options);

// semaphore: nodes contend on a Semaphore of 3 permits; never more than 3
// holders (oracle). Mutants: "skip-wait".
std::unique_ptr<Workload> make_semaphore_workload(World& world, const WorkloadOptions& options);

}  // namespace coord::sim
