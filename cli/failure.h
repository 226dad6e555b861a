// failure.h: how the coord command reports errors: one line, non-zero exit.
//
// The CLI is the top of the stack, so a user-facing error unwinds to main as
// a cli::Failure, which prints "coord: <message>" on stderr and exits with
// its code. Library code below the CLI never throws; check() converts a
// coord Result error into a Failure with a clear description.
// Thread-safety: plain values and pure functions.
#pragma once

#include <stdexcept>
#include <string>

#include "api/errc.h"

namespace coord::cli {

// Exit codes of the coord command.
inline constexpr int kOkExit = 0;
inline constexpr int kFailureExit = 1;  // the operation failed
inline constexpr int kUsageExit = 2;    // bad flag, bad argument
inline constexpr int kCheckExit = 3;    // a bench/sim invariant check failed

// Failure is a user-facing error: message is one line without "coord: ".
class Failure : public std::runtime_error {
 public:
  Failure(std::string message, int exit_code = kFailureExit)
      : std::runtime_error(std::move(message)), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// usage_error returns a Failure with kUsageExit.
inline Failure usage_error(const std::string& message) { return Failure(message, kUsageExit); }

// describe returns a short human description of ec ("the backend cannot be
// reached (Unavailable)").
std::string describe(const ErrorCode& ec);

// check returns r's value, or throws Failure("<what>: <describe(error)>").
template <typename T>
T check(Result<T> r, const std::string& what) {
  if (!r) throw Failure(what + ": " + describe(r.error()));
  return std::move(*r);
}
void check(Result<void> r, const std::string& what);

}  // namespace coord::cli
