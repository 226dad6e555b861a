// lease.h: etcd's Lease API values (grant, revoke, keep-alive, time-to-live).
//
// A lease is a TTL in whole seconds on the backend clock. Keys attached to a
// lease are deleted, in one revision, when it expires or is revoked.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/types.h"

namespace coord {

// kMinLeaseTtl is etcd's minimum TTL with default timing: a grant with a
// smaller TTL is raised to it (etcd: ceil(1.5 * election ticks * heartbeat)).
inline constexpr std::int64_t kMinLeaseTtl = 2;
// kMaxLeaseTtl is etcd's MaxLeaseTTL; larger grants fail kLeaseTtlTooLarge.
inline constexpr std::int64_t kMaxLeaseTtl = 9'000'000'000;

struct LeaseGrantResponse {
  Header header;
  LeaseId id = 0;
  std::int64_t ttl = 0;  // granted TTL in seconds
};

struct LeaseRevokeResponse {
  Header header;
};

struct LeaseKeepAliveResponse {
  Header header;
  LeaseId id = 0;
  std::int64_t ttl = 0;  // renewed TTL; <= 0 means the lease is gone
};

struct LeaseTimeToLiveResponse {
  Header header;
  LeaseId id = 0;
  std::int64_t ttl = -1;          // remaining seconds; -1 if expired/unknown
  std::int64_t granted_ttl = 0;
  std::vector<std::string> keys;  // filled when asked for
};

struct LeaseLeasesResponse {
  Header header;
  std::vector<LeaseId> leases;
};

}  // namespace coord
