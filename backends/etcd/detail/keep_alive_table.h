// keep_alive_table.h: keep-alive requests multiplexed on one etcd lease
// stream, as a sans-io state machine.
//
// Many callers renew leases over the client's single LeaseKeepAlive stream.
// Each request is a waiter; etcd answers every request in order with the
// lease id, so a response completes the oldest waiter of that lease. When
// the stream ends, every pending waiter fails (the caller retries on the
// next stream, typically on another endpoint).
// Thread-safety: none; the mux serialises calls.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "api/types.h"

namespace coord::etcd::detail {

class KeepAliveTable {
 public:
  using WaiterId = std::uint64_t;

  // add records that waiter w sent a keep-alive for lease id.
  void add(WaiterId w, LeaseId id);

  // on_response returns the waiter a response for lease id answers (the
  // oldest pending one), or nullopt if none waits (it was cancelled).
  std::optional<WaiterId> on_response(LeaseId id);

  // remove forgets waiter w (cancelled or timed out). Its response, if it
  // still comes, is then given to the next waiter of the same lease, which
  // is harmless: any renewal of the lease is a renewal.
  void remove(WaiterId w);

  // on_closed returns every pending waiter, oldest first, and forgets them.
  std::vector<WaiterId> on_closed();

  // pending counts the waiters.
  std::size_t pending() const { return lease_of_.size(); }

 private:
  std::map<WaiterId, LeaseId> lease_of_;  // ordered: oldest first
};

}  // namespace coord::etcd::detail
