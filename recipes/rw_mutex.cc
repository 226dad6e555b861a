#include "recipes/rw_mutex.h"

#include <boost/asio/this_coro.hpp>

#include "recipes/detail/keys.h"
#include "recipes/detail/lock_wait.h"
#include "recipes/detail/wait.h"

namespace coord {
namespace asio = boost::asio;

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
  auto made = co_await detail::new_unique_kv(client, prefix_ + (write ? "write" : "read"), "",
                                             session_->lease());
  if (!made) {
    if (is_errc(made.error(), Errc::kLeaseNotFound)) {
      co_return make_error_code(Errc::kSessionExpired);
    }
    co_return made.error();
  }
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
  (void)co_await detail::delete_created_key(client, made->key, made->revision);
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
