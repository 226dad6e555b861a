// keep_alive.h: lease keep-alive streams.
//
// A KeepAliveStream renews one lease every TTL/3 (of the granted TTL) while
// its consumer keeps calling next(), and reports lease loss promptly: the
// server says TTL <= 0 (kLeaseNotFound), or no renewal succeeded for a full
// TTL (kDeadlineExceeded: the lease must be presumed lost).
// Thread-safety: one consumer coroutine at a time; cancel() from any thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>

#include "api/clock.h"
#include "api/errc.h"
#include "api/lease.h"

namespace coord {

class Client;

class KeepAliveStream {
 public:
  // The destructor stops renewing; the lease is left to expire.
  virtual ~KeepAliveStream() = default;

  // next returns the next successful renewal. Errors: kLeaseNotFound (lease
  // expired or revoked), kDeadlineExceeded (no renewal for a full TTL),
  // kCancelled (cancel() or per-operation cancellation), kClosed.
  [[nodiscard]] virtual boost::asio::awaitable<Result<LeaseKeepAliveResponse>> next() = 0;

  // cancel stops the stream; pending and later next() get kCancelled.
  virtual void cancel() = 0;
};

// make_polling_keep_alive returns a KeepAliveStream built on
// Client::lease_keep_alive_once and the client's clock: the first renewal
// is sent at once, then every ttl/3 after each success; transient errors are
// retried every 500 ms until a full TTL has passed without success.
// REQUIRES: client outlives the stream.
std::unique_ptr<KeepAliveStream> make_polling_keep_alive(Client& client, LeaseId id);

}  // namespace coord
