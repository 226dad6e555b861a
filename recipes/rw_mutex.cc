#include "recipes/rw_mutex.h"

#include <boost/asio/this_coro.hpp>
#include <vector>

#include "recipes/detail/keys.h"
#include "recipes/detail/lock_wait.h"
#include "recipes/detail/wait.h"

namespace coord {
namespace asio = boost::asio;

namespace {

// enqueue creates the waiter key (put-if-absent, a fresh name per
// collision). A create whose outcome is unknown (kIndeterminate, or a
// cancellation in flight) may have left the key: it is deleted (if on our
// lease) before the error returns, so no phantom waiter blocks the others
// for as long as the session lives. A key that could not be deleted goes to
// `leftovers` (the next acquire deletes it first).
Task<detail::CreatedKey> enqueue(Session& session, const std::string& dir,
                                 std::vector<std::string>& leftovers) {
  Client& client = session.client();
  for (;;) {
    std::string key = dir + "/" + detail::unique_suffix(client.clock());
    auto r = co_await detail::put_new_kv(client, key, "", session.lease());
    if (r) co_return detail::CreatedKey{std::move(key), *r};
    if (is_errc(r.error(), Errc::kKeyExists)) continue;  // another process took this name
    if (is_errc(r.error(), Errc::kLeaseNotFound)) co_return make_error_code(Errc::kSessionExpired);
    if (is_errc(r.error(), Errc::kIndeterminate) || detail::is_cancel(r.error())) {
      co_await asio::this_coro::reset_cancellation_state();
      auto gone = co_await detail::abandon_lease_key(session, key);
      if (!gone) leftovers.push_back(std::move(key));
    }
    co_return r.error();
  }
}

}  // namespace

RWMutex::RWMutex(std::shared_ptr<Session> session, std::string prefix)
    : session_(std::move(session)), prefix_(std::move(prefix) + "/") {}

Task<Revision> RWMutex::rlock() { return detail::shielded(acquire(false)); }
Task<Revision> RWMutex::lock() { return detail::shielded(acquire(true)); }
Task<void> RWMutex::runlock() { return release(false); }
Task<void> RWMutex::unlock() { return release(true); }

// acquire queues a key, then waits for the keys that block it: older writers
// for a reader, every older key for a writer. On failure the key is deleted.
Task<Revision> RWMutex::acquire(bool write) {
  if (rev_ > 0) co_return make_error_code(Errc::kLocked);
  if (session_->is_done()) co_return make_error_code(Errc::kSessionExpired);
  Client& client = session_->client();
  // Keys of earlier attempts whose outcome was unknown: delete them first.
  for (auto it = leftovers_.begin(); it != leftovers_.end();) {
    auto gone = co_await detail::abandon_lease_key(*session_, *it);
    if (!gone) co_return gone.error();
    it = leftovers_.erase(it);
  }
  auto made = co_await enqueue(*session_, prefix_ + (write ? "write" : "read"), leftovers_);
  if (!made) co_return made.error();
  const std::string blockers = write ? prefix_ : prefix_ + "write/";
  auto waited = co_await detail::wait_deletes(client, blockers, made->revision - 1,
                                              session_.get());
  ErrorCode error;
  if (waited) {
    auto confirmed = co_await detail::confirm_own_key(client, made->key, made->revision);
    if (confirmed) {
      key_ = made->key;
      rev_ = made->revision;
      write_ = write;
      co_return rev_;
    }
    error = confirmed.error();
  } else {
    error = waited.error();
  }
  co_await asio::this_coro::reset_cancellation_state();
  auto gone = co_await detail::delete_created_key(client, made->key, made->revision);
  if (!gone) leftovers_.push_back(made->key);  // e.g. partitioned: retried first next time
  co_return error;
}

Task<void> RWMutex::release(bool write) {
  if (rev_ <= 0 || write_ != write) co_return make_error_code(Errc::kNotLocked);
  auto deleted = co_await detail::delete_created_key(session_->client(), key_, rev_);
  if (!deleted) co_return deleted.error();
  rev_ = 0;
  key_.clear();
  if (!*deleted) co_return make_error_code(Errc::kNotLocked);
  co_return Result<void>();
}

Compare RWMutex::is_owner() const {
  return detail::owner_compare(key_.empty() ? prefix_ : key_, rev_);
}

Task<TxnResponse> RWMutex::guarded_txn(TxnRequest req) {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLocked);
  co_return co_await detail::guarded_txn(session_->client(), is_owner(), std::move(req));
}

Task<void> RWMutex::lost() {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLocked);
  co_return co_await detail::wait_key_lost(*session_, key_, rev_);
}

}  // namespace coord
