#include "sim/node.h"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>

namespace coord::sim {
namespace asio = boost::asio;

Node::Node(World& world, Body body, FailureHandler on_failure)
    : world_(world),
      link_(world.add_link()),
      body_(std::move(body)),
      on_failure_(std::move(on_failure)),
      client_(std::make_shared<SimClient>(world, link_)) {}

Node::~Node() = default;

void Node::start() { spawn(body_(*this)); }

void Node::spawn(asio::awaitable<void> task) {
  auto& signal = signals_.emplace_back();
  const std::uint64_t epoch = link_.epoch;
  asio::co_spawn(world_.executor(), std::move(task),
                 asio::bind_cancellation_slot(signal.slot(), [this, epoch](std::exception_ptr e) {
                   if (!e || link_.crashed || link_.epoch != epoch) return;
                   std::string what = "unknown exception";
                   try {
                     std::rethrow_exception(e);
                   } catch (const std::exception& ex) {
                     what = ex.what();
                   } catch (...) {
                   }
                   world_.event("exc", link_.id);
                   if (on_failure_) on_failure_(*this, what);
                 }));
}

void Node::crash() {
  if (link_.crashed) return;
  link_.crashed = true;
  ++link_.epoch;
  world_.event("crash", link_.id, static_cast<std::int64_t>(link_.epoch));
  link_.break_streams();
  link_.clock.resume();
  for (std::size_t i = live_from_; i < signals_.size(); ++i) {
    signals_[i].emit(asio::cancellation_type::terminal);
  }
  live_from_ = signals_.size();
}

void Node::restart() {
  if (!link_.crashed) return;
  link_.crashed = false;
  link_.partitioned = false;
  link_.starved = false;
  world_.event("restart", link_.id, static_cast<std::int64_t>(link_.epoch));
  client_ = std::make_shared<SimClient>(world_, link_);
  start();
}

}  // namespace coord::sim
