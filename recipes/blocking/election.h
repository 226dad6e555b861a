// blocking/election.h: blocking twins of coord::Election and
// coord::ElectionObserver.
//
//   coord::blocking::Election e(*session, "svc/leader");
//   Revision token = e.campaign("host-a").value();   // blocks until leader
//   ... e.resign();
//   auto obs = e.observe();
//   while (auto l = obs.next({.timeout = 5s})) use(l->value);
//
// Same keys, round trips and errors as recipes/election.h, plus
// CallOptions (timeout, stop_token): a campaign that gives up deletes its
// key.
// Thread-safety: an Election (and an observer) belongs to one thread at a
// time. REQUIRES: the session outlives them; never call from a Runtime
// thread.
#pragma once

#include <string>

#include "api/blocking.h"
#include "recipes/blocking/session.h"
#include "recipes/election.h"

namespace coord::blocking {

class ElectionObserver {
 public:
  ElectionObserver(Client& client, coord::ElectionObserver obs)
      : client_(client), obs_(std::move(obs)) {}
  // next: as coord::ElectionObserver::next, bounded by opts.
  Result<KeyValue> next(const CallOptions& opts = {}) { return client_.run(obs_.next(), opts); }

 private:
  Client& client_;
  coord::ElectionObserver obs_;
};

class Election {
 public:
  Election(Session& session, std::string name)
      : client_(session.client()), e_(session.async().shared_from_this(), std::move(name)) {}

  Result<Revision> campaign(std::string value, const CallOptions& opts = {}) {
    return client_.run(e_.campaign(std::move(value)), opts);
  }
  Result<void> proclaim(std::string value, const CallOptions& opts = {}) {
    return client_.run(e_.proclaim(std::move(value)), opts);
  }
  Result<void> resign(const CallOptions& opts = {}) { return client_.run(e_.resign(), opts); }
  Result<KeyValue> leader(const CallOptions& opts = {}) { return client_.run(e_.leader(), opts); }
  Result<TxnResponse> guarded_txn(TxnRequest req, const CallOptions& opts = {}) {
    return client_.run(e_.guarded_txn(std::move(req)), opts);
  }
  Result<void> lost(const CallOptions& opts = {}) { return client_.run(e_.lost(), opts); }
  ElectionObserver observe() { return ElectionObserver(client_, e_.observe()); }

  Compare is_leader() const { return e_.is_leader(); }
  Revision fencing_token() const { return e_.fencing_token(); }
  const std::string& key() const { return e_.key(); }
  coord::Election& async() { return e_; }

 private:
  Client& client_;
  coord::Election e_;
};

}  // namespace coord::blocking
