// blocking/mutex.h: the blocking twin of coord::Mutex, a C++ Lockable.
//
//   coord::blocking::Mutex m(*session, "jobs/lock");
//   {
//     std::unique_lock lock(m);                 // or std::scoped_lock
//     m.guarded_txn({.success = {coord::Op::put("jobs/x", "1")}}).value();
//   }
//   auto token = m.lock({.timeout = 2s});       // Result API: no throwing
//
// Same keys, round trips and errors as recipes/mutex.h, plus CallOptions
// (timeout, stop_token): a lock() that gives up deletes its key. The
// Lockable members (lock(), try_lock(), unlock(), try_lock_for()) exist for
// std::unique_lock / std::scoped_lock: lock() and try_lock() throw
// std::system_error on errors (the standard requires it), unlock() never
// throws (an error leaves the key to the lease; use unlock(opts) to see it).
// Holding a lock without fencing is best effort: write through guarded_txn.
// Thread-safety: one Mutex per owner thread (it keeps the held key);
// distinct owners use distinct sessions. REQUIRES: the session outlives the
// Mutex; never call from a Runtime thread.
#pragma once

#include <chrono>
#include <string>
#include <system_error>

#include "api/blocking.h"
#include "recipes/blocking/session.h"
#include "recipes/mutex.h"

namespace coord::blocking {

// throw_if_error throws std::system_error if ec is an error: the standard
// Lockable members must report errors by throwing.
inline void throw_if_error(const ErrorCode& ec) {
  if (ec) throw std::system_error(static_cast<std::error_code>(ec));
}

class Mutex {
 public:
  // Mutex names the lock `prefix` for session. No round trip.
  Mutex(Session& session, std::string prefix)
      : client_(session.client()),
        m_(session.async().shared_from_this(), std::move(prefix)) {}

  // Result API: as coord::Mutex, bounded by opts.
  Result<Revision> lock(const CallOptions& opts) { return client_.run(m_.lock(), opts); }
  Result<Revision> try_lock(const CallOptions& opts) { return client_.run(m_.try_lock(), opts); }
  Result<void> unlock(const CallOptions& opts) { return client_.run(m_.unlock(), opts); }
  Result<TxnResponse> guarded_txn(TxnRequest req, const CallOptions& opts = {}) {
    return client_.run(m_.guarded_txn(std::move(req)), opts);
  }
  Result<void> lost(const CallOptions& opts = {}) { return client_.run(m_.lost(), opts); }

  // Lockable: lock waits (throws std::system_error on any error); try_lock
  // returns false when another session holds it (throws on other errors);
  // unlock never throws.
  void lock() { throw_if_error(lock(CallOptions{}).error()); }
  bool try_lock() {
    auto r = try_lock(CallOptions{});
    if (!r && is_errc(r.error(), Errc::kLocked)) return false;
    throw_if_error(r.error());
    return true;
  }
  void unlock() noexcept { (void)unlock(CallOptions{}); }

  // try_lock_for waits up to d (backend clock) for the lock (TimedLockable).
  template <typename Rep, typename Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period>& d) {
    CallOptions opts;
    opts.timeout = std::chrono::duration_cast<Duration>(d);
    auto r = lock(opts);
    if (!r && is_errc(r.error(), Errc::kDeadlineExceeded)) return false;
    throw_if_error(r.error());
    return true;
  }

  Compare is_owner() const { return m_.is_owner(); }
  Revision fencing_token() const { return m_.fencing_token(); }
  const std::string& key() const { return m_.key(); }
  coord::Mutex& async() { return m_; }

 private:
  Client& client_;
  coord::Mutex m_;
};

}  // namespace coord::blocking
