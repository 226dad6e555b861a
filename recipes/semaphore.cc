#include "recipes/semaphore.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <vector>

#include "recipes/detail/keys.h"
#include "recipes/detail/lock_wait.h"
#include "recipes/detail/wait.h"

namespace coord {
namespace asio = boost::asio;

namespace {

// first_keys reads the keys of the `n` oldest holders under prefix.
RangeRequest first_keys(std::string prefix, std::int64_t n) {
  RangeRequest req = RangeRequest::prefix(std::move(prefix));
  req.sort_target = SortTarget::kCreate;
  req.sort_order = SortOrder::kAscend;
  req.limit = n;
  req.keys_only = true;
  return req;
}

bool holds_permit(const RangeResponse& first, const std::string& key) {
  for (const auto& kv : first.kvs) {
    if (kv.key == key) return true;
  }
  return false;
}

// Window is what one read tells a waiter: its own key (still there,
// created at rev?) and the `permits` newest keys created before it.
struct Window {
  bool own = false;
  std::vector<KeyValue> keys;  // newest first
  bool below = false;          // more older keys lie below the window
};

// read_window reads the own key and the window in one range: the newest
// `permits` + 1 keys created at or before rev.
Task<Window> read_window(Client& client, const std::string& prefix, const std::string& key,
                         Revision rev, std::int64_t permits) {
  RangeRequest req = RangeRequest::last_create(prefix);
  req.max_create_revision = rev;
  req.limit = permits + 1;
  req.keys_only = true;
  auto r = co_await client.range(std::move(req));
  if (!r) co_return r.error();
  Window w;
  auto it = r->kvs.begin();
  w.own = it != r->kvs.end() && it->key == key && it->create_revision == rev;
  if (w.own) ++it;
  w.keys.assign(std::make_move_iterator(it), std::make_move_iterator(r->kvs.end()));
  w.below = r->more;
  if (static_cast<std::int64_t>(w.keys.size()) > permits) {
    w.keys.resize(static_cast<std::size_t>(permits));  // own key absent: one too many
    w.below = true;
  }
  co_return w;
}

bool same_keys(const Window& a, const Window& b) {
  if (a.keys.size() != b.keys.size()) return false;
  for (std::size_t i = 0; i < a.keys.size(); ++i) {
    if (a.keys[i].key != b.keys[i].key ||
        a.keys[i].create_revision != b.keys[i].create_revision) {
      return false;
    }
  }
  return true;
}

// Watches are a waiter's DELETE watches, one per key, opened at the present.
struct Watches {
  std::vector<std::string> keys;
  std::vector<std::unique_ptr<WatchStream>> streams;
};

// open_deletes opens a DELETE watch at the present on each key, all at once
// (one round trip, not one per key).
Task<std::vector<std::unique_ptr<WatchStream>>> open_deletes(Client& client,
                                                             const std::vector<std::string>& keys) {
  namespace asio = boost::asio;
  auto ex = co_await asio::this_coro::executor;
  auto open = [&client](std::string k) {
    WatchRequest req = WatchRequest::single(std::move(k), 0);
    req.filter_put = true;
    return client.watch(std::move(req));
  };
  using OpenOp = decltype(asio::co_spawn(ex, open(std::string()), asio::deferred));
  std::vector<OpenOp> ops;
  for (const auto& k : keys) {
    auto task = open(k);  // named first (g++ 12, sim/FINDINGS.md F2)
    ops.push_back(asio::co_spawn(ex, std::move(task), asio::deferred));
  }
  auto group = asio::experimental::make_parallel_group(std::move(ops));
  auto [order, errors, results] =
      co_await std::move(group).async_wait(asio::experimental::wait_for_all(),
                                           asio::use_awaitable);
  std::vector<std::unique_ptr<WatchStream>> streams;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (errors[i]) std::rethrow_exception(errors[i]);
    if (!results[i]) co_return results[i].error();
    streams.push_back(std::move(*results[i]));
  }
  co_return streams;
}

// watch_keys makes w watch exactly `keys`: it keeps the streams of keys it
// watches already (their events since they opened are still queued), and
// opens the others. Returns how many it opened.
Task<std::size_t> watch_keys(Client& client, Watches& w, std::vector<std::string> keys) {
  std::vector<std::string> missing;
  for (const auto& k : keys) {
    if (std::find(w.keys.begin(), w.keys.end(), k) == w.keys.end()) missing.push_back(k);
  }
  std::vector<std::unique_ptr<WatchStream>> fresh;
  if (!missing.empty()) {
    auto opened = co_await open_deletes(client, missing);
    if (!opened) co_return opened.error();
    fresh = std::move(*opened);
  }
  Watches next;
  for (auto& k : keys) {
    auto it = std::find(w.keys.begin(), w.keys.end(), k);
    if (it != w.keys.end()) {
      next.streams.push_back(std::move(w.streams[static_cast<std::size_t>(it - w.keys.begin())]));
    } else {
      auto m = std::find(missing.begin(), missing.end(), k);
      next.streams.push_back(std::move(fresh[static_cast<std::size_t>(m - missing.begin())]));
    }
    next.keys.push_back(std::move(k));
  }
  w = std::move(next);  // the streams of keys no longer watched close here
  co_return missing.size();
}

// Permit says how wait_permit decided: by a read that also saw the own key
// (kConfirmed), or by an event (kToConfirm: the caller reads the key).
enum class Permit { kConfirmed, kToConfirm };

// wait_permit returns once fewer than `permits` keys under prefix are older
// than rev, and says whether the deciding read also saw the own key. Only the window (the
// `permits` newest older keys) decides: a deletion below it leaves the
// window as full. So the waiter watches the window's keys and its own, at
// the present (keeping the watches of keys still in the window), re-reads
// when it opened one (a key gone before its watch opened shows there), and
// waits for a DELETE of one of them. A release wakes at most `permits`
// waiters, not all; the first waiter (nothing below its window) then holds
// without another read.
Task<Permit> wait_permit(Client& client, std::string prefix, std::string key, Revision rev,
                         std::int64_t permits) {
  auto is_delete = [](const Event& e) { return e.type == Event::Type::kDelete; };
  Watches watches;
  for (;;) {
    auto window = co_await read_window(client, prefix, key, rev, permits);
    if (!window) co_return window.error();
    if (!window->own) co_return make_error_code(Errc::kSessionExpired);
    if (static_cast<std::int64_t>(window->keys.size()) < permits) co_return Permit::kConfirmed;
    std::vector<std::string> keys{key};
    for (const auto& kv : window->keys) keys.push_back(kv.key);
    auto opened = co_await watch_keys(client, watches, std::move(keys));
    if (!opened) co_return opened.error();
    auto again = window;
    if (*opened > 0) {
      // A key gone before its new watch opened shows in a second read.
      again = co_await read_window(client, prefix, key, rev, permits);
      if (!again) co_return again.error();
      if (!again->own) co_return make_error_code(Errc::kSessionExpired);
      if (!same_keys(*window, *again)) continue;
    }
    auto ev = co_await detail::first_event(watches.streams, is_delete);
    if (!ev && is_errc(ev.error(), Errc::kCompacted)) continue;
    if (!ev) co_return ev.error();
    if (ev->kv.key == key) co_return make_error_code(Errc::kSessionExpired);
    // Nothing below the window (keys are never added ahead of ours): one of
    // the window going leaves fewer than `permits`. Else read again.
    if (!again->below) co_return Permit::kToConfirm;
  }
}

}  // namespace

Semaphore::Semaphore(std::shared_ptr<Session> session, std::string name, std::int64_t permits)
    : session_(std::move(session)),
      prefix_(std::move(name) + "/"),
      key_(prefix_ + detail::format_lease_hex(session_->lease())),
      permits_(permits) {}

Task<Revision> Semaphore::acquire() { return detail::shielded(acquire_body()); }

Task<Revision> Semaphore::acquire_body() {
  if (session_->is_done()) co_return make_error_code(Errc::kSessionExpired);
  auto slot = co_await detail::enqueue_lease_key(*session_, key_, std::to_string(permits_),
                                                 first_keys(prefix_, permits_));
  if (!slot) {
    if (is_errc(slot.error(), Errc::kIndeterminate) || detail::is_cancel(slot.error())) {
      // The key may exist: give it up so no phantom waiter stays queued.
      co_await asio::this_coro::reset_cancellation_state();
      (void)co_await detail::abandon_lease_key(*session_, key_);
    }
    co_return slot.error();
  }
  const Revision rev = slot->create_revision;
  if (holds_permit(slot->probe, key_)) {
    rev_ = rev;
    co_return rev;
  }
  Client& client = session_->client();
  auto waited = co_await detail::until_lost(session_.get(),
                                            wait_permit(client, prefix_, key_, rev, permits_));
  ErrorCode error = waited ? ErrorCode{} : waited.error();
  if (waited && *waited == Permit::kToConfirm) {
    auto confirmed = co_await detail::confirm_own_key(client, key_, rev);
    if (!confirmed) error = confirmed.error();
  }
  if (!error) {
    rev_ = rev;
    co_return rev;
  }
  co_await asio::this_coro::reset_cancellation_state();
  if (slot->created) (void)co_await detail::delete_created_key(client, key_, rev);
  co_return error;
}

Task<Revision> Semaphore::try_acquire() {
  if (session_->is_done()) co_return make_error_code(Errc::kSessionExpired);
  auto slot = co_await detail::enqueue_lease_key(*session_, key_, std::to_string(permits_),
                                                 first_keys(prefix_, permits_));
  if (!slot) co_return slot.error();
  if (holds_permit(slot->probe, key_)) {
    rev_ = slot->create_revision;
    co_return rev_;
  }
  if (slot->created) {
    auto deleted = co_await detail::delete_created_key(session_->client(), key_,
                                                       slot->create_revision);
    if (!deleted) co_return deleted.error();
  }
  co_return make_error_code(Errc::kNoPermits);
}

Task<void> Semaphore::release() {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLocked);
  auto deleted = co_await detail::delete_created_key(session_->client(), key_, rev_);
  if (!deleted) co_return deleted.error();
  rev_ = 0;
  if (!*deleted) co_return make_error_code(Errc::kNotLocked);
  co_return Result<void>();
}

Compare Semaphore::is_owner() const { return detail::owner_compare(key_, rev_); }

Task<TxnResponse> Semaphore::guarded_txn(TxnRequest req) {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLocked);
  co_return co_await detail::guarded_txn(session_->client(), is_owner(), std::move(req));
}

Task<void> Semaphore::lost() {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLocked);
  co_return co_await detail::wait_key_lost(*session_, key_, rev_);
}

}  // namespace coord
