#include "api/errc.h"

#include <string>

namespace coord {
namespace {

class Category final : public boost::system::error_category {
 public:
  // A fixed id keeps category comparison cheap across shared libraries.
  constexpr Category() noexcept : error_category(0xc00dc00dc00d0001ULL) {}
  const char* name() const noexcept override { return "coord"; }
  std::string message(int ev) const override {
    return message_of(static_cast<Errc>(ev));
  }

 private:
  static std::string message_of(Errc e) {
    switch (e) {
      case Errc::kInvalidArgument: return "invalid argument";
      case Errc::kTooManyOps: return "too many operations in txn request";
      case Errc::kDuplicateKey: return "duplicate key given in txn request";
      case Errc::kRequestTooLarge: return "request is too large";
      case Errc::kLeaseTtlTooLarge: return "too large lease TTL";
      case Errc::kLeaseNotFound: return "requested lease not found";
      case Errc::kCompacted: return "required revision has been compacted";
      case Errc::kFutureRevision: return "required revision is a future revision";
      case Errc::kResourceExhausted: return "resource exhausted";
      case Errc::kWatchOverflow: return "watcher fell too far behind";
      case Errc::kIndeterminate: return "outcome unknown: the write may or may not have applied";
      case Errc::kUnavailable: return "backend unavailable";
      case Errc::kDeadlineExceeded: return "deadline exceeded";
      case Errc::kCancelled: return "operation cancelled";
      case Errc::kClosed: return "closed";
      case Errc::kPermissionDenied: return "permission denied";
      case Errc::kAuthFailed: return "authentication failed, invalid user ID or password";
      case Errc::kUnauthenticated: return "invalid auth token";
      case Errc::kTlsError: return "TLS error";
      case Errc::kSessionExpired: return "session expired";
      case Errc::kLocked: return "locked by another session";
      case Errc::kNotLocked: return "lock is not held";
      case Errc::kNotLeader: return "election: not leader";
      case Errc::kNoLeader: return "election: no leader";
      case Errc::kTooManyClients: return "too many clients";
      case Errc::kKeyExists: return "key already exists";
      case Errc::kRetryLimit: return "retry limit reached";
      case Errc::kNoPermits: return "no permits available";
      case Errc::kInternal: return "internal error";
      case Errc::kDataLoss: return "data loss";
    }
    return "unknown coord error " + std::to_string(static_cast<int>(e));
  }
};

const Category kCategory;

}  // namespace

const boost::system::error_category& error_category() noexcept {
  return kCategory;
}

std::string_view errc_name(Errc e) noexcept {
  switch (e) {
#define COORD_ERRC_NAME(n) \
  case Errc::k##n: return #n;
    COORD_ERRC_NAME(InvalidArgument) COORD_ERRC_NAME(TooManyOps)
    COORD_ERRC_NAME(DuplicateKey) COORD_ERRC_NAME(RequestTooLarge)
    COORD_ERRC_NAME(LeaseTtlTooLarge) COORD_ERRC_NAME(LeaseNotFound)
    COORD_ERRC_NAME(Compacted) COORD_ERRC_NAME(FutureRevision)
    COORD_ERRC_NAME(ResourceExhausted) COORD_ERRC_NAME(WatchOverflow)
    COORD_ERRC_NAME(Indeterminate) COORD_ERRC_NAME(Unavailable)
    COORD_ERRC_NAME(DeadlineExceeded) COORD_ERRC_NAME(Cancelled)
    COORD_ERRC_NAME(Closed) COORD_ERRC_NAME(PermissionDenied)
    COORD_ERRC_NAME(AuthFailed) COORD_ERRC_NAME(Unauthenticated)
    COORD_ERRC_NAME(TlsError) COORD_ERRC_NAME(SessionExpired)
    COORD_ERRC_NAME(Locked) COORD_ERRC_NAME(NotLocked)
    COORD_ERRC_NAME(NotLeader) COORD_ERRC_NAME(NoLeader)
    COORD_ERRC_NAME(TooManyClients) COORD_ERRC_NAME(KeyExists)
    COORD_ERRC_NAME(RetryLimit) COORD_ERRC_NAME(NoPermits)
    COORD_ERRC_NAME(Internal) COORD_ERRC_NAME(DataLoss)
#undef COORD_ERRC_NAME
  }
  return "Unknown";
}

bool is_retryable(const ErrorCode& ec) noexcept {
  return is_errc(ec, Errc::kUnavailable) ||
         is_errc(ec, Errc::kResourceExhausted);
}

bool is_input_error(const ErrorCode& ec) noexcept {
  if (!is_coord_error(ec)) return false;
  const int v = ec.value();
  return v >= static_cast<int>(Errc::kInvalidArgument) &&
         v <= static_cast<int>(Errc::kLeaseTtlTooLarge);
}

}  // namespace coord
