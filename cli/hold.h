// hold.h: how one-shot subcommands (lock, elect) hold what they acquired:
// until stdin reaches end of input, SIGINT/SIGTERM arrives, or the thing
// held is lost; and how `coord lock NAME -- COMMAND` runs its command.
// Thread-safety: main thread only (installs signal handlers).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <future>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/errc.h"

namespace coord::cli {

// StopReason says why wait_for_stop returned.
enum class StopReason { kEndOfInput, kSignal, kLost };

// wait_for_stop blocks until end of stdin, SIGINT/SIGTERM, or *lost turns
// true (checked every 100 ms).
StopReason wait_for_stop(const std::atomic<bool>& lost);

// run_child runs argv (PATH lookup) with extra environment variables and
// waits for it. Returns its exit status (128+signal if killed). Throws
// Failure when it cannot start.
int run_child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env);

// Background runs one coroutine (a recipe's lost(), an observer loop) on
// its own strand while the main thread holds; fired() turns true when it
// ends on its own. stop() cancels it and waits; the destructor stops.
class Background {
 public:
  Background(boost::asio::any_io_executor ex, boost::asio::awaitable<Result<void>> op);
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  const std::atomic<bool>& fired() const;
  // stop cancels the coroutine (if running) and returns how it ended.
  Result<void> stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::optional<Result<void>> outcome_;
};

}  // namespace coord::cli
