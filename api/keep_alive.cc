#include "api/keep_alive.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "api/client.h"
#include "api/event.h"

namespace coord {
namespace {
namespace asio = boost::asio;

constexpr Duration kRetryWait = std::chrono::milliseconds(500);
// kFirstDeadline bounds the wait for the first renewal, as etcd's client
// does when it has no dial timeout.
constexpr Duration kFirstDeadline = std::chrono::seconds(5);

class PollingKeepAlive final : public KeepAliveStream {
 public:
  PollingKeepAlive(Client& client, LeaseId id)
      : client_(client), id_(id), deadline_(client.clock().now() + kFirstDeadline) {}

  asio::awaitable<Result<LeaseKeepAliveResponse>> next() override {
    if (final_) co_return *final_;
    if (next_send_) {
      auto slept = co_await sleep_or_cancel(*next_send_);
      if (!slept) co_return slept.error();
    }
    for (;;) {
      auto r = co_await client_.lease_keep_alive_once(id_);
      if (cancel_.is_set()) co_return finish(Errc::kCancelled);
      Clock& clock = client_.clock();
      if (r && r->ttl > 0) {
        deadline_ = clock.now() + std::chrono::seconds(r->ttl);
        next_send_ = clock.now() + std::chrono::seconds(r->ttl) / 3;
        co_return r;
      }
      if (r || is_errc(r.error(), Errc::kLeaseNotFound)) co_return finish(Errc::kLeaseNotFound);
      if (is_errc(r.error(), Errc::kCancelled)) co_return r.error();
      if (is_input_error(r.error()) || is_errc(r.error(), Errc::kPermissionDenied)) {
        co_return finish_code(r.error());
      }
      // Transient: retry until a full TTL has passed without a renewal.
      const TimePoint retry_at = clock.now() + kRetryWait;
      if (retry_at >= deadline_) co_return finish(Errc::kDeadlineExceeded);
      auto slept = co_await sleep_or_cancel(retry_at);
      if (!slept) co_return slept.error();
    }
  }

  void cancel() override { cancel_.set(); }

 private:
  ErrorCode finish(Errc e) { return finish_code(make_error_code(e)); }
  ErrorCode finish_code(ErrorCode ec) {
    final_ = ec;
    return ec;
  }

  // sleep_or_cancel waits until t, cancel(), or per-operation cancellation.
  asio::awaitable<Result<void>> sleep_or_cancel(TimePoint t) {
    // Bind the executor: a group gives no executor to ops that lack one.
    auto ex = co_await asio::this_coro::executor;
    auto [order, clock_ec, cancel_ec] =
        co_await asio::experimental::make_parallel_group(
            client_.clock().async_wait_until(t, asio::bind_executor(ex, asio::deferred)),
            cancel_.async_wait(asio::bind_executor(ex, asio::deferred)))
            .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
    if (order[0] == 0 && !clock_ec) co_return Result<void>{};
    if (cancel_.is_set()) co_return finish(Errc::kCancelled);
    co_return make_error_code(Errc::kCancelled);
  }

  Client& client_;
  const LeaseId id_;
  TimePoint deadline_;
  std::optional<TimePoint> next_send_;
  std::optional<ErrorCode> final_;
  AsyncEvent cancel_;
};

}  // namespace

std::unique_ptr<KeepAliveStream> make_polling_keep_alive(Client& client, LeaseId id) {
  return std::make_unique<PollingKeepAlive>(client, id);
}

}  // namespace coord
