#include "recipes/blocking/stm.h"

namespace coord::blocking {

Stm::Stm(Client& client, StmOptions options, const CallOptions& opts)
    : client_(client), stm_(client.async(), std::move(options)), opts_(opts) {
  if (opts.timeout) deadline_ = client.async().clock().now() + *opts.timeout;
}

CallOptions Stm::remaining() const {
  CallOptions o;
  o.stop = opts_.stop;
  if (deadline_) o.timeout = *deadline_ - client_.async().clock().now();
  return o;
}

Result<std::string> Stm::get(std::string key) {
  return client_.run(stm_.get(std::move(key)), remaining());
}

Result<Revision> Stm::rev(std::string key) {
  return client_.run(stm_.rev(std::move(key)), remaining());
}

Result<TxnResponse> run_stm(Client& client, std::function<Result<void>(Stm&)> apply,
                            StmOptions options, const CallOptions& opts) {
  Stm stm(client, std::move(options), opts);
  const StmOptions& o = stm.stm_.options();
  for (int attempt = 1;; ++attempt) {
    if (o.max_attempts > 0 && attempt > o.max_attempts) return make_error_code(Errc::kRetryLimit);
    if (stm.opts_.stop.stop_requested()) return make_error_code(Errc::kCancelled);
    stm.stm_.reset();
    Result<void> ok;
    if (!o.prefetch.empty()) ok = client.run(stm.stm_.get_many(o.prefetch), stm.remaining());
    if (ok) ok = apply(stm);
    if (!ok) {
      if (is_errc(ok.error(), Errc::kCompacted)) continue;
      return ok.error();
    }
    auto committed = client.run(stm.stm_.commit(), stm.remaining());
    if (!committed) return committed.error();
    if (*committed == coord::Stm::Outcome::kCommitted) return stm.stm_.response();
  }
}

}  // namespace coord::blocking
