// embedded.h: the embedded store, an in-process backend with etcd's semantics.
//
// A Store is one multi-version key-value store (one global revision, leases,
// watches, compaction) persisted in RocksDB, either in RocksDB's in-memory
// environment (tests, simulation) or in a directory on disk. Any number of
// Clients may share one Store, from any threads and coroutines.
//
//   auto store = coord::embedded::Store::open({}).value();    // in memory
//   std::shared_ptr<coord::Client> kv = store->client();
//
// Thread-safety: Store and its clients are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "api/client.h"
#include "api/clock.h"

namespace coord::embedded {

struct Options {
  enum class Mode { kMemory, kDisk };
  // Default: kMemory (RocksDB's memory environment; gone when closed).
  Mode mode = Mode::kMemory;
  // Directory of the store for kDisk. REQUIRES: non-empty for kDisk.
  std::string path;
  // durable: every commit is fsynced before it is acknowledged (concurrent
  // writers share one fsync: group commit). false: buffered, a crash may
  // lose the last acknowledged writes. Default: true. Ignored for kMemory.
  bool durable = true;
  // clock drives lease expiry and keep-alive. Default (nullptr): the wall
  // clock (coord::system_clock()). REQUIRES: outlives the store.
  Clock* clock = nullptr;
  // etcd's limits. Defaults are etcd's defaults.
  std::int64_t max_txn_ops = 128;
  std::int64_t max_request_bytes = 1572864;  // 1.5 MiB
  // watch_buffer: responses buffered per watcher before it is dropped with
  // kWatchOverflow. Default: 4096.
  std::size_t watch_buffer = 4096;
};

class Store : public std::enable_shared_from_this<Store> {
 public:
  // open opens (or creates) a store. Errors: kInvalidArgument (kDisk with an
  // empty path), kDataLoss (corrupt files), kUnavailable (I/O error, the
  // directory is locked by another process).
  static Result<std::shared_ptr<Store>> open(Options options);

  virtual ~Store() = default;

  // client returns a new client of this store. The client keeps the store
  // alive.
  virtual std::shared_ptr<Client> client() = 0;

  // revision returns the store's current revision.
  virtual Revision revision() const = 0;

  // close stops lease expiry and ends every watch with kClosed. Further
  // calls on clients fail with kClosed. Idempotent; the destructor closes.
  virtual void close() = 0;
};

// open_memory is Store::open({}) with the given clock, returning a client.
// REQUIRES: clock (if given) outlives the returned client.
std::shared_ptr<Client> open_memory(Clock* clock = nullptr);

}  // namespace coord::embedded
