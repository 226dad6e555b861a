// double_barrier.h: DoubleBarrier, `count` participants enter together and
// leave together (etcd's contrib/recipes/double_barrier.go, same keys:
// key + "/waiters/<unix nanos>" on the session lease, key + "/ready" with no
// lease).
//
// Fixes over Go: admission is check -> register -> check by create
// revision, so never more than `count` are admitted and the extra
// participant gets kTooManyClients with its key deleted (D-1, D-2); waits
// watch from the read's next revision and re-read after a compaction, in
// loops (D-3, D-4); every wait ends with kSessionExpired when the session is
// lost, and on give-up (cancel, deadline, session loss) deletes its key.
// Thread-safety: one DoubleBarrier per participant, used by one coroutine
// at a time. REQUIRES: the session outlives it.
#pragma once

#include <string>

#include "api/client.h"
#include "recipes/session.h"

namespace coord {

class DoubleBarrier {
 public:
  // DoubleBarrier joins the barrier `key` for `count` participants as the
  // session's holder. REQUIRES: count >= 1.
  DoubleBarrier(Session& session, std::string key, int count);

  // enter registers and waits until `count` participants entered. A session
  // is one participant: waiter keys of this session left by an earlier
  // attempt that gave up but could not delete them (a partition) are
  // deleted first. Round trips: a read of the waiters (+1 per such key),
  // the registration, a read (with the ready flag); the
  // count-th participant also writes ready (if that write's outcome is
  // unknown, one read tells whether it applied; it is never written
  // twice); the others watch ready.
  // Errors: kTooManyClients (already `count` in: nothing left behind),
  // kSessionExpired, kCancelled (own key deleted), the client's.
  [[nodiscard]] Task<void> enter();

  // leave waits until every participant left: the lowest waits for the
  // others, the others delete their key and wait for the lowest, who deletes
  // ready last. Round trips: a read per step plus one watch per awaited
  // delete. Errors: kSessionExpired, kCancelled (own key deleted), the
  // client's.
  [[nodiscard]] Task<void> leave();

  const std::string& key() const { return key_; }

 private:
  Task<void> wait_ready(Revision from_rev);
  boost::asio::awaitable<bool> ready_since_mine();
  Task<void> give_up(ErrorCode ec);

  Session& session_;
  Client& client_;
  std::string key_;
  int count_;
  std::string my_key_;
  Revision my_rev_ = 0;
};

}  // namespace coord
