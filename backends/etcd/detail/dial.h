// dial.h: turning etcd::Options into a connected Core.
//
// dial parses the endpoints, loads the TLS files, builds one channel per
// endpoint (own subchannel pool, fast reconnect back-off), waits until one
// endpoint answers Maintenance.Status, and authenticates once when a user
// is given. Blocking; used only by connect().
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "backends/etcd/detail/core.h"

namespace coord::etcd::detail {

// ParsedEndpoint is one endpoint URL split up.
struct ParsedEndpoint {
  std::string target;  // "host:port"
  bool tls = false;    // https:// given
};

// parse_endpoint accepts "host:port", "http://host:port" and
// "https://host:port" (an optional trailing '/'). Errors: kInvalidArgument.
Result<ParsedEndpoint> parse_endpoint(std::string_view url);

// dial connects (see above). Errors as connect() in etcd_client.h.
Result<std::shared_ptr<Core>> dial(Options options);

}  // namespace coord::etcd::detail
