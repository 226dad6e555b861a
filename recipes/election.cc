#include "recipes/election.h"

#include <boost/asio/this_coro.hpp>

#include "recipes/detail/keys.h"
#include "recipes/detail/lock_wait.h"
#include "recipes/detail/wait.h"

namespace coord {
namespace asio = boost::asio;

namespace {

// as_not_leader maps "the key is not ours" errors of a leader's call.
ErrorCode as_not_leader(const ErrorCode& ec) {
  if (is_errc(ec, Errc::kNotLocked)) return make_error_code(Errc::kNotLeader);
  return ec;
}

}  // namespace

Election::Election(std::shared_ptr<Session> session, std::string name)
    : session_(std::move(session)),
      prefix_(std::move(name) + "/"),
      key_(prefix_ + detail::format_lease_hex(session_->lease())) {}

Election Election::resume(std::shared_ptr<Session> session, std::string name,
                          std::string key, Revision create_revision) {
  Election e(std::move(session), std::move(name));
  e.key_ = std::move(key);
  e.rev_ = create_revision;
  return e;
}

Task<Revision> Election::campaign(std::string value) {
  return detail::shielded(campaign_body(std::move(value)));
}

Task<Revision> Election::campaign_body(std::string value) {
  if (session_->is_done()) co_return make_error_code(Errc::kSessionExpired);
  auto slot = co_await detail::enqueue_lease_key(*session_, key_, value,
                                                 RangeRequest::first_create(prefix_));
  if (!slot) {
    if (is_errc(slot.error(), Errc::kIndeterminate) || detail::is_cancel(slot.error())) {
      // The key may exist: give it up so no phantom waiter stays queued.
      co_await asio::this_coro::reset_cancellation_state();
      (void)co_await detail::abandon_lease_key(*session_, key_);
    }
    co_return slot.error();
  }
  const Revision rev = slot->create_revision;
  header_ = slot->header;
  if (!slot->created && slot->existing_value != value) {
    // Same session campaigned before with another value: take the new one.
    rev_ = rev;
    auto p = co_await proclaim(value);
    if (!p) {
      (void)co_await resign();
      co_return p.error();
    }
  }
  const auto& first = slot->probe.kvs;
  if (first.empty() || first.front().create_revision == rev) {
    rev_ = rev;
    co_return rev;
  }
  co_return co_await wait_turn(rev, slot->created);
}

// wait_turn waits for every older candidate to go, then confirms K. On
// failure it deletes K if this campaign created it.
Task<Revision> Election::wait_turn(Revision rev, bool created) {
  Client& client = session_->client();
  rev_ = 0;
  auto waited = co_await detail::wait_deletes(client, prefix_, rev - 1, session_.get());
  ErrorCode error;
  if (waited) {
    auto confirmed = co_await detail::confirm_own_key(client, key_, rev);
    if (confirmed) {
      rev_ = rev;
      header_ = *confirmed;
      co_return rev;
    }
    error = confirmed.error();
  } else {
    error = waited.error();
  }
  co_await asio::this_coro::reset_cancellation_state();
  if (created) (void)co_await detail::delete_created_key(client, key_, rev);
  co_return error;
}

Task<void> Election::proclaim(std::string value) {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLeader);
  TxnRequest t;
  t.compare.push_back(is_leader());
  t.success.push_back(Op::put(key_, std::move(value), session_->lease()));
  auto r = co_await session_->client().txn(std::move(t));
  if (!r) {
    if (!is_errc(r.error(), Errc::kLeaseNotFound)) co_return r.error();
    rev_ = 0;
    co_return make_error_code(Errc::kNotLeader);
  }
  if (!r->succeeded) {
    rev_ = 0;
    co_return make_error_code(Errc::kNotLeader);
  }
  co_return Result<void>();
}

Task<void> Election::resign() {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLeader);
  auto deleted = co_await detail::delete_created_key(session_->client(), key_, rev_);
  if (!deleted) co_return deleted.error();
  rev_ = 0;
  if (!*deleted) co_return make_error_code(Errc::kNotLeader);
  co_return Result<void>();
}

Task<KeyValue> Election::leader() {
  auto r = co_await session_->client().range(RangeRequest::first_create(prefix_));
  if (!r) co_return r.error();
  if (r->kvs.empty()) co_return make_error_code(Errc::kNoLeader);
  co_return std::move(r->kvs.front());
}

ElectionObserver Election::observe() const {
  return ElectionObserver(session_->client(), prefix_.substr(0, prefix_.size() - 1));
}

Compare Election::is_leader() const { return detail::owner_compare(key_, rev_); }

Task<TxnResponse> Election::guarded_txn(TxnRequest req) {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLeader);
  auto r = co_await detail::guarded_txn(session_->client(), is_leader(), std::move(req));
  if (!r) co_return as_not_leader(r.error());
  co_return r;
}

Task<void> Election::lost() {
  if (rev_ <= 0) co_return make_error_code(Errc::kNotLeader);
  co_return co_await detail::wait_key_lost(*session_, key_, rev_);
}

// --- ElectionObserver ---

ElectionObserver::ElectionObserver(Client& client, std::string name)
    : client_(&client), prefix_(std::move(name) + "/") {}

Task<KeyValue> ElectionObserver::next() {
  for (;;) {
    if (!pending_.empty()) {
      KeyValue kv = std::move(pending_.front());
      pending_.erase(pending_.begin());
      co_return kv;
    }
    if (ended_) co_return ended_;
    if (!watch_) {
      auto s = co_await sync();
      if (!s && !detail::is_cancel(s.error())) ended_ = s.error();
      if (!s) co_return s.error();
      continue;
    }
    auto r = co_await watch_->next();
    if (!r) {
      if (is_errc(r.error(), Errc::kCompacted)) {
        watch_.reset();  // re-read the present; last_ keeps us monotonic
        continue;
      }
      if (!detail::is_cancel(r.error())) ended_ = r.error();
      co_return r.error();
    }
    // Leaders are judged per revision: a revision is atomic.
    Revision at = 0;
    for (const auto& ev : r->events) {
      if (at != 0 && ev.kv.mod_revision != at) note_leader();
      at = ev.kv.mod_revision;
      apply(ev);
    }
    note_leader();
  }
}

// sync reads every candidate, then watches the prefix from the next revision.
Task<void> ElectionObserver::sync() {
  auto r = co_await client_->range(RangeRequest::prefix(prefix_));
  if (!r) co_return r.error();
  auto w = co_await client_->watch(WatchRequest::prefix(prefix_, r->header.revision + 1));
  if (!w) co_return w.error();
  candidates_.clear();
  for (auto& kv : r->kvs) candidates_[kv.key] = std::move(kv);
  watch_ = std::move(*w);
  note_leader();
  co_return Result<void>();
}

void ElectionObserver::apply(const Event& ev) {
  if (ev.type == Event::Type::kDelete) {
    candidates_.erase(ev.kv.key);
  } else {
    candidates_[ev.kv.key] = ev.kv;
  }
}

// note_leader queues the current leader if it changed since the last one.
void ElectionObserver::note_leader() {
  const KeyValue* leader = nullptr;
  for (const auto& [key, kv] : candidates_) {
    if (leader == nullptr || kv.create_revision < leader->create_revision) leader = &kv;
  }
  if (leader == nullptr) return;
  if (last_ && (leader->create_revision < last_->create_revision ||
                (leader->create_revision == last_->create_revision &&
                 leader->mod_revision <= last_->mod_revision))) {
    return;
  }
  last_ = *leader;
  pending_.push_back(*leader);
}

}  // namespace coord
