#include "backends/etcd/detail/lease_mux.h"

#include "api/deadline.h"

namespace coord::etcd::detail {
namespace {
// kKeepAliveTimeout bounds one renewal; etcd answers in milliseconds unless
// the member lost its leader.
constexpr Duration kKeepAliveTimeout = std::chrono::seconds(3);
}  // namespace

Task<LeaseKeepAliveResponse> LeaseMux::keep_alive_once(LeaseId id) {
  auto self = shared_from_this();
  const Duration timeout = std::min(core_->options().request_timeout, kKeepAliveTimeout);
  auto gen = std::make_shared<std::uint64_t>(0);
  auto r = co_await with_timeout(core_->clock(), timeout, send_and_wait(id, gen));
  if (!r && is_errc(r.error(), Errc::kDeadlineExceeded)) {
    // No answer: leave this stream (and endpoint) behind.
    drop_stream(*gen);
    co_return make_error_code(Errc::kUnavailable);
  }
  co_return r;
}

asio::awaitable<Result<LeaseKeepAliveResponse>> LeaseMux::send_and_wait(
    LeaseId id, std::shared_ptr<std::uint64_t> gen) {
  // Named first: g++ 12 destroys a capturing lambda temporary inside a
  // co_await expression twice (sim/FINDINGS.md F2), here the shared_ptr.
  auto init = [this, id, gen](auto handler) { *gen = start(id, Waiter(std::move(handler))); };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                          void(Result<LeaseKeepAliveResponse>)>(
      init, asio::use_awaitable);
}

std::uint64_t LeaseMux::start(LeaseId id, Waiter w) {
  std::lock_guard lock(mu_);
  if (closed_) {
    std::move(w).complete(make_error_code(Errc::kClosed));
    return 0;
  }
  const std::uint64_t wid = next_waiter_++;
  auto slot = w.slot();
  if (slot.is_connected()) {
    slot.assign([weak = weak_from_this(), wid](asio::cancellation_type) {
      if (auto m = weak.lock()) m->cancel_waiter(wid);
    });
  }
  waiters_.emplace(wid, std::move(w));
  table_.add(wid, id);
  ensure_stream_locked();
  pb::LeaseKeepAliveRequest req;
  req.set_id(id);
  stream_->write(std::move(req));
  return gen_;
}

void LeaseMux::ensure_stream_locked() {
  if (stream_) return;
  const std::uint64_t gen = ++gen_;
  stream_ep_ = core_->current();
  auto weak = weak_from_this();
  Endpoint& ep = core_->endpoint(stream_ep_);
  auto core = core_;
  stream_ = Stream::start(
      [core](grpc::ClientContext& ctx) { core->prepare(ctx, Duration::zero(), true); },
      [&ep](grpc::ClientContext* ctx, Stream* s) { ep.lease->async()->LeaseKeepAlive(ctx, s); },
      [weak, gen](pb::LeaseKeepAliveResponse&& r) {
        if (auto m = weak.lock()) m->on_read(gen, std::move(r));
      },
      [weak, gen](const grpc::Status& s) {
        if (auto m = weak.lock()) m->on_done(gen, s);
      });
}

void LeaseMux::on_read(std::uint64_t gen, pb::LeaseKeepAliveResponse&& r) {
  std::lock_guard lock(mu_);
  if (gen != gen_) return;
  auto wid = table_.on_response(r.id());
  if (!wid) return;
  auto it = waiters_.find(*wid);
  if (it == waiters_.end()) return;
  Waiter w = std::move(it->second);
  waiters_.erase(it);
  if (r.ttl() <= 0) {
    std::move(w).complete(make_error_code(Errc::kLeaseNotFound));
    return;
  }
  LeaseKeepAliveResponse out;
  out.header = Header{r.header().revision(), r.header().cluster_id(), r.header().member_id(),
                      r.header().raft_term()};
  out.id = r.id();
  out.ttl = r.ttl();
  std::move(w).complete(std::move(out));
}

void LeaseMux::on_done(std::uint64_t gen, const grpc::Status& s) {
  std::lock_guard lock(mu_);
  if (gen != gen_) return;
  stream_.reset();
  if (!closed_ && s.error_code() != grpc::StatusCode::CANCELLED) core_->failover(stream_ep_);
  Errc e = definite_errc(s.error_code(), s.error_message());
  if (s.ok() || e == Errc::kCancelled || e == Errc::kDeadlineExceeded) e = Errc::kUnavailable;
  if (closed_) e = Errc::kClosed;
  for (auto wid : table_.on_closed()) {
    auto it = waiters_.find(wid);
    if (it == waiters_.end()) continue;
    Waiter w = std::move(it->second);
    waiters_.erase(it);
    std::move(w).complete(make_error_code(e));
  }
}

void LeaseMux::cancel_waiter(std::uint64_t wid) {
  std::lock_guard lock(mu_);
  auto it = waiters_.find(wid);
  if (it == waiters_.end()) return;
  Waiter w = std::move(it->second);
  waiters_.erase(it);
  table_.remove(wid);
  std::move(w).complete(make_error_code(Errc::kCancelled));
}

void LeaseMux::drop_stream(std::uint64_t gen) {
  std::shared_ptr<Stream> s;
  {
    std::lock_guard lock(mu_);
    if (gen != gen_ || !stream_) return;
    s = stream_;
    core_->failover(stream_ep_);
  }
  s->cancel();
}

void LeaseMux::close() {
  std::shared_ptr<Stream> s;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    s = stream_;
  }
  if (s) {
    s->cancel();
    // Wait (bounded) until gRPC is done with the stream, so the channel is
    // never released on one of its own threads (bidi_stream.h).
    (void)s->wait_finished(std::chrono::seconds(5));
  }
}

}  // namespace coord::etcd::detail
