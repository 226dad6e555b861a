// blocking/rw_mutex.h: the blocking twin of coord::RWMutex; Lockable for
// std::unique_lock and shared-lockable (lock_shared / unlock_shared) for
// std::shared_lock.
//
// Same keys, round trips and errors as recipes/rw_mutex.h, plus CallOptions.
// lock() and lock_shared() throw std::system_error on errors (the standard
// requires it); unlock() / unlock_shared() never throw.
// Thread-safety: one RWMutex per owner thread. REQUIRES: the session
// outlives it; never call from a Runtime thread.
#pragma once

#include <string>

#include "recipes/blocking/mutex.h"
#include "recipes/rw_mutex.h"

namespace coord::blocking {

class RWMutex {
 public:
  RWMutex(Session& session, std::string prefix)
      : client_(session.client()),
        m_(session.async().shared_from_this(), std::move(prefix)) {}

  // Result API: as coord::RWMutex, bounded by opts.
  Result<Revision> rlock(const CallOptions& opts) { return client_.run(m_.rlock(), opts); }
  Result<void> runlock(const CallOptions& opts) { return client_.run(m_.runlock(), opts); }
  Result<Revision> lock(const CallOptions& opts) { return client_.run(m_.lock(), opts); }
  Result<void> unlock(const CallOptions& opts) { return client_.run(m_.unlock(), opts); }
  Result<TxnResponse> guarded_txn(TxnRequest req, const CallOptions& opts = {}) {
    return client_.run(m_.guarded_txn(std::move(req)), opts);
  }

  // Standard lockable members.
  void lock() { throw_if_error(lock(CallOptions{}).error()); }
  void unlock() noexcept { (void)unlock(CallOptions{}); }
  void lock_shared() { throw_if_error(rlock(CallOptions{}).error()); }
  void unlock_shared() noexcept { (void)runlock(CallOptions{}); }

  Compare is_owner() const { return m_.is_owner(); }
  Revision fencing_token() const { return m_.fencing_token(); }
  coord::RWMutex& async() { return m_; }

 private:
  Client& client_;
  coord::RWMutex m_;
};

}  // namespace coord::blocking
