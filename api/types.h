// types.h: the values etcd's KV API carries, as plain structs.
//
// Keys and values are binary-safe byte strings (std::string may hold '\0').
// Revisions and versions are int64 as in etcd. Field names follow etcd's
// protobuf (etcdserverpb/rpc.proto, mvccpb/kv.proto) in snake_case.
// Thread-safety: plain values; copy freely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coord {

using Revision = std::int64_t;
using LeaseId = std::int64_t;

// KeyValue is one key at one revision.
struct KeyValue {
  std::string key;
  std::string value;
  Revision create_revision = 0;  // revision of the key's creation (0: absent)
  Revision mod_revision = 0;     // revision of its last modification
  std::int64_t version = 0;      // writes since creation; 0 means absent
  LeaseId lease = 0;             // attached lease, 0 for none
  bool operator==(const KeyValue&) const = default;
};

// Header carries the store revision a response was computed at.
struct Header {
  Revision revision = 0;
  std::uint64_t cluster_id = 0;
  std::uint64_t member_id = 0;
  std::uint64_t raft_term = 0;
};

// prefix_end returns the smallest key greater than every key starting with
// prefix (etcd's GetPrefixRangeEnd): "ab" -> "ac". An empty or all-0xff
// prefix gives "\0", which etcd reads as "to the end of the key space".
std::string prefix_end(const std::string& prefix);

enum class SortOrder { kNone = 0, kAscend = 1, kDescend = 2 };
enum class SortTarget { kKey = 0, kVersion = 1, kCreate = 2, kMod = 3, kValue = 4 };

// RangeRequest reads one key (range_end empty), [key, range_end), or every
// key >= key when range_end is "\0". Filters apply before sort and limit.
struct RangeRequest {
  std::string key;
  std::string range_end;
  std::int64_t limit = 0;       // 0: no limit
  Revision revision = 0;        // 0: latest; else historical read
  SortOrder sort_order = SortOrder::kNone;
  SortTarget sort_target = SortTarget::kKey;
  bool serializable = false;    // etcd: member-local read; embedded: ignored
  bool keys_only = false;
  bool count_only = false;
  Revision min_mod_revision = 0;     // 0: no filter
  Revision max_mod_revision = 0;
  Revision min_create_revision = 0;
  Revision max_create_revision = 0;

  // single reads exactly one key.
  static RangeRequest single(std::string key);
  // prefix reads every key starting with p.
  static RangeRequest prefix(std::string p);
  // first_create reads the oldest key under p (etcd's WithFirstCreate).
  static RangeRequest first_create(std::string p);
  // last_create reads the newest key under p (etcd's WithLastCreate).
  static RangeRequest last_create(std::string p);
  // first_key / last_key read the smallest / largest key under p.
  static RangeRequest first_key(std::string p);
  static RangeRequest last_key(std::string p);
  // first_rev / last_rev read the key under p with the lowest / highest
  // mod_revision (etcd's WithFirstRev / WithLastRev).
  static RangeRequest first_rev(std::string p);
  static RangeRequest last_rev(std::string p);
};

struct RangeResponse {
  Header header;
  std::vector<KeyValue> kvs;
  bool more = false;          // more keys matched than were returned
  std::int64_t count = 0;     // keys matched (before limit)
};

// PutRequest writes key=value. ignore_value / ignore_lease keep the current
// value / lease; the key must then exist, else kInvalidArgument (etcd:
// "key not found"). A lease that is not alive gives kLeaseNotFound.
struct PutRequest {
  std::string key;
  std::string value;
  LeaseId lease = 0;
  bool prev_kv = false;
  bool ignore_value = false;
  bool ignore_lease = false;
};

struct PutResponse {
  Header header;
  std::optional<KeyValue> prev_kv;
};

// DeleteRequest deletes one key or a range, with the same range rules.
struct DeleteRequest {
  std::string key;
  std::string range_end;
  bool prev_kv = false;

  static DeleteRequest single(std::string key);
  static DeleteRequest prefix(std::string p);
};

struct DeleteResponse {
  Header header;
  std::int64_t deleted = 0;
  std::vector<KeyValue> prev_kvs;
};

// CompactRequest discards history below revision. physical waits until the
// compaction is applied to storage.
struct CompactRequest {
  Revision revision = 0;
  bool physical = false;
};

struct CompactResponse {
  Header header;
};

}  // namespace coord
