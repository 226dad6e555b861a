// sim_watch_stream.h: a node's watch stream through the simulated network.
//
// A pump coroutine takes each response from the store's stream as soon as
// the store emits it and stamps its arrival time: the emission time plus a
// one-way latency drawn from the seed, never before the previous arrival
// (a stream is FIFO). next() hands the responses over at their arrival
// times, so a busy stream pipelines as a real one does instead of paying
// one latency per response in turn. A partition or a crash of the node
// breaks the stream (kUnavailable); cancel() and destruction stop the pump.
// Thread-safety: none; the world's thread only.
#pragma once

#include <memory>

#include "api/client.h"
#include "sim/network.h"

namespace coord::sim {

class World;

// make_sim_watch_stream wraps inner (a stream of the store) for the node
// behind link. REQUIRES: world and link outlive the returned stream.
std::unique_ptr<WatchStream> make_sim_watch_stream(World& world, NodeLink& link,
                                                   std::unique_ptr<WatchStream> inner);

// wait_virtual waits until t on the world's virtual clock (not an OS
// sleep); false when cancelled.
boost::asio::awaitable<bool> wait_virtual(VirtualClock& clock, TimePoint t);

}  // namespace coord::sim
