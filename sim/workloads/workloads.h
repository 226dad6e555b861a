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
// Mutants: "skip-wait" (lock does not wait), "unguarded" (writes not
// fenced by the ownership compare: caught under partitions/clock pauses).
std::unique_ptr<Workload> make_mutex_workload(World& world, const WorkloadOptions& options);

// election: nodes campaign, lead (guarded writes), resign; node 0 also
// observes. Checks one leader at a time (oracle), one winner per term,
// observed terms monotonic. Mutants: "skip-wait", "unguarded".
std::unique_ptr<Workload> make_election_workload(World& world, const WorkloadOptions& options);

// semaphore: nodes contend on a Semaphore of 3 permits; never more than 3
// holders (oracle). Mutants: "skip-wait".
std::unique_ptr<Workload> make_semaphore_workload(World& world, const WorkloadOptions& options);

// rw_mutex: readers and writers on one RWMutex; a reader never overlaps an
// older writer, a writer never overlaps an older key (oracle), guarded
// writes never lost or stale. Mutants: "skip-wait".
std::unique_ptr<Workload> make_rw_mutex_workload(World& world, const WorkloadOptions& options);

// queue / priority_queue: even nodes produce, odd nodes consume; exactly
// once, FIFO, priority order. Mutant: "delete-no-compare".
std::unique_ptr<Workload> make_queue_workload(World& world, const WorkloadOptions& options);
std::unique_ptr<Workload> make_priority_queue_workload(World& world,
                                                       const WorkloadOptions& options);

// stm: transfers between accounts; conservation and no lost commit.
// Mutant: "read-committed".
std::unique_ptr<Workload> make_stm_workload(World& world, const WorkloadOptions& options);

// barrier: nobody passes early, everybody passes after the release.
// Mutant: "no-wait". double_barrier: enter and leave together. Mutant:
// "early-enter".
std::unique_ptr<Workload> make_barrier_workload(World& world, const WorkloadOptions& options);
std::unique_ptr<Workload> make_double_barrier_workload(World& world,
                                                       const WorkloadOptions& options);

}  // namespace coord::sim
