#include "backends/embedded/detail/mvcc.h"

#include <algorithm>
#include <cassert>

namespace coord::embedded::detail {

bool KeyRange::contains(std::string_view k) const {
  if (end.empty()) return k == key;
  if (k < key) return false;
  if (end == std::string_view("\0", 1)) return true;
  return k < end;
}

KeyValue to_key_value(std::string_view key, const Version& v) {
  KeyValue kv;
  kv.key.assign(key);
  kv.value = v.value;
  kv.create_revision = v.create;
  kv.mod_revision = v.rev;
  kv.version = v.version;
  kv.lease = v.lease;
  return kv;
}

const Version* Index::visible(const History& h, Revision rev) {
  if (h.empty()) return nullptr;
  const Version* v = nullptr;
  if (rev <= 0) {
    v = &h.back();
  } else {
    // Last version with rev <= `rev`.
    auto it = std::upper_bound(h.begin(), h.end(), rev,
                               [](Revision r, const Version& x) { return r < x.rev; });
    if (it == h.begin()) return nullptr;
    v = &*std::prev(it);
  }
  return v->tombstone ? nullptr : v;
}

const Version* Index::get(std::string_view key, Revision rev) const {
  auto it = keys_.find(key);
  if (it == keys_.end()) return nullptr;
  return visible(it->second, rev);
}

void Index::track_live(Keys::iterator it) {
  const History& h = it->second;
  if (!h.empty() && !h.back().tombstone) {
    live_.insert_or_assign(std::string_view(it->first), &h);
  } else {
    live_.erase(std::string_view(it->first));
  }
}

void Index::begin_write() {
  assert(!writing_);
  writing_ = true;
  next_sub_ = 0;
  staged_.clear();
}

std::optional<Version> Index::put(const std::string& key, std::string value, LeaseId lease) {
  assert(writing_);
  auto it = keys_.find(key);
  if (it == keys_.end()) it = keys_.emplace(key, History{}).first;
  History& h = it->second;
  std::optional<Version> prev;
  if (!h.empty() && !h.back().tombstone) prev = h.back();
  Version v;
  v.rev = rev_ + 1;
  v.sub = next_sub_++;
  v.create = prev ? prev->create : v.rev;
  v.version = prev ? prev->version + 1 : 1;
  v.lease = lease;
  v.value = std::move(value);
  h.push_back(v);
  if (!prev) track_live(it);
  staged_.push_back(Change{key, std::move(v)});
  return prev;
}

std::optional<Version> Index::erase(const std::string& key) {
  assert(writing_);
  auto it = keys_.find(key);
  if (it == keys_.end() || it->second.empty() || it->second.back().tombstone) {
    return std::nullopt;
  }
  History& h = it->second;
  std::optional<Version> prev = h.back();
  Version v;
  v.rev = rev_ + 1;
  v.sub = next_sub_++;
  v.tombstone = true;
  h.push_back(v);
  live_.erase(std::string_view(it->first));
  staged_.push_back(Change{key, std::move(v)});
  return prev;
}

void Index::commit() {
  assert(writing_);
  writing_ = false;
  if (staged_.empty()) return;
  ++rev_;
  LogEntry e;
  e.rev = rev_;
  e.keys.reserve(staged_.size());
  for (auto& c : staged_) e.keys.push_back(c.key);
  log_.push_back(std::move(e));
}

void Index::rollback() {
  assert(writing_);
  writing_ = false;
  for (auto c = staged_.rbegin(); c != staged_.rend(); ++c) {
    auto it = keys_.find(c->key);
    it->second.pop_back();
    track_live(it);
    if (it->second.empty()) keys_.erase(it);
  }
  staged_.clear();
}

std::vector<std::pair<std::string, Version>> Index::compact(Revision rev) {
  std::vector<std::pair<std::string, Version>> removed;
  for (auto it = keys_.begin(); it != keys_.end();) {
    History& h = it->second;
    auto up = std::upper_bound(h.begin(), h.end(), rev,
                               [](Revision r, const Version& x) { return r < x.rev; });
    // Keep the last version <= rev unless it is a tombstone below rev: a
    // tombstone at exactly rev stays, so a watch from the compaction
    // revision still delivers that DELETE (etcd >= 3.5.15 keeps it too;
    // etcd #18089). The next compaction drops it.
    auto keep_from = up;
    if (up != h.begin() && (!std::prev(up)->tombstone || std::prev(up)->rev == rev)) {
      keep_from = std::prev(up);
    }
    for (auto v = h.begin(); v != keep_from; ++v) removed.emplace_back(it->first, *v);
    h.erase(h.begin(), keep_from);
    if (h.empty()) {
      live_.erase(std::string_view(it->first));
      it = keys_.erase(it);
    } else {
      ++it;
    }
  }
  while (!log_.empty() && log_.front().rev < rev) log_.pop_front();
  compact_rev_ = rev;
  return removed;
}

std::pair<const Version*, const Version*> Index::find_version(std::string_view key,
                                                              Revision rev) const {
  auto it = keys_.find(key);
  if (it == keys_.end()) return {nullptr, nullptr};
  const History& h = it->second;
  auto v = std::lower_bound(h.begin(), h.end(), rev,
                            [](const Version& x, Revision r) { return x.rev < r; });
  if (v == h.end() || v->rev != rev) return {nullptr, nullptr};
  const Version* prev = nullptr;
  if (v != h.begin() && !std::prev(v)->tombstone) prev = &*std::prev(v);
  return {&*v, prev};
}

void Index::restore_version(const std::string& key, Version v) {
  if (log_.empty() || log_.back().rev != v.rev) log_.push_back(LogEntry{v.rev, {}});
  log_.back().keys.push_back(key);
  keys_[key].push_back(std::move(v));
}

void Index::finish_restore(Revision rev, Revision compact_rev) {
  rev_ = std::max({rev, Revision{1}, log_.empty() ? Revision{0} : log_.back().rev});
  compact_rev_ = compact_rev;
  while (!log_.empty() && log_.front().rev < compact_rev) log_.pop_front();
  live_.clear();
  for (auto it = keys_.begin(); it != keys_.end(); ++it) track_live(it);
}

}  // namespace coord::embedded::detail
