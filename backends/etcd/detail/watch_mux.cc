#include "backends/etcd/detail/watch_mux.h"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>

#include "api/deadline.h"
#include "backends/etcd/detail/convert.h"

namespace coord::etcd::detail {
namespace {

using Lock = std::lock_guard<std::recursive_mutex>;

class EtcdWatchStream final : public WatchStream {
 public:
  EtcdWatchStream(std::shared_ptr<WatchMux> mux, std::int64_t id, std::shared_ptr<WatchBox> box)
      : mux_(std::move(mux)), id_(id), box_(std::move(box)) {}
  ~EtcdWatchStream() override { mux_->cancel(id_, box_, Errc::kCancelled); }

  asio::awaitable<Result<WatchResponse>> next() override { return mux_->next(id_, box_); }
  asio::awaitable<Result<void>> request_progress() override {
    co_return mux_->request_progress();
  }
  Revision compact_revision() const override { return box_->compact_revision; }
  void cancel() override { mux_->cancel(id_, box_, Errc::kCancelled); }

 private:
  std::shared_ptr<WatchMux> mux_;
  const std::int64_t id_;
  std::shared_ptr<WatchBox> box_;
};

// created_result waits until the server confirmed box's watch.
Task<void> created_result(std::shared_ptr<WatchMux> mux, std::shared_ptr<WatchBox> box) {
  ErrorCode ec = co_await mux->wait_created(std::move(box));
  if (ec) co_return ec;
  co_return Result<void>{};
}

}  // namespace

Task<std::unique_ptr<WatchStream>> WatchMux::watch(WatchRequest req) {
  if (req.key.empty() && req.range_end.empty()) {
    co_return make_error_code(Errc::kInvalidArgument);
  }
  auto cs = co_await asio::this_coro::cancellation_state;
  if (cs.cancelled() != asio::cancellation_type::none) co_return make_error_code(Errc::kCancelled);
  auto self = shared_from_this();
  auto box = std::make_shared<WatchBox>();
  std::int64_t id = 0;
  {
    Lock lock(mu_);
    if (closed_) co_return make_error_code(Errc::kClosed);
    id = next_id_++;
    boxes_[id] = box;
    auto create = table_.add(id, std::move(req));
    if (stream_ && create) send_create_locked(*create);
    ensure_stream_locked();
  }
  // Named first: g++ 12 mishandles temporaries built inside a co_await
  // expression (sim/FINDINGS.md F2).
  Task<void> wait = created_result(self, box);
  auto created = co_await with_timeout(core_->clock(), core_->options().request_timeout,
                                       std::move(wait));
  if (!created) {
    ErrorCode ec = created.error();
    cancel(id, box, Errc::kCancelled);
    if (is_errc(ec, Errc::kDeadlineExceeded)) ec = make_error_code(Errc::kUnavailable);
    co_return ec;
  }
  co_return std::unique_ptr<WatchStream>(std::make_unique<EtcdWatchStream>(self, id, box));
}

asio::awaitable<ErrorCode> WatchMux::wait_created(std::shared_ptr<WatchBox> box) {
  constexpr auto token = asio::as_tuple(asio::use_awaitable);
  // The initiation is named first: g++ 12 destroys a capturing lambda
  // temporary inside a co_await expression twice (sim/FINDINGS.md F2).
  auto init = [this, box](auto handler) {
        coord::detail::Completion<ErrorCode> c(std::move(handler));
        Lock lock(mu_);
        if (box->final) return std::move(c).complete(*box->final);
        if (box->created) return std::move(c).complete(ErrorCode{});
        auto slot = c.slot();
        if (slot.is_connected()) {
          slot.assign([weak = weak_from_this(), box](asio::cancellation_type) {
            auto m = weak.lock();
            if (!m) return;
            Lock lock(m->mu_);
            if (box->created_waiter) {
              std::move(box->created_waiter).complete(make_error_code(Errc::kCancelled));
            }
          });
        }
        box->created_waiter = std::move(c);
      };
  auto [ec] = co_await asio::async_initiate<decltype(token), void(ErrorCode)>(init, token);
  co_return ec;
}

asio::awaitable<Result<WatchResponse>> WatchMux::next(std::int64_t id,
                                                      std::shared_ptr<WatchBox> box) {
  // A cancellation that came before this wait still ends it.
  auto cs = co_await asio::this_coro::cancellation_state;
  if (cs.cancelled() != asio::cancellation_type::none) co_return make_error_code(Errc::kCancelled);
  auto self = shared_from_this();
  auto init = [this, box](auto handler) {
        WatchBox::Waiter w(std::move(handler));
        Lock lock(mu_);
        if (!box->queue.empty()) {
          WatchResponse r = std::move(box->queue.front());
          box->queue.pop_front();
          return std::move(w).complete(std::move(r));
        }
        if (box->final) return std::move(w).complete(*box->final);
        const std::uint64_t seq = ++box->waiter_seq;
        auto slot = w.slot();
        if (slot.is_connected()) {
          slot.assign([weak = weak_from_this(), box, seq](asio::cancellation_type) {
            auto m = weak.lock();
            if (!m) return;
            Lock lock(m->mu_);
            if (box->waiter && box->waiter_seq == seq) {
              std::move(box->waiter).complete(make_error_code(Errc::kCancelled));
            }
          });
        }
        box->waiter = std::move(w);
      };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                          void(Result<WatchResponse>)>(init, asio::use_awaitable);
}

Result<void> WatchMux::request_progress() {
  Lock lock(mu_);
  if (!stream_ || !table_.is_open()) return make_error_code(Errc::kUnavailable);
  pb::WatchRequest m;
  m.mutable_progress_request();
  stream_->write(std::move(m));
  return {};
}

void WatchMux::cancel(std::int64_t id, const std::shared_ptr<WatchBox>& box, Errc why) {
  Lock lock(mu_);
  fail_locked(*box, make_error_code(why));
  boxes_.erase(id);
  if (table_.remove(id)) send_cancel_locked(id);
}

void WatchMux::close() {
  std::shared_ptr<Stream> s;
  {
    Lock lock(mu_);
    closed_ = true;
    for (auto& [id, box] : boxes_) fail_locked(*box, make_error_code(Errc::kClosed));
    boxes_.clear();
    s = stream_;
  }
  if (s) {
    s->cancel();
    // Wait (bounded) until gRPC is done with the stream, so the channel is
    // never released on one of its own threads (bidi_stream.h).
    (void)s->wait_finished(std::chrono::seconds(5));
  }
}

void WatchMux::ensure_stream_locked() {
  if (stream_ || closed_ || table_.size() == 0) return;
  const std::uint64_t gen = ++gen_;
  stream_ep_ = core_->current();
  auto weak = weak_from_this();
  Endpoint& ep = core_->endpoint(stream_ep_);
  auto core = core_;
  auto s = Stream::start(
      [core](grpc::ClientContext& ctx) { core->prepare(ctx, Duration::zero(), true); },
      [&ep](grpc::ClientContext* ctx, Stream* st) { ep.watch->async()->Watch(ctx, st); },
      [weak, gen](pb::WatchResponse&& r) {
        if (auto m = weak.lock()) m->on_read(gen, std::move(r));
      },
      [weak, gen](const grpc::Status& st) {
        if (auto m = weak.lock()) m->on_done(gen, st);
      });
  if (gen != gen_ || s->finished()) return;  // failed at once; on_done handled it
  stream_ = std::move(s);
  for (const auto& c : table_.on_open()) send_create_locked(c);
}

void WatchMux::send_create_locked(const WatchCreate& c) {
  pb::WatchRequest m;
  to_pb(c, m.mutable_create_request());
  stream_->write(std::move(m));
}

void WatchMux::send_cancel_locked(std::int64_t watch_id) {
  if (!stream_) return;
  pb::WatchRequest m;
  m.mutable_cancel_request()->set_watch_id(watch_id);
  stream_->write(std::move(m));
}

void WatchMux::on_read(std::uint64_t gen, pb::WatchResponse&& r) {
  Lock lock(mu_);
  if (gen != gen_ || !stream_) return;
  auto actions = table_.on_response(from_pb(std::move(r)));
  for (auto& a : actions) apply_locked(a);
}

void WatchMux::apply_locked(WatchAction& a) {
  if (a.kind == WatchAction::Kind::kSendCancel) return send_cancel_locked(a.id);
  auto it = boxes_.find(a.id);
  if (it == boxes_.end()) return;
  WatchBox& box = *it->second;
  switch (a.kind) {
    case WatchAction::Kind::kCreated:
      box.created = true;
      failures_ = 0;
      if (box.created_waiter) std::move(box.created_waiter).complete(ErrorCode{});
      return;
    case WatchAction::Kind::kDeliver:
      if (box.waiter) return std::move(box.waiter).complete(std::move(a.response));
      if (box.queue.size() < kMaxQueued) return box.queue.push_back(std::move(a.response));
      // The consumer fell too far behind: drop the watch.
      fail_locked(box, make_error_code(Errc::kWatchOverflow));
      if (table_.remove(a.id)) send_cancel_locked(a.id);
      boxes_.erase(it);
      return;
    case WatchAction::Kind::kFail:
      box.compact_revision = a.compact_revision;
      fail_locked(box, make_error_code(a.errc));
      boxes_.erase(it);
      return;
    case WatchAction::Kind::kSendCancel:
      return;
  }
}

void WatchMux::fail_locked(WatchBox& box, ErrorCode ec) {
  if (box.final) return;
  box.final = ec;
  if (box.waiter) std::move(box.waiter).complete(ec);
  if (box.created_waiter) std::move(box.created_waiter).complete(ec);
}

void WatchMux::on_done(std::uint64_t gen, const grpc::Status& s) {
  Lock lock(mu_);
  if (gen != gen_) return;
  stream_.reset();
  table_.on_closed();
  if (closed_) return;
  if (s.error_code() != grpc::StatusCode::CANCELLED) core_->failover(stream_ep_);
  schedule_reconnect_locked();
}

void WatchMux::schedule_reconnect_locked() {
  if (closed_ || table_.size() == 0) return;
  // Try every endpoint quickly once, then back off.
  const auto delay = failures_ < static_cast<int>(core_->size())
                         ? std::chrono::milliseconds(20)
                         : std::chrono::milliseconds(500);
  ++failures_;
  // The previous alarm may be the one running this; retire it, do not free it.
  retired_alarm_ = std::move(alarm_);
  alarm_ = std::make_unique<grpc::Alarm>();
  alarm_->Set(std::chrono::system_clock::now() + delay, [weak = weak_from_this()](bool ok) {
    if (!ok) return;
    auto m = weak.lock();
    if (!m) return;
    Lock lock(m->mu_);
    m->ensure_stream_locked();
  });
}

}  // namespace coord::etcd::detail
