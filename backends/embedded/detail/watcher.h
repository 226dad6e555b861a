// watcher.h: one watch of the embedded store (private).
//
// A Watcher is the store-side queue of one watch: the store pushes whole
// revisions under its lock (push never blocks and never runs consumer
// code), the consumer's next() pops or waits. A queue longer than its
// limit ends the watch with kWatchOverflow instead of stalling writers.
// Thread-safety: every member is thread-safe; one consumer at a time.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "api/detail/completion.h"
#include "api/watch.h"
#include "backends/embedded/detail/mvcc.h"

namespace coord::embedded::detail {

class Watcher : public std::enable_shared_from_this<Watcher> {
 public:
  // Watcher delivers revisions >= start (start may lie in the future).
  Watcher(WatchRequest req, Revision start, std::size_t limit)
      : req_(std::move(req)), start_(start), limit_(limit) {}

  const WatchRequest& request() const { return req_; }
  Revision start() const { return start_; }
  KeyRange range() const { return KeyRange{req_.key, req_.range_end}; }
  // id is the store's registration number (set once, when registered).
  std::uint64_t id() const { return id_; }
  void set_id(std::uint64_t id) { id_ = id; }

  // push enqueues r (replay ignores the limit). Returns false, and ends the
  // watch with kWatchOverflow, when the queue is full; false too if ended.
  bool push(WatchResponse r, bool replay = false);
  // end ends the watch with ec (first error wins). compact_rev goes with
  // kCompacted.
  void end(ErrorCode ec, Revision compact_rev = 0);
  bool ended() const;

  // next pops the next response, waiting if none. Errors: the end error;
  // kCancelled when the awaiting operation is cancelled (watch stays).
  boost::asio::awaitable<Result<WatchResponse>> next();
  Revision compact_revision() const;

 private:
  using WaitHandler = coord::detail::Completion<ErrorCode>;
  void wait(WaitHandler h);
  void wake_locked(std::unique_lock<std::mutex>& lock);

  const WatchRequest req_;
  const Revision start_;
  const std::size_t limit_;
  std::uint64_t id_ = 0;
  mutable std::mutex mu_;
  std::deque<WatchResponse> queue_;
  std::optional<ErrorCode> error_;
  Revision compact_rev_ = 0;
  WaitHandler waiter_;
  std::uint64_t wait_id_ = 0;
};

}  // namespace coord::embedded::detail
