// node.h: Node, one simulated process.
//
// A Node has a network link, a pausable clock and, per incarnation, its own
// SimClient; its coroutines (the workload's body, started by start() and
// again by each restart()) run on the world's executor. crash() emits
// terminal cancellation to every coroutine of the incarnation, breaks its
// watches and makes its client fail at once, so nothing renews its leases:
// they expire on the store. restart() begins a new incarnation with a new
// client and runs the body again.
// Thread-safety: none; the world's thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include "sim/sim_client.h"
#include "sim/world.h"

namespace coord::sim {

class Node {
 public:
  using Body = std::function<boost::asio::awaitable<void>(Node&)>;
  using FailureHandler = std::function<void(Node&, const std::string&)>;

  // Node creates the node's link in world. REQUIRES: world outlives it.
  Node(World& world, Body body, FailureHandler on_failure);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  int id() const { return link_.id; }
  World& world() { return world_; }
  NodeLink& link() { return link_; }
  // client is the current incarnation's client.
  SimClient& client() { return *client_; }
  std::shared_ptr<SimClient> client_ptr() { return client_; }
  // up tells whether the process is running.
  bool up() const { return !link_.crashed; }
  // incarnation counts restarts (0 for the first run).
  std::uint64_t incarnation() const { return link_.epoch; }

  // start runs the body for the current incarnation.
  void start();
  // spawn runs task as part of the current incarnation (a crash cancels it).
  // An exception escaping it while the node is up is reported as a failure.
  void spawn(boost::asio::awaitable<void> task);
  // crash stops the process (idempotent).
  void crash();
  // restart starts a new incarnation if the node is down.
  void restart();

 private:
  World& world_;
  NodeLink& link_;
  Body body_;
  FailureHandler on_failure_;
  std::shared_ptr<SimClient> client_;
  // Signals stay alive until the world ends: a cancelled coroutine may
  // still hold its slot while it unwinds.
  std::deque<boost::asio::cancellation_signal> signals_;
  std::size_t live_from_ = 0;  // signals_[live_from_..] belong to this incarnation
};

}  // namespace coord::sim
