#include "sim/faults.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sstream>

namespace coord::sim {
namespace asio = boost::asio;

std::optional<FaultSet> FaultSet::parse(const std::string& profile) {
  FaultSet f;
  std::stringstream in(profile);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name == "none" || name.empty()) continue;
    if (name == "latency") f.latency = true;
    else if (name == "drops") f.drops = true;
    else if (name == "partitions") f.partitions = true;
    else if (name == "crashes") f.crashes = true;
    else if (name == "starvation") f.starvation = true;
    else if (name == "clock-pause") f.clock_pause = true;
    else if (name == "all") f = FaultSet{true, true, true, true, true, true};
    else return std::nullopt;
  }
  return f;
}

void FaultSet::apply_network(NetConfig& net) const {
  if (latency) {
    net.latency_max = std::chrono::milliseconds(5);
    net.tail_ppm = 20'000;
    net.tail_max = std::chrono::milliseconds(300);
  }
  if (drops) {
    net.drop_request_ppm = 5'000;
    net.drop_response_ppm = 5'000;
  }
}

FaultInjector::FaultInjector(World& world, std::vector<Node*> nodes, FaultSet faults,
                             Duration mean_gap)
    : world_(world), nodes_(std::move(nodes)), faults_(faults), mean_gap_(mean_gap) {}

asio::awaitable<void> FaultInjector::run() {
  if (!faults_.any_episodes() || nodes_.empty()) co_return;
  Rng& rng = world_.rng();
  TimePoint next_start = world_.clock().now() + Duration(rng.between(0, 2 * mean_gap_.count()));
  for (;;) {
    TimePoint wake = next_start;
    for (const auto& a : active_) wake = std::min(wake, a.until);
    auto [ec] = co_await world_.clock().async_wait_until(wake, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    const TimePoint now = world_.clock().now();
    // End due episodes in the order they were started.
    for (std::size_t i = 0; i < active_.size();) {
      if (active_[i].until <= now) {
        end_episode(active_[i]);
        active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(i));
      } else {
        ++i;
      }
    }
    if (next_start <= now) {
      start_episode();
      next_start = now + Duration(rng.between(mean_gap_.count() / 4, 2 * mean_gap_.count()));
    }
  }
}

std::vector<int> FaultInjector::pick_group() {
  Rng& rng = world_.rng();
  const int n = static_cast<int>(nodes_.size());
  const int size = rng.chance(700'000) ? 1 : static_cast<int>(rng.between(1, std::max(1, n / 2)));
  std::vector<int> group;
  for (int i = 0; i < size; ++i) {
    const int id = static_cast<int>(rng.below(static_cast<std::uint64_t>(n)));
    if (std::find(group.begin(), group.end(), id) == group.end()) group.push_back(id);
  }
  return group;
}

void FaultInjector::start_episode() {
  Rng& rng = world_.rng();
  std::vector<Kind> kinds;
  if (faults_.partitions) kinds.push_back(Kind::kPartition);
  if (faults_.crashes) kinds.push_back(Kind::kCrash);
  if (faults_.starvation) kinds.push_back(Kind::kStarve);
  if (faults_.clock_pause) kinds.push_back(Kind::kPause);
  const Kind kind = kinds[rng.below(kinds.size())];
  Active a{world_.clock().now(), kind, {}};
  a.nodes = kind == Kind::kPartition ? pick_group()
                                     : std::vector<int>{static_cast<int>(rng.below(nodes_.size()))};
  // Episode lengths straddle the session TTLs the workloads use (3 s).
  a.until += std::chrono::milliseconds(rng.between(300, 8'000));
  for (int id : a.nodes) {
    Node& node = *nodes_[static_cast<std::size_t>(id)];
    NodeLink& link = node.link();
    switch (kind) {
      case Kind::kPartition:
        if (!link.partitioned) link.break_streams();
        link.partitioned = true;
        break;
      case Kind::kCrash: node.crash(); break;
      case Kind::kStarve: link.starved = true; break;
      case Kind::kPause: link.clock.pause(); break;
    }
    world_.event("fault", id, static_cast<std::int64_t>(kind),
                 (a.until - world_.clock().now()).count());
  }
  ++episodes_;
  active_.push_back(std::move(a));
}

void FaultInjector::end_episode(const Active& a) {
  for (int id : a.nodes) {
    Node& node = *nodes_[static_cast<std::size_t>(id)];
    switch (a.kind) {
      case Kind::kPartition: node.link().partitioned = false; break;
      case Kind::kCrash: node.restart(); break;
      case Kind::kStarve: node.link().starved = false; break;
      case Kind::kPause: node.link().clock.resume(); break;
    }
    world_.event("heal", id, static_cast<std::int64_t>(a.kind));
  }
}

void FaultInjector::heal_all() {
  for (const auto& a : active_) end_episode(a);
  active_.clear();
  for (Node* node : nodes_) {
    node->link().partitioned = false;
    node->link().starved = false;
    node->link().clock.resume();
    node->restart();
  }
  world_.net() = NetConfig{};
  world_.event("heal_all", -1);
}

}  // namespace coord::sim
