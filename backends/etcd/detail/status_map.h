// status_map.h: how the etcd backend reads a failed gRPC call.
//
// classify turns a gRPC status (code and message, as etcd's
// rpctypes/error.go spells them) into the Errc coord reports and into what
// the caller does next: give up, try the next endpoint (safe: nothing was
// applied, or the call only reads), or refresh the auth token once. Pure
// functions; no gRPC types, so they are unit-tested without a network.
#pragma once

#include <string_view>

#include "api/errc.h"

namespace coord::etcd::detail {

// CallKind says whether a call may be sent twice.
enum class CallKind { kRead, kWrite };

// Next is what the caller does with a failed attempt.
enum class Next {
  kDone,               // report errc
  kRetryNextEndpoint,  // try the next endpoint (errc if none is left)
  kRefreshToken,       // re-authenticate once, then retry (errc if again)
};

struct Verdict {
  Next next = Next::kDone;
  Errc errc = Errc::kInternal;
  bool operator==(const Verdict&) const = default;
};

// Status codes of grpc::StatusCode, repeated so this header stays gRPC-free.
inline constexpr int kGrpcCancelled = 1;
inline constexpr int kGrpcUnknown = 2;
inline constexpr int kGrpcInvalidArgument = 3;
inline constexpr int kGrpcDeadlineExceeded = 4;
inline constexpr int kGrpcNotFound = 5;
inline constexpr int kGrpcPermissionDenied = 7;
inline constexpr int kGrpcResourceExhausted = 8;
inline constexpr int kGrpcFailedPrecondition = 9;
inline constexpr int kGrpcOutOfRange = 11;
inline constexpr int kGrpcInternal = 13;
inline constexpr int kGrpcUnavailable = 14;
inline constexpr int kGrpcDataLoss = 15;
inline constexpr int kGrpcUnauthenticated = 16;

// classify maps a non-OK status of a call of the given kind.
Verdict classify(int code, std::string_view message, CallKind kind);

// definite_errc maps a status that is the server's final answer (not a
// transport failure) to its Errc.
Errc definite_errc(int code, std::string_view message);

// watch_cancel_errc maps a WatchResponse cancel_reason to an Errc.
Errc watch_cancel_errc(std::string_view reason);

// looks_like_tls_failure tells whether a transport error message comes from
// a failed TLS handshake (bad CA, bad server name, missing client cert).
bool looks_like_tls_failure(std::string_view message);

// looks_like_tls_rejection tells whether a transport error message is a
// connection the server dropped after connecting: with TLS on, what a
// server requiring a client certificate does to a client without one.
bool looks_like_tls_rejection(std::string_view message);

// not_sent tells whether an Unavailable status proves the request never
// reached a server (no connection could be made) or was refused before it
// was proposed (etcd: no leader), so even a write may go elsewhere.
bool not_sent(std::string_view message);

}  // namespace coord::etcd::detail
