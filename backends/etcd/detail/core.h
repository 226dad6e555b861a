// core.h: what every part of an etcd client shares: the endpoints and their
// gRPC channels, the auth token, and the unary-call loop with failover.
//
// Core::unary runs one call with gRPC's callback API: the callback posts
// the result to the awaiting coroutine's executor (detail::Completion), and
// per-operation cancellation calls ClientContext::TryCancel. A transport
// failure moves the client to the next endpoint; reads are retried there,
// writes only when the request provably never reached a server.
// Thread-safety: Core is thread-safe. Private to backends/etcd.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/client.h"
#include "api/detail/completion.h"
#include "backends/etcd/detail/status_map.h"
#include "backends/etcd/etcd_client.h"
#include "etcd_rpc.grpc.pb.h"

namespace coord::etcd::detail {

namespace asio = boost::asio;
namespace pb = ::etcdserverpb;

// Endpoint is one member's channel and stubs.
struct Endpoint {
  std::string target;  // "host:port"
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<pb::KV::Stub> kv;
  std::unique_ptr<pb::Watch::Stub> watch;
  std::unique_ptr<pb::Lease::Stub> lease;
  std::unique_ptr<pb::Auth::Stub> auth;
  std::unique_ptr<pb::Maintenance::Stub> maintenance;
};

// UnaryState is one attempt of one unary call; shared by the coroutine, the
// gRPC callback and the cancellation handler.
template <typename Req, typename Resp>
struct UnaryState {
  grpc::ClientContext ctx;
  std::shared_ptr<const Req> req;
  Resp resp;
  coord::detail::Completion<grpc::Status> done;
};

class Core : public std::enable_shared_from_this<Core> {
 public:
  Core(Options options, std::vector<std::unique_ptr<Endpoint>> endpoints);

  const Options& options() const { return options_; }
  Clock& clock() { return *clock_; }
  std::size_t size() const { return endpoints_.size(); }
  Endpoint& endpoint(std::size_t i) { return *endpoints_[i]; }

  // current is the index of the endpoint calls go to now.
  std::size_t current() const { return current_.load(); }
  // failover moves to the endpoint after `from` unless another caller
  // already moved away from it.
  void failover(std::size_t from);

  // prepare readies a context: token metadata, optional deadline, and the
  // require-leader flag for streams (etcd closes them when it loses its
  // leader instead of leaving them silent).
  void prepare(grpc::ClientContext& ctx, Duration timeout, bool require_leader,
               bool with_token = true);

  // token_generation counts token refreshes (0: never authenticated).
  std::uint64_t token_generation() const;

  // authenticate_blocking fetches a token from endpoint i (used by connect).
  // Errors: kAuthFailed, kUnavailable, kTlsError.
  Result<void> authenticate_blocking(std::size_t i);

  // refresh_token re-authenticates unless the token changed since
  // generation `seen` (another call refreshed it). Errors: kAuthFailed,
  // kUnavailable.
  Task<void> refresh_token(std::uint64_t seen);

  // has_user tells whether authentication is configured.
  bool has_user() const { return !options_.user.empty(); }

  // unary runs one call with failover and token refresh (see above).
  // invoke(endpoint, ctx, req, resp, callback) starts the gRPC call.
  template <typename Resp, typename Req, typename Invoke>
  Task<Resp> unary(CallKind kind, Req req, Invoke invoke);

 private:
  template <typename Resp, typename Req, typename Invoke>
  asio::awaitable<grpc::Status> attempt(std::size_t ep, std::shared_ptr<const Req> req,
                                        Invoke& invoke, Resp& out, bool with_token = true);
  static bool cancelled(asio::cancellation_state st) {
    return st.cancelled() != asio::cancellation_type::none;
  }

  const Options options_;
  Clock* clock_;
  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  std::atomic<std::size_t> current_{0};
  mutable std::mutex token_mu_;
  std::string token_;
  std::uint64_t token_generation_ = 0;
};

template <typename Resp, typename Req, typename Invoke>
asio::awaitable<grpc::Status> Core::attempt(std::size_t ep, std::shared_ptr<const Req> req,
                                            Invoke& invoke, Resp& out, bool with_token) {
  auto st = std::make_shared<UnaryState<Req, Resp>>();
  st->req = std::move(req);
  prepare(st->ctx, options_.request_timeout, false, with_token);
  Endpoint& e = endpoint(ep);
  grpc::Status status = co_await asio::async_initiate<decltype(asio::use_awaitable),
                                                      void(grpc::Status)>(
      [&](auto handler) {
        st->done = coord::detail::Completion<grpc::Status>(std::move(handler));
        auto slot = st->done.slot();
        if (slot.is_connected()) {
          slot.assign([st](asio::cancellation_type) { st->ctx.TryCancel(); });
        }
        invoke(e, &st->ctx, st->req.get(), &st->resp,
               [st](grpc::Status s) { std::move(st->done).complete(std::move(s)); });
      },
      asio::use_awaitable);
  if (status.ok()) out = std::move(st->resp);
  co_return status;
}

template <typename Resp, typename Req, typename Invoke>
Task<Resp> Core::unary(CallKind kind, Req req, Invoke invoke) {
  auto self = shared_from_this();  // outlive the caller's client handle
  auto shared_req = std::make_shared<const Req>(std::move(req));
  const std::size_t max_attempts = 2 * size();
  bool refreshed = false;
  Errc last = Errc::kUnavailable;
  for (std::size_t n = 0; n < max_attempts; ++n) {
    auto cs = co_await asio::this_coro::cancellation_state;
    if (cancelled(cs)) co_return make_error_code(Errc::kCancelled);
    if (n == size()) {
      // Every endpoint failed once: give them a moment before round two.
      auto slept = co_await clock_->sleep_for(std::chrono::milliseconds(300));
      if (!slept) co_return make_error_code(Errc::kCancelled);
    }
    const std::size_t ep = current();
    const std::uint64_t gen = token_generation();
    Resp out;
    grpc::Status s = co_await attempt<Resp>(ep, shared_req, invoke, out);
    if (s.ok()) co_return out;
    const Verdict v = classify(s.error_code(), s.error_message(), kind);
    if (v.next == Next::kRefreshToken && has_user() && !refreshed) {
      refreshed = true;
      auto r = co_await refresh_token(gen);
      if (!r) co_return r.error();
      --n;  // the refresh does not use up an attempt
      continue;
    }
    if (v.next != Next::kRetryNextEndpoint) co_return make_error_code(v.errc);
    last = v.errc;
    failover(ep);
  }
  co_return make_error_code(last);
}

}  // namespace coord::etcd::detail
