// blocking/semaphore.h: the blocking twin of coord::Semaphore.
//
//   coord::blocking::Semaphore s(*session, "pool", 3);
//   s.acquire({.timeout = 5s}).value();  ...  s.release();
//
// Same keys, round trips and errors as recipes/semaphore.h, plus
// CallOptions (timeout, stop_token): an acquire that gives up deletes its
// key.
// Thread-safety: one Semaphore per owner thread (it keeps the held key).
// REQUIRES: the session outlives it; never call from a Runtime thread.
#pragma once

#include <cstdint>
#include <string>

#include "api/blocking.h"
#include "recipes/blocking/session.h"
#include "recipes/semaphore.h"

namespace coord::blocking {

class Semaphore {
 public:
  Semaphore(Session& session, std::string name, std::int64_t permits)
      : client_(session.client()),
        s_(session.async().shared_from_this(), std::move(name), permits) {}

  Result<Revision> acquire(const CallOptions& opts = {}) { return client_.run(s_.acquire(), opts); }
  Result<Revision> try_acquire(const CallOptions& opts = {}) {
    return client_.run(s_.try_acquire(), opts);
  }
  Result<void> release(const CallOptions& opts = {}) { return client_.run(s_.release(), opts); }
  Result<TxnResponse> guarded_txn(TxnRequest req, const CallOptions& opts = {}) {
    return client_.run(s_.guarded_txn(std::move(req)), opts);
  }
  Result<void> lost(const CallOptions& opts = {}) { return client_.run(s_.lost(), opts); }

  Compare is_owner() const { return s_.is_owner(); }
  Revision fencing_token() const { return s_.fencing_token(); }
  coord::Semaphore& async() { return s_; }

 private:
  Client& client_;
  coord::Semaphore s_;
};

}  // namespace coord::blocking
