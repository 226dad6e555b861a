#include "recipes/double_barrier.h"

#include <algorithm>
#include <boost/asio/this_coro.hpp>

#include "recipes/detail/keys.h"
#include "recipes/detail/lock_wait.h"
#include "recipes/detail/wait.h"

namespace coord {
namespace asio = boost::asio;

namespace {

ErrorCode session_error(ErrorCode ec) {
  return is_errc(ec, Errc::kLeaseNotFound) ? make_error_code(Errc::kSessionExpired) : ec;
}

}  // namespace

DoubleBarrier::DoubleBarrier(Session& session, std::string key, int count)
    : session_(session), client_(session.client()), key_(std::move(key)), count_(count) {}

// give_up deletes the own key and returns ec. After a cancellation every
// co_await, even of a coroutine, throws until the cancellation state is
// reset: callers on a give-up path reset it first.
Task<void> DoubleBarrier::give_up(ErrorCode ec) {
  if (!my_key_.empty()) {
    auto d = co_await detail::delete_created_key(client_, my_key_, my_rev_);
    (void)d;  // best effort: the lease removes the key anyway
    my_key_.clear();
  }
  co_return ec;
}

Task<void> DoubleBarrier::enter() {
  if (session_.is_done()) co_return make_error_code(Errc::kSessionExpired);
  const std::string waiters = key_ + "/waiters";
  // Who is in already? A key on this session's lease is left from an
  // earlier attempt of this participant that could not delete it (a give-up
  // during a partition): it would count as a participant forever, so it
  // goes first.
  auto before = co_await client_.range(RangeRequest::prefix(waiters + "/"));
  if (!before) co_return before.error();
  std::int64_t others = 0;
  for (const KeyValue& kv : before->kvs) {
    if (kv.lease != session_.lease()) {
      ++others;
      continue;
    }
    auto d = co_await detail::delete_created_key(client_, kv.key, kv.create_revision);
    if (!d) co_return d.error();
  }
  if (others >= count_) co_return make_error_code(Errc::kTooManyClients);

  // The name is chosen here, so a registration whose outcome is unknown can
  // be taken back: a phantom waiter key would count as a participant.
  std::string name;
  Result<Revision> mine = make_error_code(Errc::kKeyExists);
  while (!mine && is_errc(mine.error(), Errc::kKeyExists)) {
    name = waiters + "/" + detail::unique_suffix(client_.clock());
    mine = co_await detail::put_new_kv(client_, name, "", session_.lease());
  }
  if (!mine) {
    if (is_errc(mine.error(), Errc::kIndeterminate) || detail::is_cancel(mine.error())) {
      co_await asio::this_coro::reset_cancellation_state();
      (void)co_await detail::abandon_lease_key(session_, name);
    }
    co_return session_error(mine.error());
  }
  my_key_ = name;
  my_rev_ = *mine;

  // One read of the admitted set (oldest first) and the ready flag.
  TxnRequest t;
  RangeRequest admitted = RangeRequest::prefix(waiters + "/");
  admitted.sort_target = SortTarget::kCreate;
  admitted.sort_order = SortOrder::kAscend;
  admitted.limit = count_;
  t.success.push_back(Op::range(std::move(admitted)));
  t.success.push_back(Op::get(key_ + "/ready"));
  auto read = co_await client_.txn(std::move(t));
  if (!read) {
    co_await asio::this_coro::reset_cancellation_state();
    co_return co_await give_up(read.error());
  }
  const auto& kvs = read->responses.at(0).range().kvs;
  const auto pos =
      std::find_if(kvs.begin(), kvs.end(), [&](const KeyValue& kv) { return kv.key == my_key_; });
  if (pos == kvs.end()) {
    // Later than the count-th by create revision: not admitted.
    co_return co_await give_up(make_error_code(Errc::kTooManyClients));
  }
  if (pos - kvs.begin() == count_ - 1) {
    auto put = co_await client_.put(key_ + "/ready", "");
    if (!put) {
      co_await asio::this_coro::reset_cancellation_state();
      if (is_errc(put.error(), Errc::kIndeterminate) && co_await ready_since_mine()) {
        co_return Result<void>{};  // the put did apply: the others were released
      }
      co_return co_await give_up(put.error());
    }
    co_return Result<void>{};
  }
  const auto& ready = read->responses.at(1).range().kvs;
  if (!ready.empty() && ready.front().mod_revision > my_rev_) co_return Result<void>{};
  co_return co_await wait_ready(read->header.revision + 1);
}

// ready_since_mine resolves an indeterminate ready put by reading (never by
// writing again): true when ready exists and was written after the own key,
// so the put (or another participant's) released the others.
asio::awaitable<bool> DoubleBarrier::ready_since_mine() {
  auto now = co_await client_.range(RangeRequest::single(key_ + "/ready"));
  co_return now && !now->kvs.empty() && now->kvs.front().mod_revision > my_rev_;
}

// wait_ready waits for a ready put after the own key (from_rev, the
// deciding read's next revision, is covered by wait_put_after's read).
Task<void> DoubleBarrier::wait_ready(Revision /*from_rev*/) {
  auto put = co_await detail::wait_put_after(client_, key_ + "/ready", my_rev_, &session_);
  if (put) co_return Result<void>{};
  co_await asio::this_coro::reset_cancellation_state();
  co_return co_await give_up(put.error());
}

Task<void> DoubleBarrier::leave() {
  const std::string waiters = key_ + "/waiters/";
  for (;;) {
    auto r = co_await client_.range(RangeRequest::prefix(waiters));
    if (!r) {
      co_await asio::this_coro::reset_cancellation_state();
      co_return co_await give_up(r.error());
    }
    const auto& kvs = r->kvs;
    if (kvs.empty()) {
      my_key_.clear();
      co_return Result<void>{};
    }
    auto by_mod = [](const KeyValue& a, const KeyValue& b) {
      return a.mod_revision < b.mod_revision;
    };
    const KeyValue& lowest = *std::min_element(kvs.begin(), kvs.end(), by_mod);
    const KeyValue& highest = *std::max_element(kvs.begin(), kvs.end(), by_mod);
    const bool i_am_lowest = !my_key_.empty() && lowest.key == my_key_;
    if (i_am_lowest && kvs.size() == 1) {
      TxnRequest t;
      t.compare.push_back(Compare::create_revision(my_key_) == my_rev_);
      t.success.push_back(Op::del(key_ + "/ready"));
      t.success.push_back(Op::del(my_key_));
      auto d = co_await client_.txn(std::move(t));
      if (!d) co_return d.error();
      my_key_.clear();
      co_return Result<void>{};
    }
    const KeyValue& awaited = i_am_lowest ? highest : lowest;
    if (!i_am_lowest && !my_key_.empty()) {
      auto d = co_await detail::delete_created_key(client_, my_key_, my_rev_);
      if (!d) co_return d.error();
      my_key_.clear();
    }
    auto gone = co_await detail::wait_delete(client_, awaited.key, awaited.create_revision,
                                             r->header.revision + 1, &session_);
    if (!gone) {
      co_await asio::this_coro::reset_cancellation_state();
      co_return co_await give_up(gone.error());
    }
  }
}

}  // namespace coord
