// etcd_client.h: the etcd backend, coord::Client over etcd's v3 gRPC API.
//
// connect() returns a Client that talks to an etcd cluster (3.4-3.6) through
// one gRPC channel per endpoint. Unary calls use gRPC's callback API and
// resume the awaiting coroutine on its own executor; watches share one
// bidirectional stream per client, lease keep-alives another. A call that
// fails with a transport error moves to the next endpoint: reads are retried
// there, a write whose outcome is unknown returns kIndeterminate and is never
// retried. Watches resume after a reconnect from their last delivered
// revision + 1, so no event is lost or delivered twice.
//
//   coord::etcd::Options o;
//   o.endpoints = {"127.0.0.1:2379"};
//   auto client = coord::etcd::connect(o);  // Result<shared_ptr<Client>>
//
// Thread-safety: the Client is thread-safe. gRPC and protobuf stay private.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "api/client.h"
#include "api/clock.h"
#include "api/errc.h"

namespace coord::etcd {

struct Options {
  // endpoints lists the cluster's client URLs: "127.0.0.1:2379",
  // "http://host:port" or "https://host:port". REQUIRES: at least one.
  std::vector<std::string> endpoints;
  // ca_file: PEM file of the CA that signed the servers' certificates.
  // Non-empty (or an https:// endpoint) turns TLS on; no plaintext
  // fallback. Default: empty (plaintext unless https://).
  std::string ca_file;
  // cert_file / key_file: the client certificate and key for mutual TLS.
  // Default: empty (no client certificate).
  std::string cert_file;
  std::string key_file;
  // server_name_override: the name checked against the server certificate
  // instead of the endpoint's host. Default: empty.
  std::string server_name_override;
  // user / password: etcd authentication; the token is attached to every
  // call and refreshed once when the server says it is invalid.
  // Default: empty (no authentication).
  std::string user;
  std::string password;
  // dial_timeout bounds connect(). Default: 5 s.
  Duration dial_timeout = std::chrono::seconds(5);
  // request_timeout bounds one attempt of one call on one endpoint.
  // Default: 10 s.
  Duration request_timeout = std::chrono::seconds(10);
  // clock drives retry back-off and keep-alive. Default (nullptr): the
  // system clock. REQUIRES: outlives the client.
  Clock* clock = nullptr;
};

// connect opens a client and waits until one endpoint answers (and, with
// a user, authenticates once). Errors: kInvalidArgument (no or malformed
// endpoint, a key without a certificate), kTlsError (unreadable or invalid
// certificate files, or a TLS handshake the server rejected), kAuthFailed
// (wrong user or password), kUnavailable (no endpoint answered within
// dial_timeout). Blocks the calling thread for at most about dial_timeout.
Result<std::shared_ptr<Client>> connect(Options options);

}  // namespace coord::etcd
