#include "cli/failure.h"

namespace coord::cli {
namespace {

// hint returns what the user can do about a coord error, or "".
std::string hint(Errc e) {
  switch (e) {
    case Errc::kUnavailable: return "the backend cannot be reached";
    case Errc::kDeadlineExceeded: return "timed out";
    case Errc::kPermissionDenied: return "permission denied";
    case Errc::kAuthFailed: return "authentication failed (user or password)";
    case Errc::kUnauthenticated: return "not authenticated";
    case Errc::kTlsError: return "TLS setup failed";
    case Errc::kIndeterminate: return "the write may or may not have applied";
    case Errc::kSessionExpired: return "the session's lease expired";
    case Errc::kDataLoss: return "stored data is corrupt";
    default: return "";
  }
}

}  // namespace

std::string describe(const ErrorCode& ec) {
  if (!is_coord_error(ec)) return ec.message();
  const auto e = static_cast<Errc>(ec.value());
  std::string name(errc_name(e));
  std::string h = hint(e);
  if (h.empty()) return ec.message() + " (" + name + ")";
  return h + " (" + name + ")";
}

void check(Result<void> r, const std::string& what) {
  if (!r) throw Failure(what + ": " + describe(r.error()));
}

}  // namespace coord::cli
