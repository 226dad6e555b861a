// wait.h: the waits etcd's recipes share, made cancellable, session-aware
// and compaction-safe.
//
// Rules every helper here follows (and recipes built on them inherit):
//   - A watch starts at the revision after the read that decided to wait
//     (read.header.revision + 1), never at an older revision: etcd serves
//     past-revision watches from its slow unsynced path (~100 ms) and a
//     compacted start fails.
//   - A watch that ends is an error, never a silent success: kCompacted is
//     handled by re-reading (no polling), other stream errors (kClosed,
//     kUnavailable, kWatchOverflow, ...) are returned.
//   - Per-operation cancellation (with_deadline, a cancelled caller) ends the
//     wait with kCancelled. Callers that then clean up must first
//     `co_await asio::this_coro::reset_cancellation_state();`: until then
//     every co_await, even of another coroutine, throws operation_aborted.
//   - Given a Session, the wait also ends when the session is lost, with
//     kSessionExpired.
// Thread-safety: free functions; REQUIRES: client and session outlive the
// call.
#pragma once

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/client.h"
#include "api/deadline.h"
#include "recipes/session.h"

namespace coord::detail {

// shielded runs op so that the caller's terminal cancellation reaches op's
// pending operation and comes back as a result (kCancelled, or the
// deadline's kDeadlineExceeded), never as the operation_aborted exception
// Asio throws at the next co_await of a cancelled coroutine: a lock that is
// cancelled between two of its round trips still cleans up and returns.
template <typename T>
Task<T> shielded(Task<T> op) {
  if (co_await cancelled_already()) co_return make_error_code(Errc::kCancelled);
  auto ex = co_await boost::asio::this_coro::executor;
  auto body = shielded_body(std::move(op));
  co_return co_await boost::asio::co_spawn(ex, std::move(body), boost::asio::use_awaitable);
}

// until_lost runs op; if session (may be null: just op) is or becomes done
// first, op is cancelled and the result is kSessionExpired. Any other
// outcome of op, including success that raced the loss, is returned as is.
// Cancelling the caller cancels op (kCancelled).
template <typename T>
[[nodiscard]] Task<T> until_lost(Session* session, Task<T> op) {
  namespace asio = boost::asio;
  if (session == nullptr) co_return co_await std::move(op);
  if (session->is_done()) co_return make_error_code(Errc::kSessionExpired);
  if (co_await cancelled_already()) co_return make_error_code(Errc::kCancelled);
  auto ex = co_await asio::this_coro::executor;
  // op runs shielded: the group's cancellation comes back as a result, not
  // as an exception thrown at op's next co_await. Operations are named
  // first (g++ 12 and temporaries in co_await, sim/FINDINGS.md F2).
  auto guarded = shielded_body(std::move(op));
  auto run_op = asio::co_spawn(ex, std::move(guarded), asio::deferred);
  auto lost = session->done().async_wait(asio::bind_executor(ex, asio::deferred));
  auto group = asio::experimental::make_parallel_group(std::move(run_op), std::move(lost));
  auto [order, op_error, op_result, lost_error] =
      co_await std::move(group).async_wait(asio::experimental::wait_for_one(),
                                           asio::use_awaitable);
  if (op_error) std::rethrow_exception(op_error);
  const bool lost_first = order[0] == 1 && !lost_error;
  if (lost_first && !op_result && is_errc(op_result.error(), Errc::kCancelled)) {
    co_return make_error_code(Errc::kSessionExpired);
  }
  co_return std::move(op_result);
}

// EventFilter selects the event a wait is for.
using EventFilter = std::function<bool(const Event&)>;

// wait_event opens req and returns the first event that passes `want`.
// One watch; no other round trip. Errors: kCompacted (req.start_revision
// was compacted: re-read, then wait again), the stream's errors,
// kCancelled.
[[nodiscard]] Task<Event> wait_event(Client& client, WatchRequest req, EventFilter want);

// first_event waits on every stream at once and returns the first event
// that passes `want` on any of them (or the first stream error); the other
// waits are then cancelled and finished before it returns. The streams stay
// open: the caller owns and closes them. No round trip. Errors: a stream's
// error (kCompacted included), kCancelled.
[[nodiscard]] Task<Event> first_event(std::vector<std::unique_ptr<WatchStream>>& streams,
                                      const EventFilter& want);

// wait_delete waits until `key` (the incarnation created at create_rev; 0:
// any) is deleted after the caller's read (from_rev = read.header.revision
// + 1). It opens a watch at the present, then reads the key once, so the
// gap since from_rev is covered and the watch stays on etcd's synced path
// (a watch from a passed revision waits for etcd's 100 ms unsynced loop).
// Returns the deletion revision, or the revision of the read that found it
// gone. Cost: one watch and one range (+ the same per compaction). With
// create_rev 0, a delete and re-create before the watch opens counts as
// still there: pass the create revision to wait for one incarnation. Errors: kSessionExpired (session lost), kCancelled, the
// stream's errors except kCompacted.
[[nodiscard]] Task<Revision> wait_delete(Client& client, std::string key, Revision create_rev,
                                         Revision from_rev, Session* session = nullptr);

// wait_put_after waits until key is written at a revision > after_rev: a
// watch at the present, then one read (as wait_delete, so the watch stays on
// etcd's synced path). Returns that revision. Cost: one watch and one range.
// Errors: kSessionExpired (session lost), kCancelled, the stream's errors
// except kCompacted (absorbed by watching again and re-reading).
[[nodiscard]] Task<Revision> wait_put_after(Client& client, std::string key, Revision after_rev,
                                            Session* session = nullptr);

// wait_deletes waits until no key under prefix has create_revision <=
// max_create_rev (etcd's waitDeletes): it reads the newest such key and
// waits for that one only (the nearest predecessor: no herd), then reads
// again. Returns the header of the last read (which found none). Cost: one
// range, plus one range and one watch per predecessor that goes away.
// Errors: as wait_delete.
[[nodiscard]] Task<Header> wait_deletes(Client& client, std::string prefix,
                                        Revision max_create_rev, Session* session = nullptr);

}  // namespace coord::detail
