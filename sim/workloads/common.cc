#include "sim/workloads/common.h"

#include <algorithm>
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
  // Count the keys created before the holder's (a filter, no sort). etcd's
  // `count` ignores the create-revision filters, so count the keys returned.
  RangeRequest older = RangeRequest::prefix(prefix);
  older.max_create_revision = token - 1;
  older.keys_only = true;
  TxnRequest txn;
  txn.success.push_back(Op::get(key));
  txn.success.push_back(Op::range(older));
  auto r = co_await direct.txn(std::move(txn));
  if (!r) co_return "oracle read failed: " + r.error().message();
  const auto& mine = r->responses[0].range().kvs;
  if (mine.empty() || mine[0].create_revision != token) co_return std::nullopt;  // lost: allowed
  const auto ahead = static_cast<std::int64_t>(r->responses[1].range().kvs.size());
  if (ahead < permits) co_return std::nullopt;
  co_return "holder " + key + " (token " + std::to_string(token) + ") has " +
      std::to_string(ahead) + " older keys ahead of it (permits " + std::to_string(permits) +
      ") at revision " + std::to_string(r->header.revision);
}

std::optional<std::string> Terms::note(const Incarnation& inc, Revision token) {
  const auto who = std::make_pair(inc.node.id(), inc.epoch);
  auto [it, fresh] = terms_.emplace(token, who);
  if (fresh || it->second == who) return std::nullopt;
  return "token " + std::to_string(token) + " held by node " + std::to_string(it->second.first) +
         " and node " + std::to_string(inc.node.id());
}

Cell parse_cell(const std::vector<KeyValue>& kvs) {
  if (kvs.empty()) return {};
  const auto& v = kvs[0].value;
  const auto colon = v.find(':');
  return {std::stoll(v.substr(0, colon)), std::stoll(v.substr(colon + 1))};
}

bool progressed_since(const std::vector<TimePoint>& last_ok, TimePoint healed) {
  const auto after = [healed](TimePoint t) { return t > healed; };
  if (last_ok.size() > 50) return std::any_of(last_ok.begin(), last_ok.end(), after);
  return std::all_of(last_ok.begin(), last_ok.end(), after);
}

bool is_transient(const ErrorCode& ec) {
  return is_errc(ec, Errc::kUnavailable) || is_errc(ec, Errc::kIndeterminate) ||
         is_errc(ec, Errc::kDeadlineExceeded) || is_errc(ec, Errc::kResourceExhausted);
}

}  // namespace coord::sim::detail
