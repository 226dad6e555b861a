// faults.h: named, combinable fault profiles and the injector that plays them.
//
// A profile is a comma-separated list of names: none, latency, drops,
// partitions, crashes, starvation, clock-pause, all. "latency" and "drops"
// change the network's parameters for the whole fault phase; the others are
// episodes the injector starts at random times (all drawn from the seed)
// and heals after a random while: a node or a group partitioned from the
// store, a node crashed then restarted, a node's keep-alives starved, a
// node's clock paused. heal_all() ends every episode at once.
// Thread-safety: none; the world's thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/node.h"

namespace coord::sim {

struct FaultSet {
  bool latency = false;
  bool drops = false;
  bool partitions = false;
  bool crashes = false;
  bool starvation = false;
  bool clock_pause = false;

  // parse reads a profile list; nullopt on an unknown name.
  static std::optional<FaultSet> parse(const std::string& profile);
  // any_episodes tells whether the injector has anything to start.
  bool any_episodes() const { return partitions || crashes || starvation || clock_pause; }
  // apply_network sets the network parameters of the fault phase.
  void apply_network(NetConfig& net) const;
};

class FaultInjector {
 public:
  // FaultInjector plays faults on nodes. REQUIRES: nodes outlive it.
  FaultInjector(World& world, std::vector<Node*> nodes, FaultSet faults,
                Duration mean_gap = std::chrono::milliseconds(1500));

  // run starts episodes until cancelled (terminal cancellation).
  boost::asio::awaitable<void> run();
  // heal_all ends every episode: links up, clocks running, crashed nodes
  // restarted, network parameters back to the quiet defaults.
  void heal_all();
  // episodes returns the number of episodes started.
  std::uint64_t episodes() const { return episodes_; }

 private:
  enum class Kind { kPartition, kCrash, kStarve, kPause };
  struct Active {
    TimePoint until;
    Kind kind;
    std::vector<int> nodes;
  };
  void start_episode();
  void end_episode(const Active& a);
  std::vector<int> pick_group();

  World& world_;
  std::vector<Node*> nodes_;
  FaultSet faults_;
  Duration mean_gap_;
  std::vector<Active> active_;
  std::uint64_t episodes_ = 0;
};

}  // namespace coord::sim
