// lease_mux.h: lease keep-alives multiplexed on one LeaseKeepAlive stream.
//
// LeaseMux opens the client's keep-alive stream on demand on the current
// endpoint and routes each response to the oldest waiter of that lease
// (KeepAliveTable). When the stream fails, pending waiters get kUnavailable
// and the client moves to the next endpoint; the next keep-alive reopens
// the stream there. A keep-alive that gets no answer within its timeout
// tears the stream down the same way, so a hung member is left behind.
// Thread-safety: thread-safe.
#pragma once

#include <memory>
#include <mutex>

#include "api/client.h"
#include "backends/etcd/detail/bidi_stream.h"
#include "backends/etcd/detail/core.h"
#include "backends/etcd/detail/keep_alive_table.h"

namespace coord::etcd::detail {

class LeaseMux : public std::enable_shared_from_this<LeaseMux> {
 public:
  explicit LeaseMux(std::shared_ptr<Core> core) : core_(std::move(core)) {}

  // keep_alive_once renews lease id once over the shared stream. Errors:
  // kLeaseNotFound (etcd answered TTL <= 0), kUnavailable (stream failed or
  // no answer in time; retry), kCancelled, kClosed.
  Task<LeaseKeepAliveResponse> keep_alive_once(LeaseId id);

  // close fails pending keep-alives with kClosed and ends the stream.
  void close();

 private:
  using Stream = BidiStream<pb::LeaseKeepAliveRequest, pb::LeaseKeepAliveResponse>;
  using Waiter = coord::detail::Completion<Result<LeaseKeepAliveResponse>>;

  asio::awaitable<Result<LeaseKeepAliveResponse>> send_and_wait(
      LeaseId id, std::shared_ptr<std::uint64_t> gen);
  // start registers waiter w, sends the request and returns the stream's
  // generation (0 when closed).
  std::uint64_t start(LeaseId id, Waiter w);
  void ensure_stream_locked();
  void on_read(std::uint64_t gen, pb::LeaseKeepAliveResponse&& r);
  void on_done(std::uint64_t gen, const grpc::Status& s);
  void cancel_waiter(std::uint64_t w);
  void drop_stream(std::uint64_t gen);

  std::shared_ptr<Core> core_;
  std::recursive_mutex mu_;
  std::shared_ptr<Stream> stream_;
  std::uint64_t gen_ = 0;
  std::size_t stream_ep_ = 0;
  KeepAliveTable table_;
  std::map<std::uint64_t, Waiter> waiters_;
  std::uint64_t next_waiter_ = 1;
  bool closed_ = false;
};

}  // namespace coord::etcd::detail
