// rw_mutex.h: RWMutex, a distributed readers-writer lock (etcd's
// contrib/recipes RWMutex), fenced.
//
// Layout, the same as etcd's Go recipe: P = prefix + "/", a reader's key is
// P + "read/" + <unique>, a writer's P + "write/" + <unique> (a decimal
// nanosecond stamp of the backend clock, made unique with put-if-absent;
// never used for ordering), bound to the session lease. Order is by
// create_revision, FIFO between readers and writers: a reader holds once
// every older writer key is gone (readers share), a writer once every older
// key is gone. Each waiter watches only its nearest blocking predecessor,
// from the revision of the read that found it, so a compaction costs one
// re-read, never a polling loop (unlike Go's recipe).
// Fencing: the token is the own key's create_revision; is_owner() is the
// compare; lost() signals the loss.
// Thread-safety: an RWMutex holds at most one lock (read or write) at a time
// and is used by one coroutine at a time. Calls run on the awaiting
// coroutine's executor and honour per-operation cancellation.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/client.h"
#include "recipes/session.h"

namespace coord {

class RWMutex {
 public:
  // RWMutex names the lock `prefix` for session. No round trip.
  // REQUIRES: session is not null.
  RWMutex(std::shared_ptr<Session> session, std::string prefix);

  // rlock waits for a shared (read) lock and returns the fencing token.
  // Three round trips uncontended (create, the read that finds no blocker,
  // the confirmation of the own key), plus a watch per awaited blocker.
  // Errors: kSessionExpired (the session ended or the key vanished while
  // waiting), kCancelled / kDeadlineExceeded (the key is deleted first),
  // kLocked (this RWMutex already holds a lock), kIndeterminate (a key may
  // have been created: it is deleted before the error returns, or, if that
  // fails too, by the next rlock/lock first), the client's.
  [[nodiscard]] Task<Revision> rlock();

  // lock waits for the exclusive (write) lock. As rlock.
  [[nodiscard]] Task<Revision> lock();

  // runlock releases a read lock; unlock releases the write lock. Each
  // deletes the key only if its create_revision is still the token. One
  // round trip. Errors: kNotLocked (no such lock held, or it was lost), the
  // client's (state kept: call again).
  [[nodiscard]] Task<void> runlock();
  [[nodiscard]] Task<void> unlock();

  // is_owner is the compare `create_revision(key) == token`; it never holds
  // when no lock is held.
  Compare is_owner() const;

  // guarded_txn runs req only while the lock is held (as
  // Mutex::guarded_txn). Errors: kNotLocked, the client's.
  [[nodiscard]] Task<TxnResponse> guarded_txn(TxnRequest req);

  // lost completes when the held lock is lost (key deleted, session
  // ended). Errors: kNotLocked (none held at the call), kCancelled, the
  // client's.
  [[nodiscard]] Task<void> lost();

  // key is the held key ("" when none); fencing_token its create_revision.
  const std::string& key() const { return key_; }
  Revision fencing_token() const { return rev_; }
  bool holds_write() const { return rev_ > 0 && write_; }
  bool holds_read() const { return rev_ > 0 && !write_; }

 private:
  [[nodiscard]] Task<Revision> acquire(bool write);
  [[nodiscard]] Task<void> release(bool write);

  std::shared_ptr<Session> session_;
  std::string prefix_;
  std::string key_;
  Revision rev_ = 0;
  bool write_ = false;
  // leftovers_: keys of enqueues whose outcome was unknown and that could
  // not be deleted then; the next acquire deletes them first.
  std::vector<std::string> leftovers_;
};

}  // namespace coord
