// keys.h: the key helpers etcd's recipes share (contrib/recipes/key.go,
// concurrency/key.go), with etcd's key layouts so Go and C++ processes can
// share one queue, barrier, lock or election.
//
// Every helper costs the round trips its comment says. None retries a write
// whose outcome is unknown: kIndeterminate comes back as it is.
// Thread-safety: free functions; safe from any coroutine.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/client.h"

namespace coord::detail {

// CreatedKey names a key a helper created and the revision it was created at
// (its create_revision == mod_revision).
struct CreatedKey {
  std::string key;
  Revision revision = 0;
};

// format_lease_hex formats a lease id as etcd's Mutex and Election do
// (fmt "%x": lower-case hex, not padded): 0x390da21313a3a024 ->
// "390da21313a3a024".
std::string format_lease_hex(LeaseId id);

// unique_suffix returns a decimal timestamp of clock in nanoseconds (etcd's
// time.Now().UnixNano()), strictly increasing within this process even when
// the clock stands still (a ManualClock). Never used for ordering.
std::string unique_suffix(Clock& clock);

// put_new_kv creates key=value on lease (0: none) only if key is absent
// (etcd's putNewKV): one round trip. Returns the creation revision.
// Errors: kKeyExists (the key exists), kLeaseNotFound, the client's.
[[nodiscard]] Task<Revision> put_new_kv(Client& client, std::string key, std::string value,
                                        LeaseId lease = 0);

// new_unique_kv creates prefix + "/" + unique_suffix() = value on lease
// (etcd's newUniqueKV / newUniqueEphemeralKV): one round trip, one more per
// (rare) collision with another process. Errors: as put_new_kv except
// kKeyExists.
[[nodiscard]] Task<CreatedKey> new_unique_kv(Client& client, const std::string& prefix,
                                             std::string value, LeaseId lease = 0);

// new_sequential_kv creates prefix + "/" + %016d(n+1) = value, n being the
// last sequence under prefix + "/" (0000000000000000 when none), guarded by
// the counter key "__" + prefix (etcd's newSequentialKV, as a loop). Two
// round trips; each lost race with another producer costs one more (the
// failed txn reads the new last key in its Else branch).
[[nodiscard]] Task<CreatedKey> new_sequential_kv(Client& client, const std::string& prefix,
                                                 std::string value);

// delete_rev_key deletes key if its mod_revision is still rev (etcd's
// deleteRevKey; a claim): one round trip. Returns whether it deleted.
[[nodiscard]] Task<bool> delete_rev_key(Client& client, const std::string& key, Revision rev);

// delete_created_key deletes key if its create_revision is still rev: never
// deletes a newer incarnation of the same name. One round trip. Returns
// whether it deleted.
[[nodiscard]] Task<bool> delete_created_key(Client& client, const std::string& key,
                                            Revision create_rev);

// claim_first claims (deletes) the first of kvs whose mod_revision has not
// changed, in ONE round trip: a nested txn "if kvs[0] unchanged delete it,
// else if kvs[1] unchanged ...". Concurrent claimers therefore never lose to
// each other on the head item: each takes the next one still there.
// Returns the index claimed, or nullopt if every kv was gone or changed.
// REQUIRES: kvs.size() <= kMaxClaimBatch.
inline constexpr std::size_t kMaxClaimBatch = 16;
[[nodiscard]] Task<std::optional<std::size_t>> claim_first(Client& client,
                                                           const std::vector<KeyValue>& kvs);

}  // namespace coord::detail
