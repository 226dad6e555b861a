// demo.h: the parts of `coord demo`, one per recipe family.
//
// The demo runs on one store (in memory by default) with several simulated
// nodes: each node is its own Client of the store and its own coroutine, as
// separate processes would be. Each part prints what the nodes did and why
// the outcome is what the recipe guarantees.
// Thread-safety: a part runs as one coroutine on the backend's runtime.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "api/client.h"

namespace coord::cli {

// DemoContext is what every demo part gets.
struct DemoContext {
  std::ostream& out;
  std::vector<std::shared_ptr<Client>> nodes;  // node i is nodes[i]
  std::string prefix;                          // keys used: prefix + "..."

  // say prints "  [node-i] text".
  void say(std::size_t node, const std::string& text) const;
  // note prints an explanation line.
  void note(const std::string& text) const;
};

// DemoPart is one section: a title and the coroutine that runs it.
struct DemoPart {
  std::string title;
  boost::asio::awaitable<Result<void>> (*run)(DemoContext& ctx);
};

// demo_parts lists the sections built into this coord, in order.
std::vector<DemoPart> demo_parts();

// The sections (defined in demo_kv.cc, demo_recipes.cc, demo_locks.cc).
boost::asio::awaitable<Result<void>> demo_kv(DemoContext& ctx);
boost::asio::awaitable<Result<void>> demo_queue(DemoContext& ctx);
boost::asio::awaitable<Result<void>> demo_priority_queue(DemoContext& ctx);
boost::asio::awaitable<Result<void>> demo_barrier(DemoContext& ctx);
boost::asio::awaitable<Result<void>> demo_double_barrier(DemoContext& ctx);
boost::asio::awaitable<Result<void>> demo_stm(DemoContext& ctx);
boost::asio::awaitable<Result<void>> demo_mutex(DemoContext& ctx);
boost::asio::awaitable<Result<void>> demo_rw_mutex(DemoContext& ctx);
boost::asio::awaitable<Result<void>> demo_election(DemoContext& ctx);
boost::asio::awaitable<Result<void>> demo_semaphore(DemoContext& ctx);

}  // namespace coord::cli

// COORD_CLI_TRY(var, expr) binds var to the value of the Result expr (which
// may contain co_await), or co_returns its error.
#define COORD_CLI_TRY(var, expr)            \
  auto var##_result = (expr);               \
  if (!var##_result) co_return var##_result.error(); \
  auto& var = *var##_result

// COORD_CLI_CHECK(expr) co_returns the error of the Result expr, if any.
#define COORD_CLI_CHECK(expr)                        \
  do {                                               \
    auto coord_cli_r = (expr);                       \
    if (!coord_cli_r) co_return coord_cli_r.error(); \
  } while (0)
