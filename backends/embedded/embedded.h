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

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "api/client.h"
#include "api/clock.h"

namespace coord::embedded {

struct Options {
  // kMemory: RocksDB's memory environment (gone when closed). kDisk: a
  // RocksDB directory. kVolatile: no RocksDB at all, only the in-memory
  // index (the simulator's fast path; same semantics, nothing persisted).
  enum class Mode { kMemory, kDisk, kVolatile };
  // Default: kMemory.
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
  // executor runs the store's background work (the lease-expiry timer on
  // `clock`). Default (empty): the store runs its own thread. Pass a
  // single-threaded io_context's executor (with a ManualClock) for fully
  // deterministic runs.
  boost::asio::any_io_executor executor;
};

// Reopening a kDisk store recovers every committed write: revisions go on
// from the last one and are never reused. Leases come back with their full
// granted TTL counted from the reopen (as etcd refreshes leases when a new
// leader takes over), so a key on a lease outlives a crash by at most one
// TTL after the reopen.

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

  // expire_due_leases revokes, now, every lease whose expiry on the clock
  // has passed (each in its own revision, keys deleted with DELETE events).
  // The store also does this on its timer and before every operation; tests
  // that move a ManualClock call it to apply expiry synchronously.
  virtual void expire_due_leases() = 0;

  // close stops lease expiry and ends every watch with kClosed. Further
  // calls on clients fail with kClosed. Idempotent; the destructor closes.
  virtual void close() = 0;
};

// open_memory is Store::open({}) with the given clock, returning a client.
// REQUIRES: clock (if given) outlives the returned client.
std::shared_ptr<Client> open_memory(Clock* clock = nullptr);

}  // namespace coord::embedded
