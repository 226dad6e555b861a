// store_impl.h: the embedded store's engine (private).
//
// StoreImpl runs every operation synchronously under one mutex: lazy lease
// expiry first, then the read or the write on the MVCC index, then (for a
// write) one RocksDB batch and the watch notifications. Durable disk stores
// acknowledge after a group-committed fsync (durability.h). The Client
// adapter (client.cc) turns these calls into coroutines.
// Thread-safety: all public members are thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "backends/embedded/detail/durability.h"
#include "backends/embedded/detail/leases.h"
#include "backends/embedded/detail/mvcc.h"
#include "backends/embedded/detail/storage.h"
#include "backends/embedded/detail/watcher.h"
#include "backends/embedded/embedded.h"

namespace coord::embedded::detail {

class LeaseTimer;

class StoreImpl final : public Store {
 public:
  explicit StoreImpl(Options options);
  ~StoreImpl() override;

  // start loads storage (if any) and starts background work.
  Result<void> start();

  std::shared_ptr<Client> client() override;
  Revision revision() const override;
  void expire_due_leases() override;
  void close() override;

  Clock& clock() { return *clock_; }
  const Options& options() const { return options_; }
  Durability* durability() { return durability_.get(); }

  // The synchronous operations. `seq` receives the storage sequence the
  // answer depends on (wait for it to be durable before replying).
  Result<RangeResponse> range(const RangeRequest& req, std::uint64_t& seq);
  Result<PutResponse> put(PutRequest req, std::uint64_t& seq);
  Result<DeleteResponse> delete_range(const DeleteRequest& req, std::uint64_t& seq);
  Result<TxnResponse> txn(const TxnRequest& req, std::uint64_t& seq);
  Result<CompactResponse> compact(const CompactRequest& req, std::uint64_t& seq);
  Result<LeaseGrantResponse> lease_grant(std::int64_t ttl, LeaseId id, std::uint64_t& seq);
  Result<LeaseRevokeResponse> lease_revoke(LeaseId id, std::uint64_t& seq);
  Result<LeaseKeepAliveResponse> lease_keep_alive(LeaseId id, std::uint64_t& seq);
  Result<LeaseTimeToLiveResponse> lease_time_to_live(LeaseId id, bool keys, std::uint64_t& seq);
  Result<LeaseLeasesResponse> lease_leases(std::uint64_t& seq);
  // watch registers a watcher (already ended with kCompacted if its start
  // is below the compaction point). Errors: kInvalidArgument, kClosed.
  Result<std::shared_ptr<Watcher>> watch(const WatchRequest& req);
  // unwatch forgets a watcher (its stream is gone or cancelled).
  void unwatch(const std::shared_ptr<Watcher>& w);
  // on_timer runs expiry and re-arms the timer (LeaseTimer calls it).
  void on_timer(TimePoint t);
  // request_progress queues a progress notification for w.
  void request_progress(const std::shared_ptr<Watcher>& w);

 private:
  // Locked helpers (mu_ held); store.cc, store_txn.cc, store_lease.cc.
  Result<void> begin_op(std::unique_lock<std::mutex>& lock);
  void expire_locked(TimePoint now);
  void revoke_locked(LeaseId id);
  Result<void> read_range_locked(const RangeRequest& req, RangeResponse& out) const;
  void put_locked(const PutRequest& req, PutResponse& out);
  void delete_locked(const DeleteRequest& req, DeleteResponse& out);
  Result<void> check_put_locked(const PutRequest& req);
  Result<void> check_range_locked(const RangeRequest& req) const;
  bool compare_locked(const Compare& c) const;
  void txn_path_locked(const TxnRequest& req, std::vector<bool>& path) const;
  Result<void> txn_check_locked(const TxnRequest& req, const std::vector<bool>& path,
                                std::size_t& pos, bool& writes);
  void txn_apply_locked(const TxnRequest& req, const std::vector<bool>& path,
                        std::size_t& pos, TxnResponse& out);
  void begin_write_locked();
  // finish_write_locked commits the staged revision (if any change) with
  // extra records, persists it and notifies watchers.
  void finish_write_locked(Batch extra = {});
  void persist_locked(Batch& b);
  void notify_locked(Revision rev);
  void replay_locked(Watcher& w, Revision start);
  void arm_timer_locked();
  void close_watchers_locked(ErrorCode ec);
  void add_watcher_locked(const std::shared_ptr<Watcher>& w);
  void erase_watcher_locked(std::uint64_t id);
  // watchers_of_locked lists, in registration order, the watchers whose
  // range may contain one of the staged changes.
  std::vector<std::uint64_t> watchers_of_locked() const;

  Options options_;
  Clock* clock_;
  mutable std::mutex mu_;
  bool closed_ = false;
  ErrorCode failure_;  // set when storage failed: every op fails with it
  Index index_;
  LeaseTable leases_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<Durability> durability_;
  std::uint64_t write_seq_ = 0;
  std::vector<std::optional<Version>> staged_prev_;
  // Every watcher by id (registration order, the order events go out),
  // and two indexes: single-key watchers by key, range watchers by id.
  std::map<std::uint64_t, std::shared_ptr<Watcher>> watchers_;
  std::multimap<std::string, std::uint64_t, std::less<>> key_watchers_;
  std::set<std::uint64_t> range_watchers_;
  std::uint64_t next_watcher_ = 0;
  std::atomic<Revision> revision_{0};

  // Background executor: the caller's, or our own thread.
  std::unique_ptr<boost::asio::io_context> own_io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread own_thread_;
  std::shared_ptr<LeaseTimer> timer_;
  std::optional<TimePoint> armed_;
};

}  // namespace coord::embedded::detail
