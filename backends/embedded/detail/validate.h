// validate.h: request checks that need no store state (private).
//
// These are the checks etcd's gRPC layer does before a request reaches the
// store: empty keys, conflicting put options, the op limit of a txn, a key
// written twice in a txn (etcd's checkIntervals), and the request size.
// Thread-safety: pure functions.
#pragma once

#include "api/txn.h"
#include "api/watch.h"
#include "backends/embedded/embedded.h"

namespace coord::embedded::detail {

// Each returns kInvalidArgument, kTooManyOps, kDuplicateKey or
// kRequestTooLarge as etcd would, else success.
Result<void> validate_range(const RangeRequest& r);
Result<void> validate_put(const PutRequest& p, const Options& o);
Result<void> validate_delete(const DeleteRequest& d, const Options& o);
Result<void> validate_txn(const TxnRequest& t, const Options& o);
Result<void> validate_watch(const WatchRequest& w);

// txn_has_writes tells whether any branch (nested too) holds a put/delete.
bool txn_has_writes(const TxnRequest& t);

}  // namespace coord::embedded::detail
