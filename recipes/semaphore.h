// semaphore.h: Semaphore, a counting semaphore of N permits bound to
// sessions (etcd's Go packages have none; Curator's InterProcessSemaphoreV2
// and Redisson's RPermitExpirableSemaphore are the models).
//
// Layout: P = name + "/", a holder's key is K = P + %x(lease) (one key per
// session, like Mutex), value the decimal permit count, bound to the session
// lease. Keys are ordered by create_revision; a key holds a permit iff fewer
// than N keys under P were created before it. Keys are never added ahead of
// an existing one, so a holder keeps its permit until its key goes, and a
// dead holder's permit returns when its lease expires. FIFO: the oldest
// waiter is the next to hold.
// Waiting: only a waiter's window, the N newest keys created before its own,
// decides whether it holds (a key leaving below the window leaves the window
// as full). A waiter reads the window, opens a DELETE watch on each window
// key and on its own key (at the present), re-reads the window, and waits
// for one of them to go. A release wakes at most N waiters, not all; the
// first waiter (nothing below its window) then holds after the confirming
// read, the others read their window again.
// Every party must use the same N; the value records it for operators.
// Re-entrance: as Mutex, one session holds at most one permit of a name.
// Fencing: the token is K's create_revision; is_owner() is the compare.
// Thread-safety: a Semaphore is used by one coroutine at a time. Calls run
// on the awaiting coroutine's executor and honour per-operation
// cancellation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "api/client.h"
#include "recipes/session.h"

namespace coord {

class Semaphore {
 public:
  // Semaphore names semaphore `name` of `permits` permits for session. No
  // round trip. REQUIRES: session is not null, permits >= 1.
  Semaphore(std::shared_ptr<Session> session, std::string name, std::int64_t permits);

  // acquire waits for a permit and returns the fencing token. One round
  // trip when a permit is free. Errors: kSessionExpired (the session ended
  // or K vanished while waiting), kCancelled / kDeadlineExceeded (K, if
  // this call created it, is deleted first), kIndeterminate (K may exist:
  // acquire again finds it), the client's.
  [[nodiscard]] Task<Revision> acquire();

  // try_acquire takes a permit if one is free, else fails at once.
  // Errors: kNoPermits (all taken; no key is left behind), kSessionExpired,
  // the client's.
  [[nodiscard]] Task<Revision> try_acquire();

  // release returns the permit: deletes K only if its create_revision is
  // still the token. One round trip. Errors: kNotLocked (not held, or lost),
  // the client's (state kept: call again).
  [[nodiscard]] Task<void> release();

  // is_owner is `create_revision(K) == token`: while it holds, the permit is
  // held. It never holds when no permit is held.
  Compare is_owner() const;

  // guarded_txn runs req only while the permit is held (as
  // Mutex::guarded_txn). Errors: kNotLocked, the client's.
  [[nodiscard]] Task<TxnResponse> guarded_txn(TxnRequest req);

  // lost completes when the held permit is lost (K deleted, session ended).
  // Errors: kNotLocked (none held at the call), kCancelled, the client's.
  [[nodiscard]] Task<void> lost();

  const std::string& key() const { return key_; }
  Revision fencing_token() const { return rev_; }
  std::int64_t permits() const { return permits_; }

 private:
  [[nodiscard]] Task<Revision> acquire_body();
  std::shared_ptr<Session> session_;
  std::string prefix_;
  std::string key_;
  std::int64_t permits_;
  Revision rev_ = 0;
};

}  // namespace coord
