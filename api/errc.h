// errc.h: coord's error codes, one enum for every layer.
//
// Every fallible operation returns Result<T> = boost::system::result<T>. Its
// error is a boost::system::error_code in coord's category; the enumerators
// are grouped by what the caller does next:
//   - fix the input:          kInvalidArgument and the etcd limit errors;
//   - resync then continue:   kCompacted, kFutureRevision;
//   - decide, do not retry:   kIndeterminate (a write may or may not have
//                             applied: look it up before writing again);
//   - retry later:            kUnavailable, kResourceExhausted;
//   - give up this attempt:   kDeadlineExceeded, kCancelled, kClosed;
//   - recipe outcomes:        kSessionExpired, kLocked, kNotLeader, ...
// Thread-safety: all functions here are pure and thread-safe.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace coord {

template <typename T>
using Result = boost::system::result<T>;
using ErrorCode = boost::system::error_code;

// Errc lists every error coord reports. Values are stable (logged, compared).
enum class Errc : int {
  // Input errors: the request is malformed; nothing was applied.
  kInvalidArgument = 1,  // empty key, bad range, bad option value
  kTooManyOps = 2,       // txn holds more ops than the limit (etcd: 128)
  kDuplicateKey = 3,     // a txn branch writes the same key twice
  kRequestTooLarge = 4,  // request above the size limit (etcd: 1.5 MiB)
  kLeaseTtlTooLarge = 5, // lease TTL above the maximum
  // Store state errors.
  kLeaseNotFound = 10,   // the lease is unknown, revoked or expired
  kCompacted = 11,       // the revision was compacted: re-read, then resume
  kFutureRevision = 12,  // the revision is above the store's revision
  kResourceExhausted = 13,  // quota exceeded or too many requests
  kWatchOverflow = 14,   // a watcher fell too far behind and was dropped
  // Outcome errors.
  kIndeterminate = 20,   // a write may or may not have applied
  kUnavailable = 21,     // not applied; the backend can not be reached
  kDeadlineExceeded = 22,  // the deadline passed before completion
  kCancelled = 23,       // the caller cancelled the operation
  kClosed = 24,          // the client, stream or store was closed
  // Security errors.
  kPermissionDenied = 30,  // the user lacks permission for the key
  kAuthFailed = 31,        // wrong user name or password
  kUnauthenticated = 32,   // the auth token is invalid or expired
  kTlsError = 33,          // TLS setup failed (bad file, bad certificate)
  // Recipe errors.
  kSessionExpired = 40,  // the session's lease is gone: its keys are gone
  kLocked = 41,          // try_lock found the lock held by another session
  kNotLocked = 42,       // unlock without holding the lock
  kNotLeader = 43,       // proclaim/resign without being the leader
  kNoLeader = 44,        // the election has no leader
  kTooManyClients = 45,  // double barrier already admitted `count`
  kKeyExists = 46,       // the key already exists (barrier hold twice)
  kRetryLimit = 47,      // STM gave up after its retry bound
  kNoPermits = 48,       // semaphore try_acquire found no free permit
  // Bugs and corruption.
  kInternal = 50,  // an invariant of coord or of the server broke
  kDataLoss = 51,  // stored data is corrupt
};

// error_category returns coord's error category (a singleton).
const boost::system::error_category& error_category() noexcept;

// make_error_code wraps an Errc into an error_code of coord's category.
inline ErrorCode make_error_code(Errc e) noexcept {
  return ErrorCode(static_cast<int>(e), error_category());
}

// errc_name returns the enumerator's name without the k ("Indeterminate").
std::string_view errc_name(Errc e) noexcept;

// is_coord_error tells whether ec belongs to coord's category.
inline bool is_coord_error(const ErrorCode& ec) noexcept {
  return ec.category() == error_category();
}

// is_errc tells whether ec is exactly the coord error e.
inline bool is_errc(const ErrorCode& ec, Errc e) noexcept {
  return is_coord_error(ec) && ec.value() == static_cast<int>(e);
}

// is_retryable tells whether the same request may simply be sent again:
// true for kUnavailable and kResourceExhausted only (never kIndeterminate).
bool is_retryable(const ErrorCode& ec) noexcept;

// is_input_error tells whether ec says the request itself was malformed.
bool is_input_error(const ErrorCode& ec) noexcept;

}  // namespace coord

namespace boost::system {
template <>
struct is_error_code_enum<coord::Errc> : std::true_type {};
}  // namespace boost::system
