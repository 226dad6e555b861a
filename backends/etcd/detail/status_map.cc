#include "backends/etcd/detail/status_map.h"

namespace coord::etcd::detail {
namespace {

bool has(std::string_view message, std::string_view part) {
  return message.find(part) != std::string_view::npos;
}

Errc invalid_argument_errc(std::string_view m) {
  if (has(m, "too many operations in txn request")) return Errc::kTooManyOps;
  if (has(m, "duplicate key given in txn request")) return Errc::kDuplicateKey;
  if (has(m, "request is too large")) return Errc::kRequestTooLarge;
  if (has(m, "authentication failed")) return Errc::kAuthFailed;
  // Auth is on and the call carried no token.
  if (has(m, "user name is empty")) return Errc::kUnauthenticated;
  return Errc::kInvalidArgument;
}

Errc out_of_range_errc(std::string_view m) {
  if (has(m, "required revision has been compacted")) return Errc::kCompacted;
  if (has(m, "required revision is a future revision")) return Errc::kFutureRevision;
  if (has(m, "too large lease TTL")) return Errc::kLeaseTtlTooLarge;
  return Errc::kInvalidArgument;
}

}  // namespace

Errc definite_errc(int code, std::string_view m) {
  switch (code) {
    case kGrpcCancelled: return Errc::kCancelled;
    case kGrpcInvalidArgument: return invalid_argument_errc(m);
    case kGrpcDeadlineExceeded: return Errc::kDeadlineExceeded;
    case kGrpcNotFound:
      return has(m, "lease not found") ? Errc::kLeaseNotFound : Errc::kInvalidArgument;
    case kGrpcPermissionDenied: return Errc::kPermissionDenied;
    case kGrpcResourceExhausted:
      // gRPC's own size check fires above etcd's limit + 512 KiB overhead.
      return has(m, "larger than max") ? Errc::kRequestTooLarge : Errc::kResourceExhausted;
    case kGrpcFailedPrecondition:
      // "lease already exists", "not leader", auth management errors.
      return Errc::kInvalidArgument;
    case kGrpcOutOfRange: return out_of_range_errc(m);
    case kGrpcUnavailable: return Errc::kUnavailable;
    case kGrpcDataLoss: return Errc::kDataLoss;
    case kGrpcUnauthenticated: return Errc::kUnauthenticated;
    default: return Errc::kInternal;
  }
}

bool not_sent(std::string_view m) {
  return has(m, "failed to connect to all addresses") || has(m, "etcdserver: no leader") ||
         has(m, "etcdserver: not capable") || has(m, "not supported for learner") ||
         has(m, "Empty update") || has(m, "no children to pick from");
}

bool looks_like_tls_failure(std::string_view m) {
  // "tcp handshaker shutdown" is a plain connect that timed out, not TLS.
  const bool tls_handshake = has(m, "handshake") && !has(m, "tcp handshaker");
  return has(m, "SSL") || has(m, "ssl") || has(m, "TLS") || tls_handshake ||
         has(m, "certificate") || has(m, "CERTIFICATE");
}

bool looks_like_tls_rejection(std::string_view m) {
  return has(m, "Endpoint read failed") || has(m, "Socket closed") ||
         has(m, "Connection reset");
}

Verdict classify(int code, std::string_view m, CallKind kind) {
  const bool read = kind == CallKind::kRead;
  switch (code) {
    case kGrpcCancelled:
      // The caller cancelled: a write in flight may still apply.
      return {Next::kDone, read ? Errc::kCancelled : Errc::kIndeterminate};
    case kGrpcUnauthenticated:
      return {Next::kRefreshToken, Errc::kUnauthenticated};
    case kGrpcInvalidArgument:
      if (has(m, "revision of auth store is old")) {
        return {Next::kRefreshToken, Errc::kUnauthenticated};
      }
      return {Next::kDone, invalid_argument_errc(m)};
    case kGrpcUnavailable:
      if (read || not_sent(m)) return {Next::kRetryNextEndpoint, Errc::kUnavailable};
      return {Next::kDone, Errc::kIndeterminate};
    case kGrpcDeadlineExceeded:
    case kGrpcUnknown:
    case kGrpcInternal:
      // The request may have been sent and applied; the answer was lost.
      if (read) return {Next::kRetryNextEndpoint, Errc::kUnavailable};
      return {Next::kDone, Errc::kIndeterminate};
    case kGrpcFailedPrecondition:
      if (has(m, "etcdserver: not leader")) {
        return {Next::kRetryNextEndpoint, Errc::kUnavailable};
      }
      return {Next::kDone, definite_errc(code, m)};
    default:
      return {Next::kDone, definite_errc(code, m)};
  }
}

Errc watch_cancel_errc(std::string_view reason) {
  if (has(reason, "permission denied")) return Errc::kPermissionDenied;
  if (has(reason, "invalid auth token")) return Errc::kUnauthenticated;
  if (has(reason, "compacted")) return Errc::kCompacted;
  if (has(reason, "no leader")) return Errc::kUnavailable;
  if (reason.empty()) return Errc::kUnavailable;
  return Errc::kInvalidArgument;
}

}  // namespace coord::etcd::detail
