// common.h: helpers shared by the workloads (private to sim/workloads).
//
// Thread-safety: none; the world's thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "recipes/session.h"
#include "sim/node.h"

namespace coord::sim::detail {

// Incarnation remembers which incarnation of a node a body runs for.
struct Incarnation {
  explicit Incarnation(Node& n) : node(n), epoch(n.incarnation()) {}
  // alive tells whether this incarnation is still running.
  bool alive() const { return node.up() && node.incarnation() == epoch; }
  Node& node;
  std::uint64_t epoch;
};

// nap sleeps d on the node's (pausable) clock; false when cancelled.
boost::asio::awaitable<bool> nap(Node& node, Duration d);

// open_session creates a session of ttl seconds on client, retrying every
// 100 ms; nullptr once the incarnation ended or `stop` became true.
boost::asio::awaitable<std::shared_ptr<Session>> open_session(const Incarnation& inc,
                                                             Client& client,
                                                             std::int64_t ttl,
                                                             const bool& stop);

// check_rank is the exclusion oracle: if `key` still exists with
// create_revision == token, fewer than `permits` keys under prefix may have
// an older create_revision. Returns a description of the violation, if
// any. Runs on the fault-free direct client, in one txn.
boost::asio::awaitable<std::optional<std::string>> check_rank(Client& direct,
                                                             const std::string& prefix,
                                                             const std::string& key,
                                                             Revision token,
                                                             std::int64_t permits);

// Terms records who held each fencing token: one incarnation per token.
class Terms {
 public:
  // note records that inc holds token; returns the violation when another
  // incarnation held it.
  std::optional<std::string> note(const Incarnation& inc, Revision token);
  std::size_t size() const { return terms_.size(); }

 private:
  std::map<Revision, std::pair<int, std::uint64_t>> terms_;
};

// Cell is the guarded counter the lock workloads write: "count:token".
struct Cell {
  std::int64_t count = 0;
  Revision token = 0;
};
// parse_cell reads the cell in kvs (a zero cell when the key is absent).
Cell parse_cell(const std::vector<KeyValue>& kvs);

// progressed_since is the lock workloads' liveness: every node completed a
// cycle after `healed` (beyond 50 nodes: some node did).
bool progressed_since(const std::vector<TimePoint>& last_ok, TimePoint healed);

// is_transient tells whether an error is one a node just retries after.
bool is_transient(const ErrorCode& ec);

}  // namespace coord::sim::detail
