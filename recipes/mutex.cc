#include "recipes/mutex.h"

#include <boost/asio/this_coro.hpp>

#include "recipes/detail/keys.h"
#include "recipes/detail/lock_wait.h"
#include "recipes/detail/wait.h"

namespace coord {
namespace asio = boost::asio;

Mutex::Mutex(std::shared_ptr<Session> session, std::string prefix)
    : session_(std::move(session)),
      prefix_(std::move(prefix) + "/"),
      key_(prefix_ + detail::format_lease_hex(session_->lease())) {}

Task<Revision> Mutex::lock() { return detail::shielded(lock_body()); }

Task<Revision> Mutex::lock_body() {
  if (session_->is_done()) co_return make_error_code(Errc::kSessionExpired);
  auto slot = co_await detail::enqueue_lease_key(*session_, key_, "",
                                                 RangeRequest::first_create(prefix_));
  if (!slot) {
    if (is_errc(slot.error(), Errc::kIndeterminate) || detail::is_cancel(slot.error())) {
      // The key may exist: give it up so no phantom waiter stays queued.
      co_await asio::this_coro::reset_cancellation_state();
      (void)co_await detail::abandon_lease_key(*session_, key_);
    }
    co_return slot.error();
  }
  rev_ = slot->create_revision;
  header_ = slot->header;
  const auto& owner = slot->probe.kvs;
  if (owner.empty() || owner.front().create_revision == rev_) co_return rev_;
  co_return co_await wait_turn(slot->created);
}

// wait_turn waits until every key older than K is gone, then confirms K.
// On failure it deletes K if this call created it (cancel, deadline, lost
// watch), so a waiter that gives up leaves no key in the queue.
Task<Revision> Mutex::wait_turn(bool created) {
  Client& client = session_->client();
  const Revision rev = rev_;
  auto waited = co_await detail::wait_deletes(client, prefix_, rev - 1, session_.get());
  ErrorCode error;
  if (waited) {
    auto confirmed = co_await detail::confirm_own_key(client, key_, rev);
    if (confirmed) {
      header_ = *confirmed;
      co_return rev;
    }
    error = confirmed.error();
  } else {
    error = waited.error();
  }
  rev_ = 0;
  co_await asio::this_coro::reset_cancellation_state();
  if (created) {
    // Best effort: if this fails the lease still removes K eventually.
    (void)co_await detail::delete_created_key(client, key_, rev);
  }
  co_return error;
}

Task<Revision> Mutex::try_lock() {
  if (session_->is_done()) co_return make_error_code(Errc::kSessionExpired);
  auto slot = co_await detail::enqueue_lease_key(*session_, key_, "",
                                                 RangeRequest::first_create(prefix_));
  if (!slot) co_return slot.error();
  const auto& owner = slot->probe.kvs;
  if (owner.empty() || owner.front().create_revision == slot->create_revision) {
    rev_ = slot->create_revision;
    header_ = slot->header;
    co_return rev_;
  }
  if (slot->created) {
    auto deleted = co_await detail::delete_created_key(session_->client(), key_,
                                                       slot->create_revision);
    if (!deleted) co_return deleted.error();
  }
  co_return make_error_code(Errc::kLocked);
}

Task<void> Mutex::unlock() {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLocked);
  auto deleted = co_await detail::delete_created_key(session_->client(), key_, rev_);
  if (!deleted) co_return deleted.error();
  rev_ = 0;
  if (!*deleted) co_return make_error_code(Errc::kNotLocked);
  co_return Result<void>();
}

Compare Mutex::is_owner() const { return detail::owner_compare(key_, rev_); }

Task<TxnResponse> Mutex::guarded_txn(TxnRequest req) {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLocked);
  co_return co_await detail::guarded_txn(session_->client(), is_owner(), std::move(req));
}

Task<void> Mutex::lost() {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLocked);
  co_return co_await detail::wait_key_lost(*session_, key_, rev_);
}

Task<bool> Mutex::owned() {
  if (rev_ <= 0 || session_->is_done()) co_return false;
  auto got = co_await session_->client().get(key_);
  if (!got) co_return Result<bool>(boost::system::in_place_error, got.error());
  co_return got->has_value() && (*got)->create_revision == rev_;
}

}  // namespace coord
