#include <algorithm>

#include "backends/embedded/detail/store_impl.h"
#include "backends/embedded/detail/validate.h"

namespace coord::embedded::detail {
namespace {

// kReplayBatch bounds the events of one replayed response (whole revisions
// are never split, so a response may exceed it by one revision).
constexpr std::size_t kReplayBatch = 1000;

// make_event builds the event of version v of key (prev: the version
// before it, for prev_kv), or nullopt if the watcher filters it out.
std::optional<Event> make_event(const WatchRequest& req, std::string_view key, const Version& v,
                                const Version* prev) {
  Event ev;
  if (v.tombstone) {
    if (req.filter_delete) return std::nullopt;
    ev.type = Event::Type::kDelete;
    ev.kv.key.assign(key);
    ev.kv.mod_revision = v.rev;
  } else {
    if (req.filter_put) return std::nullopt;
    ev.type = Event::Type::kPut;
    ev.kv = to_key_value(key, v);
  }
  if (req.prev_kv && prev) ev.prev_kv = to_key_value(key, *prev);
  return ev;
}

}  // namespace

void StoreImpl::add_watcher_locked(const std::shared_ptr<Watcher>& w) {
  const std::uint64_t id = next_watcher_++;
  w->set_id(id);
  watchers_.emplace(id, w);
  if (w->request().range_end.empty()) {
    key_watchers_.emplace(w->request().key, id);
  } else {
    range_watchers_.insert(id);
  }
}

void StoreImpl::erase_watcher_locked(std::uint64_t id) {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  const WatchRequest& req = it->second->request();
  if (req.range_end.empty()) {
    auto [b, e] = key_watchers_.equal_range(req.key);
    for (auto k = b; k != e; ++k) {
      if (k->second == id) {
        key_watchers_.erase(k);
        break;
      }
    }
  } else {
    range_watchers_.erase(id);
  }
  watchers_.erase(it);
}

std::vector<std::uint64_t> StoreImpl::watchers_of_locked() const {
  std::vector<std::uint64_t> ids(range_watchers_.begin(), range_watchers_.end());
  const std::size_t ranged = ids.size();
  for (const auto& c : index_.staged()) {
    auto [b, e] = key_watchers_.equal_range(c.key);
    for (auto k = b; k != e; ++k) ids.push_back(k->second);
  }
  if (ids.size() > ranged && (ranged > 0 || index_.staged().size() > 1)) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  return ids;
}

void StoreImpl::notify_locked(Revision rev) {
  const auto& changes = index_.staged();
  for (const std::uint64_t id : watchers_of_locked()) {
    auto it = watchers_.find(id);
    Watcher& w = *it->second;
    if (rev < w.start()) continue;
    const KeyRange r = w.range();
    WatchResponse resp;
    for (std::size_t i = 0; i < changes.size(); ++i) {
      if (!r.contains(changes[i].key)) continue;
      const auto& prev = staged_prev_[i];
      auto ev = make_event(w.request(), changes[i].key, changes[i].version,
                           prev ? &*prev : nullptr);
      if (ev) resp.events.push_back(std::move(*ev));
    }
    if (!resp.events.empty()) {
      resp.header.revision = rev;
      if (!w.push(std::move(resp))) erase_watcher_locked(id);
    }
  }
}

void StoreImpl::replay_locked(Watcher& w, Revision start) {
  const KeyRange r = w.range();
  WatchResponse resp;
  auto flush = [&] {
    if (resp.events.empty()) return;
    resp.header.revision = index_.revision();
    w.push(std::move(resp), /*replay=*/true);
    resp = WatchResponse{};
  };
  for (const auto& entry : index_.log()) {
    if (entry.rev < start) continue;
    for (const auto& key : entry.keys) {
      if (!r.contains(key)) continue;
      auto [v, prev] = index_.find_version(key, entry.rev);
      if (!v) continue;  // compacted away
      if (auto ev = make_event(w.request(), key, *v, prev)) resp.events.push_back(std::move(*ev));
    }
    if (resp.events.size() >= kReplayBatch) flush();
  }
  flush();
}

Result<std::shared_ptr<Watcher>> StoreImpl::watch(const WatchRequest& req) {
  if (auto v = validate_watch(req); !v) return v.error();
  std::unique_lock lock(mu_);
  if (auto ok = begin_op(lock); !ok) return ok.error();
  const Revision start = req.start_revision > 0 ? req.start_revision : index_.revision() + 1;
  auto w = std::make_shared<Watcher>(req, start, options_.watch_buffer);
  if (start < index_.compact_revision()) {
    w->end(make_error_code(Errc::kCompacted), index_.compact_revision());
    return w;
  }
  replay_locked(*w, start);
  add_watcher_locked(w);
  return w;
}

void StoreImpl::request_progress(const std::shared_ptr<Watcher>& w) {
  std::lock_guard lock(mu_);
  // Under the store lock every event <= revision is already queued.
  WatchResponse r;
  r.header.revision = index_.revision();
  r.progress_notify = true;
  w->push(std::move(r), /*replay=*/true);
}

void StoreImpl::unwatch(const std::shared_ptr<Watcher>& w) {
  std::lock_guard lock(mu_);
  auto it = watchers_.find(w->id());
  if (it != watchers_.end() && it->second == w) erase_watcher_locked(w->id());
}

}  // namespace coord::embedded::detail
