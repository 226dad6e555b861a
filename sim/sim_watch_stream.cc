#include "sim/sim_watch_stream.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>

#include "sim/world.h"

namespace coord::sim {
namespace asio = boost::asio;

asio::awaitable<bool> wait_virtual(VirtualClock& clock, TimePoint t) {
  auto [ec] = co_await clock.async_wait_until(t, asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

namespace {

// kInFlight bounds the responses on their way to one node; the pump waits
// when the node does not read them.
constexpr std::size_t kInFlight = 4096;

// Arrival is one response with the virtual time it reaches the node.
struct Arrival {
  TimePoint at{};
  std::optional<Result<WatchResponse>> response;
};

using Channel = asio::experimental::channel<void(boost::system::error_code, Arrival)>;

// Pipe is what the pump and the stream share; the pump keeps it alive
// until it has seen `closed` or the end of the store's stream.
struct Pipe {
  Pipe(asio::any_io_executor ex, std::unique_ptr<WatchStream> s)
      : inner(std::move(s)), channel(std::move(ex), kInFlight) {}
  std::unique_ptr<WatchStream> inner;
  Channel channel;
  TimePoint last_arrival{};
  bool closed = false;
};

asio::awaitable<void> pump(std::shared_ptr<Pipe> pipe, World& world) {
  for (;;) {
    auto r = co_await pipe->inner->next();
    if (pipe->closed) co_return;
    const bool end = !r;
    const TimePoint at = std::max(world.clock().now() + world.net().sample_latency(world.rng()),
                                  pipe->last_arrival);
    pipe->last_arrival = at;
    Arrival arrival{at, std::move(r)};
    auto [ec] = co_await pipe->channel.async_send(boost::system::error_code{}, std::move(arrival),
                                                  asio::as_tuple(asio::use_awaitable));
    if (ec || end || pipe->closed) co_return;
  }
}

ErrorCode err(Errc e) { return make_error_code(e); }

class SimWatchStream final : public WatchStream, public BreakableStream {
 public:
  SimWatchStream(World& world, NodeLink& link, std::unique_ptr<WatchStream> inner)
      : world_(world),
        link_(link),
        pipe_(std::make_shared<Pipe>(world.executor(), std::move(inner))),
        handle_(link.add_stream(this)) {
    // The pump is owned by the pipe's life (shut() ends it); an exception in
    // it is a simulator bug and surfaces through the world's run loop.
    asio::co_spawn(world.executor(), pump(pipe_, world), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
  }
  ~SimWatchStream() override {
    if (registered_) link_.remove_stream(handle_);
    shut();
  }

  asio::awaitable<Result<WatchResponse>> next() override {
    if (final_) co_return *final_;
    auto cs = co_await asio::this_coro::cancellation_state;
    if (cs.cancelled() != asio::cancellation_type::none) co_return err(Errc::kCancelled);
    if (!pending_) {
      auto [ec, arrival] =
          co_await pipe_->channel.async_receive(asio::as_tuple(asio::use_awaitable));
      if (final_) co_return *final_;
      if (ec) co_return err(Errc::kCancelled);
      pending_ = std::move(arrival);
    }
    // A cancelled wait keeps the response for the next call.
    if (!co_await wait_virtual(world_.clock(), pending_->at)) co_return err(Errc::kCancelled);
    if (final_) co_return *final_;
    Result<WatchResponse> r = std::move(*pending_->response);
    pending_.reset();
    if (!r) final_ = r.error();
    world_.event("wev", link_.id, r ? static_cast<std::int64_t>(r->events.size()) : -1,
                 r ? r->header.revision : r.error().value());
    co_return r;
  }

  asio::awaitable<Result<void>> request_progress() override {
    if (final_) co_return *final_;
    co_return co_await pipe_->inner->request_progress();
  }

  Revision compact_revision() const override { return pipe_->inner->compact_revision(); }

  void cancel() override {
    if (!final_) final_ = err(Errc::kCancelled);
    shut();
  }

  void break_stream() override {
    registered_ = false;
    if (!final_) final_ = err(Errc::kUnavailable);
    world_.event("wbrk", link_.id);
    shut();
  }

 private:
  // shut stops the pump: it ends the store's stream and wakes a waiting
  // next() (which then returns final_).
  void shut() {
    if (pipe_->closed) return;
    pipe_->closed = true;
    pipe_->inner->cancel();
    pipe_->channel.cancel();
  }

  World& world_;
  NodeLink& link_;
  std::shared_ptr<Pipe> pipe_;
  std::uint64_t handle_;
  bool registered_ = true;
  std::optional<ErrorCode> final_;
  std::optional<Arrival> pending_;
};

}  // namespace

std::unique_ptr<WatchStream> make_sim_watch_stream(World& world, NodeLink& link,
                                                   std::unique_ptr<WatchStream> inner) {
  return std::make_unique<SimWatchStream>(world, link, std::move(inner));
}

}  // namespace coord::sim
