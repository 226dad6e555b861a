// blocking.h: the blocking facade, for callers on plain threads.
//
//   auto kv = coord::embedded::open_memory();          // any backend
//   coord::blocking::Client client(kv);
//   client.put("k", "v").value();
//   auto got = client.get("k", {.timeout = 2s});
//
// Runtime owns an io_context and the threads that run it; Client runs the
// coroutine API on it and blocks the caller until the result is ready.
// Every call takes CallOptions: a timeout on the backend clock (kDeadline
// Exceeded, or kIndeterminate for a write in flight) and a std::stop_token
// whose stop request cancels the call (kCancelled).
// Thread-safety: Runtime and Client are thread-safe. REQUIRES: never call a
// blocking function from a Runtime thread (it would wait on itself).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <future>
#include <memory>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "api/client.h"
#include "api/deadline.h"

namespace coord::blocking {

// CallOptions bound one blocking call.
struct CallOptions {
  std::optional<Duration> timeout;  // Default: none (wait as long as needed)
  std::stop_token stop;             // Default: never stops
};

class Runtime {
 public:
  // Runtime starts `threads` threads (>= 1) running one io_context.
  explicit Runtime(int threads = 1);
  // The destructor stops the io_context and joins its threads.
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  boost::asio::any_io_executor executor() { return io_.get_executor(); }

  // run executes op on a new strand of the runtime and blocks until it
  // completes. A stop request cancels op (terminal cancellation). An
  // exception escaping op (a bug) is rethrown here.
  template <typename T>
  Result<T> run(boost::asio::awaitable<Result<T>> op, std::stop_token stop = {}) {
    namespace asio = boost::asio;
    struct State {
      explicit State(asio::strand<asio::io_context::executor_type> s) : strand(s) {}
      asio::strand<asio::io_context::executor_type> strand;
      asio::cancellation_signal signal;
      std::promise<Result<T>> promise;
    };
    auto state = std::make_shared<State>(asio::make_strand(io_));
    auto future = state->promise.get_future();
    asio::co_spawn(state->strand, std::move(op),
                   asio::bind_cancellation_slot(
                       state->signal.slot(),
                       [state](std::exception_ptr e, Result<T> r) {
                         if (e) state->promise.set_exception(e);
                         else state->promise.set_value(std::move(r));
                       }));
    std::stop_callback on_stop(stop, [state] {
      asio::post(state->strand, [state] {
        state->signal.emit(asio::cancellation_type::terminal);
      });
    });
    return future.get();
  }

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

// Client is the blocking twin of coord::Client.
class Client {
 public:
  // Client wraps kv and runs it on runtime (a new one-thread Runtime if
  // none is given). REQUIRES: kv is not null.
  explicit Client(std::shared_ptr<coord::Client> kv,
                  std::shared_ptr<Runtime> runtime = nullptr);

  coord::Client& async() { return *kv_; }
  std::shared_ptr<coord::Client> async_ptr() const { return kv_; }
  Runtime& runtime() { return *runtime_; }

  // run runs any coroutine of coord (a recipe call, say) with opts.
  template <typename T>
  Result<T> run(boost::asio::awaitable<Result<T>> op, const CallOptions& opts = {}) {
    if (opts.timeout) {
      return runtime_->run(with_timeout(kv_->clock(), *opts.timeout, std::move(op)),
                           opts.stop);
    }
    return runtime_->run(std::move(op), opts.stop);
  }

  // The calls of coord::Client, blocking; same errors, plus
  // kDeadlineExceeded / kCancelled from opts.
  Result<RangeResponse> range(RangeRequest req, const CallOptions& opts = {});
  Result<std::optional<KeyValue>> get(std::string key, const CallOptions& opts = {});
  Result<PutResponse> put(std::string key, std::string value, const CallOptions& opts = {});
  Result<PutResponse> put(PutRequest req, const CallOptions& opts = {});
  Result<DeleteResponse> del(std::string key, const CallOptions& opts = {});
  Result<DeleteResponse> delete_range(DeleteRequest req, const CallOptions& opts = {});
  Result<TxnResponse> txn(TxnRequest req, const CallOptions& opts = {});
  Result<CompactResponse> compact(CompactRequest req, const CallOptions& opts = {});
  Result<LeaseGrantResponse> lease_grant(std::int64_t ttl_seconds, const CallOptions& opts = {});
  Result<LeaseRevokeResponse> lease_revoke(LeaseId id, const CallOptions& opts = {});
  Result<LeaseTimeToLiveResponse> lease_time_to_live(LeaseId id, const CallOptions& opts = {});

 private:
  std::shared_ptr<coord::Client> kv_;
  std::shared_ptr<Runtime> runtime_;
};

}  // namespace coord::blocking
