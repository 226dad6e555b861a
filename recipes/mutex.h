// mutex.h: Mutex, a distributed lock with a fencing token (etcd's
// concurrency.Mutex, fenced).
//
// Layout, the same as etcd's Go client and `etcdctl lock`, so all of them
// exclude each other on one name: P = prefix + "/", the caller's key is
// K = P + %x(lease) (lower-case hex of the session lease), value "", bound
// to the lease. The holder is the key under P with the smallest
// create_revision; waiters queue FIFO by create_revision and each watches
// only its predecessor.
//
// A lease-based lock alone does not give mutual exclusion: a holder paused
// past its lease keeps running while the next one acquires. So:
//   - lock() returns the fencing token, K's create_revision;
//   - guarded_txn() (or is_owner() inside your own txn) writes only while
//     the lock is still held, checked by the store: the safe way to protect
//     data. Pass the token on to other services that check it;
//   - lost() completes when ownership is lost (key deleted, session ended).
//
// Re-entrance: the key depends only on the session, so two Mutex objects on
// one session and prefix share a key and both "hold" the lock; either
// unlock() releases it for both (as in etcd). Use one session per owner.
// Thread-safety: a Mutex is used by one coroutine at a time (it keeps the
// acquired key). Every call runs on the awaiting coroutine's executor and
// honours per-operation cancellation; bound it with with_deadline.
#pragma once

#include <memory>
#include <string>

#include "api/client.h"
#include "recipes/session.h"

namespace coord {

class Mutex {
 public:
  // Mutex names the lock `prefix` for session. No round trip.
  // REQUIRES: session is not null.
  Mutex(std::shared_ptr<Session> session, std::string prefix);

  // lock waits until this session holds the lock and returns the fencing
  // token (K's create_revision). Uncontended: one round trip. Contended: it
  // waits for every older key to be deleted, then confirms K still exists.
  // Calling lock() while holding returns the same token.
  // Errors: kSessionExpired (the session ended or K vanished while waiting:
  // never reported as success), kCancelled / kDeadlineExceeded (K is
  // deleted before returning, unless it existed before the call),
  // kIndeterminate (K may have been created: call lock() again, it finds
  // K), the client's.
  [[nodiscard]] Task<Revision> lock();

  // try_lock takes the lock if it is free, else fails at once. Returns the
  // fencing token. One round trip, plus one to delete K when locked.
  // Errors: kLocked (held by another session; no key is left behind),
  // kSessionExpired, the client's.
  [[nodiscard]] Task<Revision> try_lock();

  // unlock releases the lock: deletes K only if its create_revision is
  // still the token, so a stale unlock never releases a newer lock. One
  // round trip. Errors: kNotLocked (not held, or already lost: K was gone
  // or newer), the client's (then the state is kept: unlock can be
  // retried).
  [[nodiscard]] Task<void> unlock();

  // is_owner is the compare `create_revision(K) == token`, for the caller's
  // own txns; it never holds when the lock is not held.
  Compare is_owner() const;

  // guarded_txn runs req only while the lock is held (fencing in the
  // store). A req without compares and failure ops runs flat behind
  // is_owner(); else it is nested in `If(is_owner()) Then Txn(req)`.
  // Returns req's response. One round trip.
  // Errors: kNotLocked (not held: nothing was applied), the client's.
  [[nodiscard]] Task<TxnResponse> guarded_txn(TxnRequest req);

  // lost completes when the lock, held at the call, is lost: K deleted
  // (unlock, lease expiry, revoke, an operator) or the session ended.
  // Watches K; no polling. Errors: kNotLocked (not held at the call),
  // kCancelled, the client's.
  [[nodiscard]] Task<void> lost();

  // owned polls ownership: false if the session ended or K is gone or
  // newer. One round trip. Errors: the client's.
  [[nodiscard]] Task<bool> owned();

  // key is K (P + %x(lease)). prefix is P.
  const std::string& key() const { return key_; }
  const std::string& prefix() const { return prefix_; }
  // fencing_token is K's create_revision while held, else 0.
  Revision fencing_token() const { return rev_; }
  // header is the header of the response that acquired the lock.
  const Header& header() const { return header_; }
  Session& session() const { return *session_; }

 private:
  [[nodiscard]] Task<Revision> lock_body();
  [[nodiscard]] Task<Revision> wait_turn(bool created);

  std::shared_ptr<Session> session_;
  std::string prefix_;
  std::string key_;
  Revision rev_ = 0;
  Header header_;
};

}  // namespace coord
