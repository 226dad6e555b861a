// mvcc.h: the embedded store's multi-version index (private).
//
// Index keeps, per key, its history of versions (main revision, sub
// revision, tombstones) and, per revision, the keys it changed in order: the
// log watches replay from. It knows nothing of leases, locks or storage: the
// store stages a write revision with begin_write(), calls put()/erase(),
// then commit() or drops it. Compaction trims history as etcd does: the last
// version at or below the compaction point is kept unless it is a tombstone
// below that point (a tombstone at exactly the point stays, for watchers).
// Thread-safety: none; the store serializes all calls.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/types.h"

namespace coord::embedded::detail {

// Version is one write of one key.
struct Version {
  Revision rev = 0;          // main revision of the write
  std::int32_t sub = 0;      // position within the revision
  Revision create = 0;       // create_revision (0 for a tombstone)
  std::int64_t version = 0;  // 0 for a tombstone
  LeaseId lease = 0;
  bool tombstone = false;
  std::string value;
};

// Change is one staged or committed write, as the store persists it.
struct Change {
  std::string key;
  Version version;
};

// KeyRange is [key, end); end empty means the single key, "\0" means
// every key >= key.
struct KeyRange {
  std::string_view key;
  std::string_view end;
  bool contains(std::string_view k) const;
};

class Index {
 public:
  // revision is the last committed revision; compact_revision the
  // compaction point (0: never compacted).
  Revision revision() const { return rev_; }
  Revision compact_revision() const { return compact_rev_; }

  // get returns the version of key visible at rev (0: latest, staged writes
  // included), or nullptr when absent. REQUIRES: rev in the retained window.
  const Version* get(std::string_view key, Revision rev = 0) const;

  // for_range calls f(key, version) for every key of r live at rev (0:
  // latest), in key order. A latest read visits live keys only, so its cost
  // does not grow with deleted keys awaiting compaction.
  template <typename F>
  void for_range(const KeyRange& r, Revision rev, F&& f) const {
    if (r.end.empty()) {
      if (const Version* v = get(r.key, rev)) f(std::string_view(r.key), *v);
      return;
    }
    const bool to_end = r.end == std::string_view("\0", 1);
    if (r.end <= r.key && !to_end) return;
    if (rev <= 0) {
      const auto last = to_end ? live_.end() : live_.lower_bound(r.end);
      for (auto it = live_.lower_bound(r.key); it != last; ++it) f(it->first, it->second->back());
      return;
    }
    const auto last = to_end ? keys_.end() : keys_.lower_bound(r.end);
    for (auto it = keys_.lower_bound(r.key); it != last; ++it) {
      if (const Version* v = visible(it->second, rev)) f(std::string_view(it->first), *v);
    }
  }

  // begin_write starts staging revision revision()+1.
  void begin_write();
  // put stages key=value; returns the previous live version (copied) if any.
  std::optional<Version> put(const std::string& key, std::string value, LeaseId lease);
  // erase stages a tombstone if key is live; returns the deleted version.
  std::optional<Version> erase(const std::string& key);
  // staged lists the writes staged since begin_write, in order.
  const std::vector<Change>& staged() const { return staged_; }
  // commit makes the staged writes revision()+1 (no-op when none).
  void commit();
  // rollback drops the staged writes.
  void rollback();

  // compact trims history below rev and returns the removed versions
  // (key, rev, sub) so storage can drop them. REQUIRES: compact_revision()
  // < rev <= revision().
  std::vector<std::pair<std::string, Version>> compact(Revision rev);

  // log_from returns the committed revisions >= rev, oldest first, each as
  // its changed keys in write order.
  struct LogEntry {
    Revision rev = 0;
    std::vector<std::string> keys;
  };
  const std::deque<LogEntry>& log() const { return log_; }

  // find_version returns key's version written at rev, and the one before
  // it (for prev_kv), or {nullptr, nullptr}.
  std::pair<const Version*, const Version*> find_version(std::string_view key,
                                                         Revision rev) const;

  // restore_* rebuild the index when a store is reopened; call them in
  // revision order, then finish_restore.
  void restore_version(const std::string& key, Version v);
  void finish_restore(Revision rev, Revision compact_rev);

  // key_count is the number of keys with a retained history; live_count
  // the number of keys live at the latest revision (staged writes included).
  std::size_t key_count() const { return keys_.size(); }
  std::size_t live_count() const { return live_.size(); }

 private:
  using History = std::vector<Version>;
  using Keys = std::map<std::string, History, std::less<>>;
  static const Version* visible(const History& h, Revision rev);
  // track_live updates live_ for the entry `it` after its history changed.
  void track_live(Keys::iterator it);

  // etcd's fresh store is at revision 1; the first write gets 2.
  Revision rev_ = 1;
  Revision compact_rev_ = 0;
  std::int32_t next_sub_ = 0;
  bool writing_ = false;
  Keys keys_;
  // live_ maps each key whose latest version is live to its history; the
  // views point into keys_' nodes, which never move.
  std::map<std::string_view, const History*, std::less<>> live_;
  std::deque<LogEntry> log_;
  std::vector<Change> staged_;
};

// to_key_value builds the public KeyValue of a live version.
KeyValue to_key_value(std::string_view key, const Version& v);

}  // namespace coord::embedded::detail
