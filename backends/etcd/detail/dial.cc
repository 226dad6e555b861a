#include "backends/etcd/detail/dial.h"

#include <algorithm>
#include <grpc/grpc_security_constants.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

namespace coord::etcd::detail {
namespace {

Result<std::string> read_pem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error_code(Errc::kTlsError);
  std::ostringstream s;
  s << in.rdbuf();
  std::string pem = s.str();
  if (pem.find("-----BEGIN") == std::string::npos) return make_error_code(Errc::kTlsError);
  return pem;
}

Result<std::shared_ptr<grpc::ChannelCredentials>> credentials(const Options& o, bool tls) {
  if (!tls) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  if (!o.ca_file.empty()) {
    auto ca = read_pem(o.ca_file);
    if (!ca) return ca.error();
    ssl.pem_root_certs = std::move(*ca);
  }
  if (o.cert_file.empty() != o.key_file.empty()) return make_error_code(Errc::kInvalidArgument);
  if (!o.cert_file.empty()) {
    auto cert = read_pem(o.cert_file);
    if (!cert) return cert.error();
    auto key = read_pem(o.key_file);
    if (!key) return key.error();
    ssl.pem_cert_chain = std::move(*cert);
    ssl.pem_private_key = std::move(*key);
  }
  return grpc::SslCredentials(ssl);
}

grpc::ChannelArguments channel_args(const Options& o) {
  grpc::ChannelArguments args;
  // Each client owns its connections, so clients fail over independently.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, -1);
  // Pings spaced above etcd's default enforcement (5 s), only with calls.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  if (!o.server_name_override.empty()) {
    args.SetSslTargetNameOverride(o.server_name_override);
  }
  return args;
}

std::unique_ptr<Endpoint> make_endpoint(const std::string& target,
                                        std::shared_ptr<grpc::ChannelCredentials> creds,
                                        const grpc::ChannelArguments& args) {
  auto e = std::make_unique<Endpoint>();
  e->target = target;
  e->channel = grpc::CreateCustomChannel(target, creds, args);
  e->kv = pb::KV::NewStub(e->channel);
  e->watch = pb::Watch::NewStub(e->channel);
  e->lease = pb::Lease::NewStub(e->channel);
  e->auth = pb::Auth::NewStub(e->channel);
  e->maintenance = pb::Maintenance::NewStub(e->channel);
  return e;
}

// probe waits until some endpoint answers Status; returns its index. With
// TLS on, a connection the server drops right after the handshake (mutual
// TLS without an accepted client certificate) counts as a TLS failure too.
Result<std::size_t> probe(Core& core, bool tls) {
  const auto give_up = std::chrono::steady_clock::now() + core.options().dial_timeout;
  std::vector<bool> tls_suspect(core.size(), false);
  for (;;) {
    std::size_t tls_failures = 0;
    for (std::size_t i = 0; i < core.size(); ++i) {
      grpc::ClientContext ctx;
      const auto left = give_up - std::chrono::steady_clock::now();
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::max(std::chrono::duration_cast<std::chrono::milliseconds>(left),
                                std::chrono::milliseconds(1)));
      pb::StatusResponse resp;
      grpc::Status s = core.endpoint(i).maintenance->Status(&ctx, pb::StatusRequest(), &resp);
      if (s.ok()) return i;
      if (looks_like_tls_failure(s.error_message())) {
        ++tls_failures;
        tls_suspect[i] = true;
      } else if (tls && looks_like_tls_rejection(s.error_message())) {
        tls_suspect[i] = true;
      }
    }
    // A handshake every endpoint rejected will not start working by waiting.
    if (tls_failures == core.size()) return make_error_code(Errc::kTlsError);
    if (std::chrono::steady_clock::now() >= give_up) {
      const bool all_tls = std::find(tls_suspect.begin(), tls_suspect.end(), false) ==
                           tls_suspect.end();
      return make_error_code(all_tls ? Errc::kTlsError : Errc::kUnavailable);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// pin_callback_queue makes one callback-API call on a channel that is never
// destroyed, so gRPC's process-wide callback completion queue keeps a
// reference for the life of the process. gRPC 1.51 tears that queue down
// when its last channel goes and builds it again for the next one; a client
// destroyed while another is created (tests, short-lived tools) then trips
// its `prior > 0` refcount assertion at shutdown. Done once per process.
void pin_callback_queue() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto* channel = new std::shared_ptr<grpc::Channel>(
        grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()));
    auto* stub = new std::unique_ptr<pb::Maintenance::Stub>(pb::Maintenance::NewStub(*channel));
    struct Call {
      grpc::ClientContext ctx;
      pb::StatusRequest req;
      pb::StatusResponse resp;
    };
    auto* call = new Call;  // freed by its callback
    call->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1));
    (*stub)->async()->Status(&call->ctx, &call->req, &call->resp,
                             [call](grpc::Status) { delete call; });
  });
}

}  // namespace

Result<ParsedEndpoint> parse_endpoint(std::string_view url) {
  ParsedEndpoint p;
  if (url.substr(0, 8) == "https://") {
    p.tls = true;
    url.remove_prefix(8);
  } else if (url.substr(0, 7) == "http://") {
    url.remove_prefix(7);
  } else if (url.find("://") != std::string_view::npos) {
    return make_error_code(Errc::kInvalidArgument);
  }
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  const auto colon = url.rfind(':');
  if (url.empty() || colon == std::string_view::npos || colon == 0 || colon + 1 == url.size() ||
      url.find('/') != std::string_view::npos) {
    return make_error_code(Errc::kInvalidArgument);
  }
  for (char c : url.substr(colon + 1)) {
    if (c < '0' || c > '9') return make_error_code(Errc::kInvalidArgument);
  }
  p.target = std::string(url);
  return p;
}

Result<std::shared_ptr<Core>> dial(Options options) {
  if (options.endpoints.empty()) return make_error_code(Errc::kInvalidArgument);
  std::vector<ParsedEndpoint> parsed;
  bool tls = !options.ca_file.empty() || !options.cert_file.empty();
  for (const auto& url : options.endpoints) {
    auto p = parse_endpoint(url);
    if (!p) return p.error();
    tls = tls || p->tls;
    parsed.push_back(std::move(*p));
  }
  auto creds = credentials(options, tls);
  if (!creds) return creds.error();
  pin_callback_queue();
  const grpc::ChannelArguments args = channel_args(options);
  std::vector<std::unique_ptr<Endpoint>> endpoints;
  for (const auto& p : parsed) endpoints.push_back(make_endpoint(p.target, *creds, args));
  auto core = std::make_shared<Core>(std::move(options), std::move(endpoints));
  auto first = probe(*core, tls);
  if (!first) return first.error();
  while (core->current() != *first) core->failover(core->current());
  if (core->has_user()) {
    auto auth = core->authenticate_blocking(core->current());
    if (!auth) return auth.error();
  }
  return core;
}

}  // namespace coord::etcd::detail
