#include "recipes/session.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <exception>
#include <mutex>

namespace coord {
namespace asio = boost::asio;

namespace {
constexpr std::int64_t kDefaultTtl = 60;
}  // namespace

// State is shared by the Session and its keep-alive loop, so the loop may
// outlive the Session object (it ends soon after orphan()).
struct SessionState {
  explicit SessionState(std::unique_ptr<KeepAliveStream> s) : stream(std::move(s)) {}
  std::unique_ptr<KeepAliveStream> stream;  // guarded by mu; reset when the loop ends
  AsyncEvent done;
  AsyncEvent stopped;  // the keep-alive loop has ended and dropped the stream
  mutable std::mutex mu;
  ErrorCode reason;  // why the session ended (empty while alive)

  void end(ErrorCode ec) {
    {
      std::lock_guard lock(mu);
      if (!reason) reason = ec;
    }
    // done fires after reason is recorded, so error() is set once done is.
    done.set();
  }
};

struct Session::Impl {
  Client& client;
  LeaseId lease = 0;
  std::int64_t ttl = 0;
  std::shared_ptr<SessionState> state;
};

namespace {

// keep_alive_loop drains the keep-alive stream until it fails: lease lost,
// no renewal for a full TTL, or cancel() from orphan().
asio::awaitable<void> keep_alive_loop(std::shared_ptr<SessionState> state) {
  KeepAliveStream* stream = nullptr;
  {
    std::lock_guard lock(state->mu);
    stream = state->stream.get();
  }
  for (;;) {
    auto r = co_await stream->next();
    if (!r) {
      state->end(r.error());
      break;
    }
  }
  // Drop the stream here, on the executor, while the client is alive.
  std::unique_ptr<KeepAliveStream> dead;
  {
    std::lock_guard lock(state->mu);
    dead = std::move(state->stream);
  }
  dead.reset();
  state->stopped.set();
}

}  // namespace

Task<std::shared_ptr<Session>> Session::create(Client& client, SessionOptions options) {
  const std::int64_t ttl = options.ttl_seconds > 0 ? options.ttl_seconds : kDefaultTtl;
  LeaseId id = options.lease;
  std::int64_t granted = ttl;
  if (id == 0) {
    auto g = co_await client.lease_grant(ttl);
    if (!g) co_return g.error();
    id = g->id;
    granted = g->ttl;
  } else {
    // One renewal proves the lease is alive and tells its granted TTL.
    auto k = co_await client.lease_keep_alive_once(id);
    if (!k) co_return k.error();
    if (k->ttl <= 0) co_return make_error_code(Errc::kLeaseNotFound);
    granted = k->ttl;
  }
  auto stream = co_await client.lease_keep_alive(id);
  if (!stream) co_return stream.error();
  auto state = std::make_shared<SessionState>(std::move(*stream));
  auto ex = co_await asio::this_coro::executor;
  // Not detached: the handler records nothing more than the loop did, but
  // rethrows a bug instead of swallowing it.
  asio::co_spawn(ex, keep_alive_loop(state), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  auto impl = std::make_unique<Impl>(Impl{client, id, granted, std::move(state)});
  co_return std::shared_ptr<Session>(new Session(std::move(impl)));
}

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Session::~Session() { orphan(); }

Client& Session::client() const { return impl_->client; }
LeaseId Session::lease() const { return impl_->lease; }
std::int64_t Session::ttl() const { return impl_->ttl; }
AsyncEvent& Session::done() { return impl_->state->done; }
bool Session::is_done() const { return impl_->state->done.is_set(); }

ErrorCode Session::error() const {
  std::lock_guard lock(impl_->state->mu);
  return impl_->state->reason;
}

void Session::orphan() {
  {
    std::lock_guard lock(impl_->state->mu);
    if (impl_->state->stream) impl_->state->stream->cancel();
  }
  impl_->state->end(make_error_code(Errc::kCancelled));
}

Task<void> Session::close() {
  orphan();
  auto r = co_await impl_->client.lease_revoke(impl_->lease);
  // The loop ends promptly once cancelled; after this nothing of the
  // session touches the client any more.
  auto stopped = co_await impl_->state->stopped.wait();
  // A lease that is already gone took its keys with it: nothing to undo.
  if (!r && !is_errc(r.error(), Errc::kLeaseNotFound)) co_return r.error();
  if (!stopped) co_return stopped.error();
  co_return Result<void>{};
}

}  // namespace coord
