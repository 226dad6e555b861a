// storage.h: the embedded store's RocksDB persistence (private).
//
// Storage keeps three kinds of records: one per key version (keyed by main
// and sub revision, so replaying them in key order rebuilds the index), one
// per live lease (its granted TTL), and meta values (current revision,
// compaction point, lease id counter). A Batch is written atomically, so a
// txn is never half-applied on disk. RocksDB stays private to storage.cc.
// Thread-safety: write() and sync() may run concurrently (RocksDB allows a
// WAL sync beside writes); open/load are single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/errc.h"
#include "backends/embedded/detail/mvcc.h"

namespace coord::embedded::detail {

// Batch collects the records of one atomic write.
class Batch {
 public:
  void put_version(const std::string& key, const Version& v);
  void erase_version(Revision rev, std::int32_t sub);
  void put_lease(LeaseId id, std::int64_t ttl);
  void erase_lease(LeaseId id);
  void put_meta(std::string_view name, std::int64_t value);
  bool empty() const { return ops_.empty(); }

  struct Op {
    bool erase = false;
    std::string key;
    std::string value;
  };
  const std::vector<Op>& ops() const { return ops_; }

 private:
  std::vector<Op> ops_;
};

// Loaded is what a reopened store recovers.
struct Loaded {
  std::vector<std::pair<std::string, Version>> versions;  // revision order
  std::vector<std::pair<LeaseId, std::int64_t>> leases;   // id, granted TTL
  Revision revision = 0;
  Revision compact_revision = 0;
  std::int64_t lease_seq = 0;
};

class Storage {
 public:
  // open opens RocksDB in its memory environment (path ignored) or in the
  // directory path. Errors: kUnavailable (I/O, locked), kDataLoss.
  static Result<std::unique_ptr<Storage>> open(bool in_memory, const std::string& path);
  ~Storage();

  // write applies b atomically, without waiting for fsync.
  // Errors: kUnavailable.
  Result<void> write(const Batch& b);
  // sync makes every completed write() durable (one fsync of the WAL).
  Result<void> sync();
  // load reads everything back. Errors: kDataLoss (undecodable record).
  Result<Loaded> load();

 private:
  struct Impl;
  explicit Storage(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace coord::embedded::detail
