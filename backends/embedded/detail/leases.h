// leases.h: the embedded store's lease table (private).
//
// LeaseTable holds each live lease's granted TTL, its expiry on the store
// clock and its attached keys, plus an expiry-ordered index. Lease ids the
// store chooses come from a counter run through a fixed mixing function,
// so the same sequence of grants gives the same ids in every run.
// Thread-safety: none; the store serializes all calls.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/clock.h"
#include "api/types.h"

namespace coord::embedded::detail {

struct Lease {
  LeaseId id = 0;
  std::int64_t ttl = 0;  // granted TTL, seconds
  TimePoint expiry;
  std::set<std::string> keys;
};

class LeaseTable {
 public:
  // find returns the lease or nullptr.
  Lease* find(LeaseId id);
  // add inserts a lease expiring at now + ttl. REQUIRES: id not in use.
  Lease& add(LeaseId id, std::int64_t ttl, TimePoint now);
  // renew moves the expiry to now + ttl. REQUIRES: id exists.
  void renew(LeaseId id, TimePoint now);
  // remove drops the lease (its keys must be handled by the caller).
  void remove(LeaseId id);
  // attach / detach a key (no-op for lease 0 or an unknown lease).
  void attach(LeaseId id, const std::string& key);
  void detach(LeaseId id, const std::string& key);
  // next_expiry is the earliest expiry, if any lease is alive.
  std::optional<TimePoint> next_expiry() const;
  // first_due returns the lease expiring first if its expiry <= now, else 0.
  LeaseId first_due(TimePoint now) const;
  // ids lists live leases in id order.
  std::vector<LeaseId> ids() const;

  // next_id returns a fresh, unused, positive id, deterministic in the
  // sequence of calls. seq() is the counter (persisted so ids are not
  // reused after a reopen).
  LeaseId next_id();
  std::int64_t seq() const { return seq_; }
  void set_seq(std::int64_t s) { seq_ = s; }

 private:
  std::map<LeaseId, Lease> leases_;
  std::set<std::pair<TimePoint, LeaseId>> by_expiry_;
  std::int64_t seq_ = 0;
};

}  // namespace coord::embedded::detail
