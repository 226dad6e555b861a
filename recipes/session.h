// session.h: Session, a lease kept alive for as long as the process lives.
//
// A Session grants a lease (or reuses one) and renews it every TTL/3 through
// Client::lease_keep_alive. Recipes bind their keys to it (Mutex, Election,
// DoubleBarrier, Semaphore), so a crashed process releases what it held
// once the TTL runs out. When the lease is lost (expired, revoked, no
// renewal for a full TTL) done() fires and every recipe wait bound to the
// session ends with Errc::kSessionExpired.
// Same as etcd's concurrency.Session: default TTL 60 s, renewals every TTL/3.
// Thread-safety: thread-safe; the keep-alive runs on the executor of the
// coroutine that created the session. REQUIRES: the client outlives the
// session and its keep-alive loop (see orphan()).
#pragma once

#include <memory>

#include "api/client.h"
#include "api/event.h"

namespace coord {

struct SessionOptions {
  // ttl_seconds of the lease. Values <= 0 mean the default. Default: 60.
  std::int64_t ttl_seconds = 60;
  // lease reuses an existing lease instead of granting one (etcd's
  // WithLease): a restarted process takes back its keys. Default: 0 (grant).
  LeaseId lease = 0;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // create grants (or reuses) the lease and starts renewing it: one round
  // trip (a grant, or for a reused lease one renewal that proves it alive and
  // reads its TTL). The renewal loop runs on the calling coroutine's
  // executor until the lease is lost, orphan() or close(). Errors:
  // kLeaseNotFound (a reused lease is gone), kLeaseTtlTooLarge, and the
  // client's errors.
  [[nodiscard]] static Task<std::shared_ptr<Session>> create(Client& client,
                                                             SessionOptions options = {});

  // The destructor orphans the session (stops renewing, keeps the lease).
  ~Session();

  Client& client() const;
  LeaseId lease() const;
  std::int64_t ttl() const;

  // done fires when the session ends: lease lost, close(), or orphan().
  AsyncEvent& done();
  bool is_done() const;

  // error tells why the session ended: kLeaseNotFound (expired or revoked),
  // kDeadlineExceeded (no renewal for a full TTL), kCancelled (orphan() or
  // close()). Empty while the session is alive.
  ErrorCode error() const;

  // close stops renewing and revokes the lease, deleting its keys (one
  // round trip; a lease already gone counts as success), and returns once
  // the keep-alive loop has ended. Errors: the client's (kIndeterminate: the revoke may not have applied,
  // the lease then expires on its own within the TTL).
  [[nodiscard]] Task<void> close();

  // orphan stops renewing and leaves the lease to expire; done() fires at
  // once. Idempotent. The keep-alive loop ends on the executor's next turn:
  // REQUIRES: the client stays alive (and its executor running) until then;
  // close() waits for it.
  void orphan();

 private:
  struct Impl;
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace coord
