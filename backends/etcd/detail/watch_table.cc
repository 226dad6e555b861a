#include "backends/etcd/detail/watch_table.h"

#include <algorithm>

#include "backends/etcd/detail/status_map.h"

namespace coord::etcd::detail {

WatchCreate WatchTable::create_for(std::int64_t id, const Watcher& w) const {
  WatchCreate c{id, w.req};
  if (w.next_rev > 0) c.req.start_revision = w.next_rev;
  return c;
}

std::optional<WatchCreate> WatchTable::add(std::int64_t id, WatchRequest req) {
  auto [it, inserted] = watchers_.emplace(id, Watcher{std::move(req)});
  if (!inserted || !open_) return std::nullopt;
  pending_creates_.push_back(id);
  return create_for(id, it->second);
}

bool WatchTable::remove(std::int64_t id) {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return false;
  const bool on_server = open_ && it->second.created;
  watchers_.erase(it);
  return on_server;
}

std::vector<WatchCreate> WatchTable::on_open() {
  open_ = true;
  pending_creates_.clear();
  std::vector<WatchCreate> out;
  for (auto& [id, w] : watchers_) {
    w.created = false;
    pending_creates_.push_back(id);
    out.push_back(create_for(id, w));
  }
  return out;
}

void WatchTable::on_closed() {
  open_ = false;
  pending_creates_.clear();
  for (auto& [id, w] : watchers_) w.created = false;
}

Revision WatchTable::next_revision(std::int64_t id) const {
  auto it = watchers_.find(id);
  return it == watchers_.end() ? 0 : it->second.next_rev;
}

std::vector<WatchAction> WatchTable::on_response(RawWatchResponse r) {
  if (!open_) return {};
  if (r.created) return on_created(r);
  if (r.watch_id == kBroadcastWatchId) {
    // A progress reply to request_progress: every created watcher is
    // caught up to the header revision.
    std::vector<WatchAction> out;
    if (!r.body.events.empty() || r.canceled) return out;
    for (auto& [id, w] : watchers_) {
      if (!w.created) continue;
      WatchResponse p;
      p.header = r.body.header;
      p.progress_notify = true;
      out.push_back({WatchAction::Kind::kDeliver, id, std::move(p)});
    }
    return out;
  }
  return on_watcher_response(r);
}

std::vector<WatchAction> WatchTable::on_created(RawWatchResponse& r) {
  if (pending_creates_.empty()) return {};
  const std::int64_t id = pending_creates_.front();
  pending_creates_.pop_front();
  auto it = watchers_.find(id);
  if (it == watchers_.end()) {
    // Removed while its create was in flight: cancel it on the server.
    if (r.canceled) return {};
    return {{WatchAction::Kind::kSendCancel, r.watch_id}};
  }
  if (r.canceled) {
    watchers_.erase(it);
    WatchAction a{WatchAction::Kind::kFail, id};
    a.errc = watch_cancel_errc(r.cancel_reason);
    return {std::move(a)};
  }
  Watcher& w = it->second;
  w.created = true;
  if (w.next_rev == 0) {
    w.next_rev = w.req.start_revision > 0 ? w.req.start_revision
                                          : r.body.header.revision + 1;
  }
  return {{WatchAction::Kind::kCreated, id}};
}

std::vector<WatchAction> WatchTable::on_watcher_response(RawWatchResponse& r) {
  auto it = watchers_.find(r.watch_id);
  if (it == watchers_.end() || !it->second.created) return {};
  Watcher& w = it->second;
  if (r.canceled) {
    WatchAction a{WatchAction::Kind::kFail, r.watch_id};
    a.compact_revision = r.compact_revision;
    a.errc = r.compact_revision > 0 ? Errc::kCompacted : watch_cancel_errc(r.cancel_reason);
    watchers_.erase(it);
    return {std::move(a)};
  }
  if (r.body.events.empty()) {
    WatchResponse p;
    p.header = r.body.header;
    p.progress_notify = true;
    return {{WatchAction::Kind::kDeliver, r.watch_id, std::move(p)}};
  }
  // Drop what an earlier stream already delivered.
  auto& ev = r.body.events;
  const Revision next = w.next_rev;
  ev.erase(std::remove_if(ev.begin(), ev.end(),
                          [next](const Event& e) { return e.kv.mod_revision < next; }),
           ev.end());
  if (ev.empty()) return {};
  w.next_rev = ev.back().kv.mod_revision + 1;
  return {{WatchAction::Kind::kDeliver, r.watch_id, std::move(r.body)}};
}

}  // namespace coord::etcd::detail
