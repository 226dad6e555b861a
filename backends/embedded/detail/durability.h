// durability.h: group commit for durable disk stores (private).
//
// Writers append their batches to RocksDB without syncing, then wait here
// for their sequence number. One committer thread syncs the WAL for every
// write completed so far, so concurrent writers (threads or coroutines on
// one executor) share one fsync.
// Thread-safety: every member is thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

#include "api/detail/completion.h"
#include "api/errc.h"
#include "backends/embedded/detail/storage.h"

namespace coord::embedded::detail {

class Durability {
 public:
  // Durability starts the committer thread. REQUIRES: storage outlives it.
  explicit Durability(Storage& storage);
  // The destructor syncs what is pending, then stops the thread.
  ~Durability();

  // written records that every write up to seq is in RocksDB.
  void written(std::uint64_t seq);
  // durable tells whether seq is already synced.
  bool durable(std::uint64_t seq) const;
  // wait waits until seq is synced. Errors: kUnavailable (the sync failed;
  // the store is unusable), kCancelled (per-operation cancellation).
  [[nodiscard]] boost::asio::awaitable<Result<void>> wait(std::uint64_t seq);
  // syncs counts the fsyncs done (for tests and benchmarks).
  std::uint64_t syncs() const;

 private:
  using Handler = coord::detail::Completion<ErrorCode>;
  void async_wait(std::uint64_t seq, Handler h);
  void run();

  Storage& storage_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::uint64_t written_ = 0;
  std::uint64_t synced_ = 0;
  std::uint64_t syncs_ = 0;
  ErrorCode error_;
  std::uint64_t next_id_ = 0;
  std::map<std::pair<std::uint64_t, std::uint64_t>, Handler> waiters_;
  std::thread thread_;
};

}  // namespace coord::embedded::detail
