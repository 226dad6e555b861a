// client.h: the abstract KV contract every backend implements.
//
// Client is etcd's KV, Lease and Watch APIs as C++20 coroutines. Recipes are
// written only against this interface; backends/etcd talks to a real etcd,
// backends/embedded is an in-process store with etcd's semantics, and sim/
// runs either behind a simulated network.
//
// Semantics are etcd's (shared/reference/etcd-contract.md): one global
// revision, one revision per write txn, errors and limits as etcd's.
// Outcomes are three-valued: success, a definite error (nothing applied), or
// kIndeterminate (a write may or may not have applied; never retried by the
// backend on its own).
//
// Async rules: every operation returns boost::asio::awaitable<Result<T>> and
// completes on the awaiting coroutine's executor. Every operation honours
// Asio per-operation cancellation: a cancelled read returns kCancelled; a
// cancelled write returns kCancelled if it was not sent, else
// kIndeterminate. Bound any operation with with_deadline (api/deadline.h).
// Thread-safety: a Client may be shared by many threads and coroutines.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "api/clock.h"
#include "api/errc.h"
#include "api/keep_alive.h"
#include "api/lease.h"
#include "api/txn.h"
#include "api/types.h"
#include "api/watch.h"

namespace coord {

template <typename T>
using Task = boost::asio::awaitable<Result<T>>;

class Client {
 public:
  virtual ~Client() = default;

  // name describes the backend for logs and reports ("embedded:memory",
  // "etcd://127.0.0.1:2379").
  virtual std::string name() const = 0;

  // clock is the backend's time source; leases expire on it.
  virtual Clock& clock() = 0;

  // range reads keys. Errors: kInvalidArgument (empty key), kCompacted /
  // kFutureRevision (revision out of the retained window), kUnavailable.
  [[nodiscard]] virtual Task<RangeResponse> range(RangeRequest req) = 0;

  // put writes one key. Errors: kInvalidArgument (empty key; ignore_* on a
  // missing key), kLeaseNotFound, kRequestTooLarge, kIndeterminate.
  [[nodiscard]] virtual Task<PutResponse> put(PutRequest req) = 0;

  // delete_range deletes one key or a range. A delete that matches nothing
  // does not bump the revision. Errors: kInvalidArgument, kIndeterminate.
  [[nodiscard]] virtual Task<DeleteResponse> delete_range(DeleteRequest req) = 0;

  // txn runs a compare-and-swap transaction (api/txn.h). Errors:
  // kTooManyOps (> 128 ops in a branch), kDuplicateKey, kInvalidArgument,
  // kLeaseNotFound, kRequestTooLarge, kCompacted, kIndeterminate.
  [[nodiscard]] virtual Task<TxnResponse> txn(TxnRequest req) = 0;

  // compact discards history below req.revision. Errors: kCompacted (at or
  // below the current compaction point), kFutureRevision.
  [[nodiscard]] virtual Task<CompactResponse> compact(CompactRequest req) = 0;

  // lease_grant creates a lease of ttl_seconds (raised to kMinLeaseTtl);
  // id 0 lets the backend choose. Errors: kLeaseTtlTooLarge,
  // kInvalidArgument (id in use), kIndeterminate.
  [[nodiscard]] virtual Task<LeaseGrantResponse> lease_grant(std::int64_t ttl_seconds,
                                                             LeaseId id = 0) = 0;

  // lease_revoke deletes the lease and every key attached to it, in one
  // revision. Errors: kLeaseNotFound, kIndeterminate.
  [[nodiscard]] virtual Task<LeaseRevokeResponse> lease_revoke(LeaseId id) = 0;

  // lease_keep_alive_once renews the lease once. Errors: kLeaseNotFound.
  [[nodiscard]] virtual Task<LeaseKeepAliveResponse> lease_keep_alive_once(LeaseId id) = 0;

  // lease_keep_alive opens a renewal stream (api/keep_alive.h). The default
  // polls lease_keep_alive_once on clock(); backends may multiplex.
  [[nodiscard]] virtual Task<std::unique_ptr<KeepAliveStream>> lease_keep_alive(LeaseId id);

  // lease_time_to_live reports the remaining TTL (-1 when the lease is gone,
  // which is not an error) and, if keys, the attached keys.
  [[nodiscard]] virtual Task<LeaseTimeToLiveResponse> lease_time_to_live(LeaseId id,
                                                                         bool keys = false) = 0;

  // lease_leases lists the live leases.
  [[nodiscard]] virtual Task<LeaseLeasesResponse> lease_leases() = 0;

  // watch opens a watch (api/watch.h). Errors here: kInvalidArgument,
  // kUnavailable; kCompacted and later errors come from the stream.
  [[nodiscard]] virtual Task<std::unique_ptr<WatchStream>> watch(WatchRequest req) = 0;

  // Conveniences over the calls above.
  // get reads one key; the Result holds nullopt when the key is absent.
  [[nodiscard]] Task<std::optional<KeyValue>> get(std::string key, Revision rev = 0);
  // put writes key=value (optionally on a lease).
  [[nodiscard]] Task<PutResponse> put(std::string key, std::string value, LeaseId lease = 0);
  // del deletes one key.
  [[nodiscard]] Task<DeleteResponse> del(std::string key);
};

}  // namespace coord
