// lock_wait.h: the ownership machinery shared by Mutex, RWMutex, Election
// and Semaphore (private to recipes/).
//
// Every lock-like recipe is a queue of keys ordered by create_revision: a key
// bound to a session lease is the caller's place in the queue, the oldest
// keys hold. These helpers create or find such a key (with a probe read in
// the same txn, so an uncontended acquisition is one round trip), confirm it
// after a wait, fence writes on it and wait for its loss. The waits
// themselves are recipes/detail/wait.h's (nearest predecessor only).
// Thread-safety: free functions; each call is one coroutine's business.
#pragma once

#include <string>

#include "api/client.h"
#include "recipes/detail/wait.h"
#include "recipes/session.h"

namespace coord::detail {

// QueueSlot is the caller's key in a create_revision-ordered queue.
struct QueueSlot {
  std::string key;
  Revision create_revision = 0;  // the fencing token once the slot holds
  bool created = false;          // false: the key existed (same session)
  Header header;                 // header of the txn that made or found it
  std::string existing_value;    // the value found when !created
  RangeResponse probe;           // the probe read, in the same txn
};

// enqueue_lease_key creates `key` with `value` on the session's lease unless
// it exists (then the existing key is returned with created=false), and in
// the same txn runs the read `probe` (who holds?). One round trip.
// Errors: kSessionExpired (the lease is gone), the client's errors
// (kIndeterminate: the key may exist; calling again finds it).
[[nodiscard]] Task<QueueSlot> enqueue_lease_key(Session& session, std::string key,
                                               std::string value, RangeRequest probe);

// keys_before reads (keys only) the keys under prefix created before rev.
// etcd's count ignores create-revision filters, so callers count kvs.
// Errors: the client's.
[[nodiscard]] Task<RangeResponse> keys_before(Client& client, std::string prefix,
                                             Revision rev);

// confirm_own_key checks that key still exists with create_revision rev and
// returns the read's header. Errors: kSessionExpired (it is gone: its lease
// expired or someone deleted it), the client's.
[[nodiscard]] Task<Header> confirm_own_key(Client& client, std::string key, Revision rev);

// wait_key_lost returns once key no longer exists with create_revision rev
// or the session ended: the "you lost it" signal. One range, then one
// watch. Errors: kCancelled, the client's and the watch's (compaction is
// absorbed by re-reading).
[[nodiscard]] Task<void> wait_key_lost(Session& session, std::string key, Revision rev);

// owner_compare is `create_revision(key) == rev`; rev <= 0 (not held)
// yields a compare that never holds.
Compare owner_compare(const std::string& key, Revision rev);

// guarded_txn runs req only while owner holds: a req without compares and
// failure ops runs flat behind owner; else it is nested in
// `If(owner) Then Txn(req)`. Returns req's own response (its `succeeded` is
// req's). One round trip. Errors: kNotLocked (owner does not hold: nothing
// applied), the client's.
[[nodiscard]] Task<TxnResponse> guarded_txn(Client& client, Compare owner, TxnRequest req);

// abandon_lease_key deletes key if it is on session's lease (one txn): the
// clean-up after an enqueue whose outcome is unknown (kIndeterminate, or a
// cancellation while it was in flight), so a caller that gives up leaves no
// key behind. As for re-entrance, this also drops a key another handle of
// the same session holds. REQUIRES: the caller reset a cancellation state.
[[nodiscard]] Task<void> abandon_lease_key(Session& session, std::string key);

// is_cancel tells whether ec means the caller gave up (cancel or deadline).
inline bool is_cancel(const ErrorCode& ec) {
  return is_errc(ec, Errc::kCancelled) || is_errc(ec, Errc::kDeadlineExceeded);
}

}  // namespace coord::detail
