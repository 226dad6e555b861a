// watch_mux.h: every watch of a client multiplexed on one Watch stream.
//
// WatchMux owns the client's watch stream and a WatchTable. Responses are
// routed to per-watch queues (WatchBox) that WatchStream::next() drains.
// When the stream fails, the client moves to the next endpoint and the mux
// reopens the stream there after a short back-off, re-creating every watch
// from its last delivered revision + 1 (the table drops anything already
// delivered). Cancelling or destroying a WatchStream sends a cancel so the
// server forgets the watcher too.
// Thread-safety: thread-safe; gRPC callbacks and consumers meet under mu_.
#pragma once

#include <grpcpp/alarm.h>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "api/client.h"
#include "backends/etcd/detail/bidi_stream.h"
#include "backends/etcd/detail/core.h"
#include "backends/etcd/detail/watch_table.h"

namespace coord::etcd::detail {

// WatchBox is the consumer side of one watch.
struct WatchBox {
  using Waiter = coord::detail::Completion<Result<WatchResponse>>;
  std::deque<WatchResponse> queue;
  std::optional<ErrorCode> final;
  Revision compact_revision = 0;
  Waiter waiter;                 // a pending next()
  std::uint64_t waiter_seq = 0;  // which next() the waiter belongs to
  coord::detail::Completion<ErrorCode> created_waiter;  // watch() awaiting creation
  bool created = false;
};

class WatchMux : public std::enable_shared_from_this<WatchMux> {
 public:
  explicit WatchMux(std::shared_ptr<Core> core) : core_(std::move(core)) {}

  // watch registers a watch and waits until etcd created it, so events
  // from start_revision (or from now) on are guaranteed. Errors:
  // kInvalidArgument, kPermissionDenied, kUnauthenticated, kUnavailable (not
  // created within the request timeout), kCancelled, kClosed.
  Task<std::unique_ptr<WatchStream>> watch(WatchRequest req);

  // close ends every watch with kClosed and cancels the stream.
  void close();

  // Used by watch() and the WatchStream implementation.
  asio::awaitable<ErrorCode> wait_created(std::shared_ptr<WatchBox> box);
  asio::awaitable<Result<WatchResponse>> next(std::int64_t id, std::shared_ptr<WatchBox> box);
  Result<void> request_progress();
  void cancel(std::int64_t id, const std::shared_ptr<WatchBox>& box, Errc why);

 private:
  using Stream = BidiStream<pb::WatchRequest, pb::WatchResponse>;
  static constexpr std::size_t kMaxQueued = 10000;

  void ensure_stream_locked();
  void send_create_locked(const WatchCreate& c);
  void send_cancel_locked(std::int64_t watch_id);
  void on_read(std::uint64_t gen, pb::WatchResponse&& r);
  void on_done(std::uint64_t gen, const grpc::Status& s);
  void apply_locked(WatchAction& a);
  void fail_locked(WatchBox& box, ErrorCode ec);
  void schedule_reconnect_locked();

  std::shared_ptr<Core> core_;
  std::recursive_mutex mu_;
  WatchTable table_;
  std::map<std::int64_t, std::shared_ptr<WatchBox>> boxes_;
  std::int64_t next_id_ = 1;
  std::shared_ptr<Stream> stream_;
  std::uint64_t gen_ = 0;
  std::size_t stream_ep_ = 0;
  int failures_ = 0;
  std::unique_ptr<grpc::Alarm> alarm_;
  std::unique_ptr<grpc::Alarm> retired_alarm_;
  bool closed_ = false;
};

}  // namespace coord::etcd::detail
