// client.cc: coord::Client over the embedded store's engine.
#include <boost/asio/this_coro.hpp>

#include "backends/embedded/detail/store_impl.h"

namespace coord::embedded {
namespace {
namespace asio = boost::asio;
using detail::StoreImpl;

asio::awaitable<bool> cancelled() {
  auto cs = co_await asio::this_coro::cancellation_state;
  co_return cs.cancelled() != asio::cancellation_type::none;
}

class EmbeddedWatchStream final : public WatchStream {
 public:
  EmbeddedWatchStream(std::shared_ptr<StoreImpl> store, std::shared_ptr<detail::Watcher> w)
      : store_(std::move(store)), w_(std::move(w)) {}
  ~EmbeddedWatchStream() override { cancel(); }

  asio::awaitable<Result<WatchResponse>> next() override { return w_->next(); }

  asio::awaitable<Result<void>> request_progress() override {
    if (w_->ended()) co_return make_error_code(Errc::kClosed);
    store_->request_progress(w_);
    co_return Result<void>{};
  }

  Revision compact_revision() const override { return w_->compact_revision(); }

  void cancel() override {
    w_->end(make_error_code(Errc::kCancelled));
    store_->unwatch(w_);
  }

 private:
  std::shared_ptr<StoreImpl> store_;
  std::shared_ptr<detail::Watcher> w_;
};

class EmbeddedClient final : public Client {
 public:
  explicit EmbeddedClient(std::shared_ptr<StoreImpl> store) : s_(std::move(store)) {}

  std::string name() const override {
    switch (s_->options().mode) {
      case Options::Mode::kMemory: return "embedded:memory";
      case Options::Mode::kDisk: return "embedded:disk:" + s_->options().path;
      case Options::Mode::kVolatile: return "embedded:volatile";
    }
    return "embedded";
  }

  Clock& clock() override { return s_->clock(); }

  Task<RangeResponse> range(RangeRequest req) override {
    if (co_await cancelled()) co_return make_error_code(Errc::kCancelled);
    std::uint64_t seq = 0;
    auto r = s_->range(req, seq);
    co_return co_await finish(std::move(r), seq, false);
  }
  Task<PutResponse> put(PutRequest req) override {
    if (co_await cancelled()) co_return make_error_code(Errc::kCancelled);
    std::uint64_t seq = 0;
    auto r = s_->put(std::move(req), seq);
    co_return co_await finish(std::move(r), seq, true);
  }
  Task<DeleteResponse> delete_range(DeleteRequest req) override {
    if (co_await cancelled()) co_return make_error_code(Errc::kCancelled);
    std::uint64_t seq = 0;
    auto r = s_->delete_range(req, seq);
    co_return co_await finish(std::move(r), seq, true);
  }
  Task<TxnResponse> txn(TxnRequest req) override {
    if (co_await cancelled()) co_return make_error_code(Errc::kCancelled);
    std::uint64_t seq = 0;
    auto r = s_->txn(req, seq);
    co_return co_await finish(std::move(r), seq, true);
  }
  Task<CompactResponse> compact(CompactRequest req) override {
    if (co_await cancelled()) co_return make_error_code(Errc::kCancelled);
    std::uint64_t seq = 0;
    auto r = s_->compact(req, seq);
    co_return co_await finish(std::move(r), seq, true);
  }
  Task<LeaseGrantResponse> lease_grant(std::int64_t ttl, LeaseId id) override {
    if (co_await cancelled()) co_return make_error_code(Errc::kCancelled);
    std::uint64_t seq = 0;
    auto r = s_->lease_grant(ttl, id, seq);
    co_return co_await finish(std::move(r), seq, true);
  }
  Task<LeaseRevokeResponse> lease_revoke(LeaseId id) override {
    if (co_await cancelled()) co_return make_error_code(Errc::kCancelled);
    std::uint64_t seq = 0;
    auto r = s_->lease_revoke(id, seq);
    co_return co_await finish(std::move(r), seq, true);
  }
  Task<LeaseKeepAliveResponse> lease_keep_alive_once(LeaseId id) override {
    if (co_await cancelled()) co_return make_error_code(Errc::kCancelled);
    std::uint64_t seq = 0;
    auto r = s_->lease_keep_alive(id, seq);
    co_return co_await finish(std::move(r), seq, false);
  }
  Task<LeaseTimeToLiveResponse> lease_time_to_live(LeaseId id, bool keys) override {
    if (co_await cancelled()) co_return make_error_code(Errc::kCancelled);
    std::uint64_t seq = 0;
    auto r = s_->lease_time_to_live(id, keys, seq);
    co_return co_await finish(std::move(r), seq, false);
  }
  Task<LeaseLeasesResponse> lease_leases() override {
    if (co_await cancelled()) co_return make_error_code(Errc::kCancelled);
    std::uint64_t seq = 0;
    auto r = s_->lease_leases(seq);
    co_return co_await finish(std::move(r), seq, false);
  }
  Task<std::unique_ptr<WatchStream>> watch(WatchRequest req) override {
    if (co_await cancelled()) co_return make_error_code(Errc::kCancelled);
    auto w = s_->watch(req);
    if (!w) co_return w.error();
    co_return std::unique_ptr<WatchStream>(std::make_unique<EmbeddedWatchStream>(s_, *w));
  }

 private:
  // finish waits, in durable mode, until what the answer depends on is
  // fsynced: writes are acknowledged durable, reads never show data that a
  // crash could lose. A write whose fsync wait fails is indeterminate.
  template <typename T>
  Task<T> finish(Result<T> r, std::uint64_t seq, bool write) {
    detail::Durability* d = s_->durability();
    if (!r || !d || d->durable(seq)) co_return r;
    auto w = co_await d->wait(seq);
    if (!w) co_return write ? make_error_code(Errc::kIndeterminate) : w.error();
    co_return r;
  }

  std::shared_ptr<StoreImpl> s_;
};

}  // namespace

Result<std::shared_ptr<Store>> Store::open(Options options) {
  auto store = std::make_shared<StoreImpl>(std::move(options));
  if (auto r = store->start(); !r) return r.error();
  return std::shared_ptr<Store>(std::move(store));
}

std::shared_ptr<Client> open_memory(Clock* clock) {
  Options o;
  o.clock = clock;
  auto store = Store::open(std::move(o));
  if (!store) return nullptr;
  return (*store)->client();
}

}  // namespace coord::embedded

namespace coord::embedded::detail {

std::shared_ptr<Client> StoreImpl::client() {
  return std::make_shared<EmbeddedClient>(std::static_pointer_cast<StoreImpl>(shared_from_this()));
}

}  // namespace coord::embedded::detail
