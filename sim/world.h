// world.h: the simulated world: one io_context, virtual time, one seed.
//
// World owns the executor every simulated coroutine runs on, the virtual
// clock, the seeded generator, the event trace, the network parameters and
// the shared embedded store (volatile in-memory mode, expiring leases on the
// virtual clock, background work on the world's executor). run_until()
// runs every ready handler, then jumps time to the next deadline, until the
// end time: nothing ever waits for real, and the same seed gives the same
// history.
// Thread-safety: none. Everything runs on the thread calling run_until().
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/client.h"
#include "sim/network.h"
#include "sim/rng.h"
#include "sim/trace.h"
#include "sim/virtual_clock.h"

namespace coord::embedded {
class Store;
}

namespace coord::sim {

class World {
 public:
  // World seeds the generator with seed and opens the store. REQUIRES: the
  // embedded store opens (aborts otherwise: a simulator bug).
  explicit World(std::uint64_t seed, bool record_trace = false);
  // The destructor closes the store and drops every pending coroutine.
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  boost::asio::io_context& io() { return io_; }
  boost::asio::any_io_executor executor() { return io_.get_executor(); }
  VirtualClock& clock() { return clock_; }
  Rng& rng() { return rng_; }
  Trace& trace() { return trace_; }
  NetConfig& net() { return net_; }
  const NetConfig& net() const { return net_; }
  std::uint64_t seed() const { return seed_; }

  // store_client returns a direct (fault-free) client of the store: for
  // node clients to forward to, and for checkers' oracle reads.
  std::shared_ptr<Client> store_client() { return store_client_; }
  // store_revision returns the store's current revision.
  Revision store_revision() const;

  // now_ns returns virtual nanoseconds since the start of the run.
  std::int64_t now_ns() const { return (clock_.now() - start_).count(); }
  TimePoint start() const { return start_; }

  // event folds one event into the trace at the current virtual time.
  void event(std::string_view tag, std::int64_t node, std::int64_t a = 0, std::int64_t b = 0) {
    trace_.add(now_ns(), tag, node, a, b);
  }

  // run_until runs handlers and moves time until `end`, until `stop()`, or
  // until nothing is left to run; `until` (optional) is checked after each
  // step and stops the run when it returns true. Returns the handlers run.
  std::uint64_t run_until(TimePoint end, const std::function<bool()>& until = {});

  // stop makes the current run_until return after the current step.
  void stop() { stopped_ = true; }

  // add_link creates the network state of a new node (ids 0, 1, ...).
  NodeLink& add_link() {
    links_.push_back(std::make_unique<NodeLink>(static_cast<int>(links_.size()), clock_));
    return *links_.back();
  }
  NodeLink& link(int id) { return *links_[static_cast<std::size_t>(id)]; }
  int link_count() const { return static_cast<int>(links_.size()); }

  // count_kv_op counts one KV call sent by a node; kv_ops returns the sum.
  void count_kv_op() { ++kv_ops_; }
  std::uint64_t kv_ops() const { return kv_ops_; }

  // handlers_run returns the handlers run since the world began.
  std::uint64_t handlers_run() const { return handlers_; }

 private:
  std::uint64_t seed_;
  Rng rng_;
  Trace trace_;
  NetConfig net_;
  VirtualClock clock_;
  TimePoint start_;
  bool stopped_ = false;
  std::uint64_t handlers_ = 0;
  std::uint64_t kv_ops_ = 0;
  // io_ outlives the clock's pending waits (dropped in ~World) and is
  // destroyed before the store, which its pending handlers may reference.
  std::vector<std::unique_ptr<NodeLink>> links_;
  std::shared_ptr<embedded::Store> store_;
  std::shared_ptr<Client> store_client_;
  boost::asio::io_context io_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE};
};

}  // namespace coord::sim
