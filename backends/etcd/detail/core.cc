#include "backends/etcd/detail/core.h"

#include "backends/common/system_clock.h"

namespace coord::etcd::detail {

Core::Core(Options options, std::vector<std::unique_ptr<Endpoint>> endpoints)
    : options_(std::move(options)),
      clock_(options_.clock ? options_.clock : &system_clock()),
      endpoints_(std::move(endpoints)) {}

void Core::failover(std::size_t from) {
  std::size_t expected = from;
  current_.compare_exchange_strong(expected, (from + 1) % endpoints_.size());
}

void Core::prepare(grpc::ClientContext& ctx, Duration timeout, bool require_leader,
                   bool with_token) {
  if (timeout > Duration::zero()) {
    // gRPC deadlines are wall-clock instants; only the length matters.
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::duration_cast<std::chrono::system_clock::duration>(timeout));
  }
  if (require_leader) ctx.AddMetadata("hasleader", "true");
  if (!with_token) return;
  std::lock_guard lock(token_mu_);
  if (!token_.empty()) ctx.AddMetadata("token", token_);
}

std::uint64_t Core::token_generation() const {
  std::lock_guard lock(token_mu_);
  return token_generation_;
}

Result<void> Core::authenticate_blocking(std::size_t i) {
  pb::AuthenticateRequest req;
  req.set_name(options_.user);
  req.set_password(options_.password);
  pb::AuthenticateResponse resp;
  grpc::ClientContext ctx;
  prepare(ctx, options_.request_timeout, false, false);
  grpc::Status s = endpoint(i).auth->Authenticate(&ctx, req, &resp);
  if (!s.ok()) {
    if (s.error_code() == grpc::StatusCode::UNAVAILABLE) {
      return make_error_code(looks_like_tls_failure(s.error_message()) ? Errc::kTlsError
                                                                       : Errc::kUnavailable);
    }
    return make_error_code(definite_errc(s.error_code(), s.error_message()));
  }
  std::lock_guard lock(token_mu_);
  token_ = resp.token();
  ++token_generation_;
  return {};
}

Task<void> Core::refresh_token(std::uint64_t seen) {
  if (token_generation() != seen) co_return Result<void>{};
  pb::AuthenticateRequest req;
  req.set_name(options_.user);
  req.set_password(options_.password);
  auto shared = std::make_shared<const pb::AuthenticateRequest>(std::move(req));
  auto invoke = [](Endpoint& e, grpc::ClientContext* c, const pb::AuthenticateRequest* q,
                   pb::AuthenticateResponse* r, std::function<void(grpc::Status)> f) {
    e.auth->async()->Authenticate(c, q, r, std::move(f));
  };
  for (std::size_t n = 0; n < size(); ++n) {
    const std::size_t ep = current();
    pb::AuthenticateResponse out;
    grpc::Status s = co_await attempt<pb::AuthenticateResponse>(ep, shared, invoke, out, false);
    if (s.ok()) {
      std::lock_guard lock(token_mu_);
      if (token_generation_ == seen) {
        token_ = out.token();
        ++token_generation_;
      }
      co_return Result<void>{};
    }
    const Verdict v = classify(s.error_code(), s.error_message(), CallKind::kRead);
    if (v.next != Next::kRetryNextEndpoint) co_return make_error_code(v.errc);
    failover(ep);
  }
  co_return make_error_code(Errc::kUnavailable);
}

}  // namespace coord::etcd::detail
