#include "sim/workloads/common.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coord::sim::detail {
namespace asio = boost::asio;

asio::awaitable<bool> nap(Node& node, Duration d) {
  Clock& clock = node.link().clock;
  auto [ec] = co_await clock.async_wait_until(clock.now() + d,
                                              asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

asio::awaitable<std::shared_ptr<Session>> open_session(const Incarnation& inc, Client& client,
                                                      std::int64_t ttl, const bool& stop) {
  while (inc.alive() && !stop) {
    auto s = co_await Session::create(client, SessionOptions{ttl, 0});
    if (s) co_return *s;
    if (!co_await nap(inc.node, std::chrono::milliseconds(100))) break;
  }
  co_return nullptr;
}

asio::awaitable<std::optional<std::string>> check_rank(Client& direct, const std::string& prefix,
                                                      const std::string& key, Revision token,
                                                      std::int64_t permits) {
  RangeRequest first = RangeRequest::prefix(prefix);
  first.sort_order = SortOrder::kAscend;
  first.sort_target = SortTarget::kCreate;
  first.limit = permits;
  TxnRequest txn;
  txn.success.push_back(Op::get(key));
  txn.success.push_back(Op::range(first));
  auto r = co_await direct.txn(std::move(txn));
  if (!r) co_return "oracle read failed: " + r.error().message();
  const auto& mine = r->responses[0].range().kvs;
  if (mine.empty() || mine[0].create_revision != token) co_return std::nullopt;  // lost: allowed
  for (const auto& kv : r->responses[1].range().kvs) {
    if (kv.key == key) co_return std::nullopt;
  }
  const auto& head = r->responses[1].range().kvs;
  co_return "holder " + key + " (token " + std::to_string(token) + ") is not among the first " +
      std::to_string(permits) + " keys; first is " + (head.empty() ? "none" : head[0].key) +
      " at revision " + std::to_string(r->header.revision);
}

bool is_transient(const ErrorCode& ec) {
  return is_errc(ec, Errc::kUnavailable) || is_errc(ec, Errc::kIndeterminate) ||
         is_errc(ec, Errc::kDeadlineExceeded) || is_errc(ec, Errc::kResourceExhausted);
}

}  // namespace coord::sim::detail
