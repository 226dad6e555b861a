// network.h: the simulated network's parameters and one node's link state.
//
// NetConfig says how long a message takes and how often one is lost.
// NodeLink is what the network knows of one node: is it partitioned from the
// store, crashed, starved of keep-alives, which incarnation is running, and
// which watch streams it has open (a partition or a crash breaks them).
// Thread-safety: none; the world's thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>

#include "sim/rng.h"
#include "sim/virtual_clock.h"

namespace coord::sim {

using namespace std::chrono_literals;

struct NetConfig {
  // One-way latency is uniform in [latency_min, latency_max] ...
  Duration latency_min = 200us;
  Duration latency_max = 2ms;
  // ... except that tail_ppm per million messages take up to tail_max.
  std::uint32_t tail_ppm = 0;
  Duration tail_max = 200ms;
  // Probability (per million) that a request / a response is lost.
  std::uint32_t drop_request_ppm = 0;
  std::uint32_t drop_response_ppm = 0;
  // request_timeout: how long a client waits for a lost message before it
  // reports kUnavailable (reads) or kIndeterminate (writes). Default: 1 s.
  Duration request_timeout = 1s;

  // sample_latency draws one one-way latency.
  Duration sample_latency(Rng& rng) const {
    if (tail_ppm != 0 && rng.chance(tail_ppm)) {
      return Duration(rng.between(latency_max.count(), tail_max.count()));
    }
    return Duration(rng.between(latency_min.count(), latency_max.count()));
  }
};

// BreakableStream is a stream that a partition or crash can break.
class BreakableStream {
 public:
  virtual ~BreakableStream() = default;
  // break_stream ends the stream with kUnavailable.
  virtual void break_stream() = 0;
};

struct NodeLink {
  explicit NodeLink(int node_id, VirtualClock& world) : id(node_id), clock(world) {}

  // break_streams breaks every open stream (in the order they were opened).
  void break_streams() {
    auto streams = std::move(streams_);
    streams_.clear();
    for (auto& [id, s] : streams) s->break_stream();
  }
  // add_stream registers s and returns its handle for remove_stream.
  std::uint64_t add_stream(BreakableStream* s) {
    streams_.emplace(next_stream_, s);
    return next_stream_++;
  }
  void remove_stream(std::uint64_t handle) { streams_.erase(handle); }

  const int id;
  NodeClock clock;               // the node's view of time (pausable)
  std::uint64_t epoch = 0;       // incarnation; bumped by each crash
  bool crashed = false;          // the process is down
  bool partitioned = false;      // no message gets through either way
  bool starved = false;          // keep-alive requests are lost

 private:
  std::uint64_t next_stream_ = 0;
  std::map<std::uint64_t, BreakableStream*> streams_;
};

}  // namespace coord::sim
