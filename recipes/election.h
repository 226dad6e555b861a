// election.h: Election, leader election with a fencing token (etcd's
// concurrency.Election), and ElectionObserver, the stream of its leaders.
//
// Layout, the same as etcd's Go client and `etcdctl elect`, so all of them
// take part in one election: P = name + "/", a candidate's key is
// K = P + %x(lease), its value the proposal, bound to the session lease. The
// leader is the key under P with the smallest create_revision; candidates
// queue FIFO and each watches only its predecessor.
//
// Unlike etcd, campaign() confirms K still exists after waiting (a session
// that expires mid-campaign is kSessionExpired, never a phantom leader),
// resign() keeps its state when the call fails (so it can be retried), and
// observe() ends with a typed error instead of closing silently.
// Fencing: the token is K's create_revision; is_leader() is the compare and
// guarded_txn() writes only while still leader; lost() signals the loss.
// Re-entrance: K depends only on the session, so two Elections on one
// session and name share K (a second campaign with another value
// proclaims it), as in etcd.
// Thread-safety: an Election is used by one coroutine at a time; an
// ElectionObserver likewise. Calls run on the awaiting coroutine's executor
// and honour per-operation cancellation; bound them with with_deadline.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/client.h"
#include "recipes/session.h"

namespace coord {

// ElectionObserver streams an election's leaders: every change of leader
// and every proclamation, in revision order, each at most once. Each item
// is the leader's KeyValue (key, value = proposal, create_revision = its
// fencing token, mod_revision). Items are monotonic: (create_revision,
// mod_revision) strictly increases. It keeps the candidates of the election
// in memory (one range, then one prefix watch), so it never skips a leader
// that held for at least one revision, and never polls.
class ElectionObserver {
 public:
  // ElectionObserver observes election `name` through client. No round trip
  // until next(). REQUIRES: client outlives the observer.
  ElectionObserver(Client& client, std::string name);

  // next waits for the next leader (the current one first, if any).
  // Errors end the stream with the same error every later call returns:
  // kClosed, kUnavailable, kWatchOverflow, kPermissionDenied, the client's.
  // A compaction is absorbed (re-read at the present, no leader repeated).
  // kCancelled (a cancelled call) does not end the stream.
  [[nodiscard]] Task<KeyValue> next();

 private:
  [[nodiscard]] Task<void> sync();
  void apply(const Event& ev);
  void note_leader();

  Client* client_;
  std::string prefix_;
  std::map<std::string, KeyValue> candidates_;
  std::unique_ptr<WatchStream> watch_;
  std::optional<KeyValue> last_;
  std::vector<KeyValue> pending_;
  ErrorCode ended_;
};

class Election {
 public:
  // Election names election `name` for session. No round trip.
  // REQUIRES: session is not null.
  Election(std::shared_ptr<Session> session, std::string name);

  // resume rebuilds a leadership won earlier (etcd's ResumeElection), for a
  // process that reuses its lease (SessionOptions::lease): key and
  // create_revision as key() and fencing_token() returned. No round trip;
  // proclaim/resign fail kNotLeader if it no longer holds. Unlike Go's
  // ResumeElection, `name` is given without the trailing "/".
  static Election resume(std::shared_ptr<Session> session, std::string name, std::string key,
                         Revision create_revision);

  // campaign waits until this session leads, with `value` as proposal, and
  // returns the fencing token (K's create_revision). One round trip when
  // nobody leads; otherwise it waits for every older candidate to go, then
  // confirms K. Errors: kSessionExpired (the session ended or K vanished
  // while waiting), kCancelled / kDeadlineExceeded (K, if this call created
  // it, is deleted first), kIndeterminate (K may exist: campaign again),
  // the client's.
  [[nodiscard]] Task<Revision> campaign(std::string value);

  // proclaim replaces the leader's value without an election. One round
  // trip. Errors: kNotLeader (not campaigned, resigned, or K is gone or
  // newer: state cleared), the client's.
  [[nodiscard]] Task<void> proclaim(std::string value);

  // resign gives up leadership (or a pending candidacy): deletes K only if
  // its create_revision is still the token. One round trip. Errors:
  // kNotLeader (nothing to resign, or K already gone: state cleared), the
  // client's (state kept: resign can be retried).
  [[nodiscard]] Task<void> resign();

  // leader reads the current leader's KeyValue. One round trip.
  // Errors: kNoLeader, the client's.
  [[nodiscard]] Task<KeyValue> leader();

  // observe returns a stream of this election's leaders (see
  // ElectionObserver). REQUIRES: the session outlives the observer.
  ElectionObserver observe() const;

  // is_leader is the compare `create_revision(K) == token`; it never holds
  // when not leader.
  Compare is_leader() const;

  // guarded_txn runs req only while still leader (as Mutex::guarded_txn).
  // Errors: kNotLeader (nothing applied), the client's.
  [[nodiscard]] Task<TxnResponse> guarded_txn(TxnRequest req);

  // lost completes when leadership, held at the call, is lost: K deleted or
  // the session ended. Errors: kNotLeader (not leader at the call),
  // kCancelled, the client's.
  [[nodiscard]] Task<void> lost();

  // key is K; fencing_token is its create_revision while leading, else 0.
  const std::string& key() const { return key_; }
  const std::string& prefix() const { return prefix_; }
  Revision fencing_token() const { return rev_; }
  // header is the header of the response that made this session leader.
  const Header& header() const { return header_; }
  Session& session() const { return *session_; }

 private:
  [[nodiscard]] Task<Revision> campaign_body(std::string value);
  [[nodiscard]] Task<Revision> wait_turn(Revision rev, bool created);

  std::shared_ptr<Session> session_;
  std::string prefix_;
  std::string key_;
  Revision rev_ = 0;
  Header header_;
};

}  // namespace coord
