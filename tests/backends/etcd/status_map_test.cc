// status_map_test.cc: etcd's gRPC errors map to coord's Errc and to the
// right next step (table-driven, no network).
#include "backends/etcd/detail/status_map.h"

#include <gtest/gtest.h>

namespace coord::etcd::detail {
namespace {

struct Row {
  int code;
  const char* message;
  CallKind kind;
  Next next;
  Errc errc;
};

TEST(StatusMapTest, ClassifiesEtcdErrors) {
  const CallKind R = CallKind::kRead, W = CallKind::kWrite;
  const Row rows[] = {
      {kGrpcInvalidArgument, "etcdserver: key is not provided", W, Next::kDone,
       Errc::kInvalidArgument},
      {kGrpcInvalidArgument, "etcdserver: too many operations in txn request", W, Next::kDone,
       Errc::kTooManyOps},
      {kGrpcInvalidArgument, "etcdserver: duplicate key given in txn request", W, Next::kDone,
       Errc::kDuplicateKey},
      {kGrpcInvalidArgument, "etcdserver: request is too large", W, Next::kDone,
       Errc::kRequestTooLarge},
      {kGrpcInvalidArgument, "etcdserver: authentication failed, invalid user ID or password",
       R, Next::kDone, Errc::kAuthFailed},
      {kGrpcInvalidArgument, "etcdserver: revision of auth store is old", W,
       Next::kRefreshToken, Errc::kUnauthenticated},
      {kGrpcOutOfRange, "etcdserver: mvcc: required revision has been compacted", R,
       Next::kDone, Errc::kCompacted},
      {kGrpcOutOfRange, "etcdserver: mvcc: required revision is a future revision", R,
       Next::kDone, Errc::kFutureRevision},
      {kGrpcOutOfRange, "etcdserver: too large lease TTL", W, Next::kDone,
       Errc::kLeaseTtlTooLarge},
      {kGrpcNotFound, "etcdserver: requested lease not found", W, Next::kDone,
       Errc::kLeaseNotFound},
      {kGrpcFailedPrecondition, "etcdserver: lease already exists", W, Next::kDone,
       Errc::kInvalidArgument},
      {kGrpcPermissionDenied, "etcdserver: permission denied", R, Next::kDone,
       Errc::kPermissionDenied},
      {kGrpcUnauthenticated, "etcdserver: invalid auth token", R, Next::kRefreshToken,
       Errc::kUnauthenticated},
      {kGrpcResourceExhausted, "etcdserver: mvcc: database space exceeded", W, Next::kDone,
       Errc::kResourceExhausted},
      {kGrpcResourceExhausted, "grpc: received message larger than max (3 vs. 2)", W,
       Next::kDone, Errc::kRequestTooLarge},
      {kGrpcDataLoss, "etcdserver: corrupt cluster", R, Next::kDone, Errc::kDataLoss},
      // Transport failures: reads move on, writes are indeterminate...
      {kGrpcUnavailable, "Socket closed", R, Next::kRetryNextEndpoint, Errc::kUnavailable},
      {kGrpcUnavailable, "Socket closed", W, Next::kDone, Errc::kIndeterminate},
      {kGrpcUnavailable, "etcdserver: request timed out", W, Next::kDone,
       Errc::kIndeterminate},
      {kGrpcUnavailable, "etcdserver: leader changed", W, Next::kDone, Errc::kIndeterminate},
      {kGrpcDeadlineExceeded, "Deadline Exceeded", W, Next::kDone, Errc::kIndeterminate},
      {kGrpcDeadlineExceeded, "Deadline Exceeded", R, Next::kRetryNextEndpoint,
       Errc::kUnavailable},
      {kGrpcCancelled, "Cancelled", R, Next::kDone, Errc::kCancelled},
      {kGrpcCancelled, "Cancelled", W, Next::kDone, Errc::kIndeterminate},
      // ...unless the request provably never reached a server.
      {kGrpcUnavailable, "failed to connect to all addresses; last error: x", W,
       Next::kRetryNextEndpoint, Errc::kUnavailable},
      {kGrpcUnavailable, "etcdserver: no leader", W, Next::kRetryNextEndpoint,
       Errc::kUnavailable},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.message);
    const Verdict v = classify(r.code, r.message, r.kind);
    EXPECT_EQ(v.next, r.next);
    EXPECT_EQ(v.errc, r.errc);
  }
}

TEST(StatusMapTest, WatchCancelReasons) {
  EXPECT_EQ(watch_cancel_errc("etcdserver: permission denied"), Errc::kPermissionDenied);
  EXPECT_EQ(watch_cancel_errc("etcdserver: invalid auth token"), Errc::kUnauthenticated);
  EXPECT_EQ(watch_cancel_errc("etcdserver: mvcc: required revision has been compacted"),
            Errc::kCompacted);
}

TEST(StatusMapTest, RecognisesTlsHandshakeFailures) {
  EXPECT_TRUE(looks_like_tls_failure(
      "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: Ssl "
      "handshake failed: SSL_ERROR_SSL: error:1000007d:SSL routines:CERTIFICATE_VERIFY_FAILED"));
  EXPECT_FALSE(looks_like_tls_failure("failed to connect to all addresses; Connection refused"));
  // A plain TCP connect cut short by the deadline is not a TLS failure.
  EXPECT_FALSE(looks_like_tls_failure(
      "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: tcp "
      "handshaker shutdown"));
  EXPECT_TRUE(looks_like_tls_rejection(
      "failed to connect to all addresses; last error: UNAVAILABLE: ipv4:127.0.0.1:1: Endpoint "
      "read failed"));
  EXPECT_FALSE(looks_like_tls_rejection("failed to connect to all addresses; Connection refused"));
}

}  // namespace
}  // namespace coord::etcd::detail
