// barrier.h: Barrier, one key that blocks waiters while it exists (etcd's
// contrib/recipes/barrier.go, same key: the barrier's name, value "", no
// lease).
//
// Fixes over Go: wait reads the exact key (a key "b-0" never blocks barrier
// "b"), then watches from the read's next revision for the DELETE only, so
// writes between hold and wait can not make it hang; a watch that ends is an
// error; wait is cancellable. As in Go the key has no lease: a holder that
// dies leaves the barrier up until someone releases it.
// Thread-safety: a cheap handle. REQUIRES: client outlives it.
#pragma once

#include <string>

#include "api/client.h"

namespace coord {

class Barrier {
 public:
  Barrier(Client& client, std::string key);

  // hold raises the barrier: one round trip. Errors: kKeyExists (already
  // held), the client's.
  [[nodiscard]] Task<void> hold();

  // release lowers the barrier, waking every waiter: one round trip.
  // Releasing a barrier that is not held succeeds. Errors: the client's.
  [[nodiscard]] Task<void> release();

  // wait returns once the barrier is not held: one range, plus (if held) a
  // watch opened at the present and one re-read. Errors: kCancelled, the watch's errors, the client's.
  [[nodiscard]] Task<void> wait();

  const std::string& key() const { return key_; }

 private:
  Client& client_;
  std::string key_;
};

}  // namespace coord
