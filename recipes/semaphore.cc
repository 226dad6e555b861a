#include "recipes/semaphore.h"

#include <boost/asio/this_coro.hpp>

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

// count_down reads w (a watch of the prefix opened before the count at
// `counted`) and counts `ahead` down on each deletion of an older key after
// `counted`. Returns true once ahead < permits, false when it must re-count
// (compaction, or an event without prev_kv).
Task<bool> count_down(WatchStream& w, const std::string& key, Revision rev, Revision counted,
                      std::int64_t ahead, std::int64_t permits) {
  while (ahead >= permits) {
    auto r = co_await w.next();
    if (!r && is_errc(r.error(), Errc::kCompacted)) co_return false;
    if (!r) co_return Result<bool>(boost::system::in_place_error, r.error());
    for (const auto& ev : r->events) {
      if (ev.type != Event::Type::kDelete || ev.kv.mod_revision <= counted) continue;
      if (ev.kv.key == key) {
        co_return Result<bool>(boost::system::in_place_error,
                               make_error_code(Errc::kSessionExpired));
      }
      if (!ev.prev_kv) co_return false;
      if (ev.prev_kv->create_revision < rev) --ahead;
    }
  }
  co_return true;
}

// wait_permit returns once fewer than `permits` keys under prefix are older
// than rev: open a watch of the prefix at the present (etcd's synced path),
// count the older keys (one range), then count their deletions down.
Task<void> wait_permit(Client& client, std::string prefix, std::string key, Revision rev,
                       std::int64_t permits) {
  for (;;) {
    WatchRequest req = WatchRequest::prefix(prefix, 0);
    req.filter_put = true;
    req.prev_kv = true;
    auto watch = co_await client.watch(std::move(req));
    if (!watch) co_return watch.error();
    auto before = co_await detail::keys_before(client, prefix, rev);
    if (!before) co_return before.error();
    const auto ahead = static_cast<std::int64_t>(before->kvs.size());
    if (ahead < permits) co_return Result<void>();
    auto done = co_await count_down(**watch, key, rev, before->header.revision, ahead, permits);
    if (!done) co_return done.error();
    if (*done) co_return Result<void>();
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
  ErrorCode error;
  if (waited) {
    auto confirmed = co_await detail::confirm_own_key(client, key_, rev);
    if (confirmed) {
      rev_ = rev;
      co_return rev;
    }
    error = confirmed.error();
  } else {
    error = waited.error();
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
