// watch_table_test.cc: the watch multiplexing state machine stepped by
// hand: creation, delivery, resume after reconnects without loss or
// duplicates, compaction, permission errors, progress, cancellation.
#include "backends/etcd/detail/watch_table.h"

#include <gtest/gtest.h>

namespace coord::etcd::detail {
namespace {

using Kind = WatchAction::Kind;

RawWatchResponse created(std::int64_t id, Revision header) {
  RawWatchResponse r;
  r.watch_id = id;
  r.created = true;
  r.body.header.revision = header;
  return r;
}

RawWatchResponse events(std::int64_t id, std::vector<Revision> revs) {
  RawWatchResponse r;
  r.watch_id = id;
  for (Revision rev : revs) {
    Event e;
    e.kv.key = "k";
    e.kv.mod_revision = rev;
    r.body.events.push_back(e);
  }
  r.body.header.revision = revs.empty() ? 0 : revs.back();
  return r;
}

std::vector<Revision> delivered(const std::vector<WatchAction>& acts) {
  std::vector<Revision> out;
  for (const auto& a : acts) {
    if (a.kind != Kind::kDeliver) continue;
    for (const auto& e : a.response.events) out.push_back(e.kv.mod_revision);
  }
  return out;
}

TEST(WatchTableTest, ResumesFromLastDeliveredRevisionWithoutDuplicates) {
  WatchTable t;
  EXPECT_EQ(t.add(1, WatchRequest::single("k")), std::nullopt);  // no stream yet
  auto creates = t.on_open();
  ASSERT_EQ(creates.size(), 1u);
  EXPECT_EQ(creates[0].watch_id, 1);
  EXPECT_EQ(creates[0].req.start_revision, 0);  // "from now"
  auto acts = t.on_response(created(1, 10));
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].kind, Kind::kCreated);
  EXPECT_EQ(t.next_revision(1), 11);
  EXPECT_EQ(delivered(t.on_response(events(1, {11, 12}))), (std::vector<Revision>{11, 12}));
  EXPECT_EQ(t.next_revision(1), 13);

  t.on_closed();
  EXPECT_TRUE(t.on_response(events(1, {13})).empty());  // stale stream: ignored
  creates = t.on_open();
  ASSERT_EQ(creates.size(), 1u);
  EXPECT_EQ(creates[0].req.start_revision, 13);
  t.on_response(created(1, 15));
  // A server that replays what was delivered is filtered.
  EXPECT_EQ(delivered(t.on_response(events(1, {12, 13}))), (std::vector<Revision>{13}));
  EXPECT_TRUE(t.on_response(events(1, {13})).empty());
  EXPECT_EQ(delivered(t.on_response(events(1, {14, 15}))), (std::vector<Revision>{14, 15}));
}

TEST(WatchTableTest, ExplicitStartRevisionIsKeptUntilEventsArrive) {
  WatchTable t;
  t.on_open();
  auto c = t.add(4, WatchRequest::prefix("p/", 5));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->req.start_revision, 5);
  t.on_response(created(4, 30));
  EXPECT_EQ(t.next_revision(4), 5);
  t.on_closed();
  EXPECT_EQ(t.on_open()[0].req.start_revision, 5);
}

TEST(WatchTableTest, CompactionWhileDisconnectedEndsTheWatch) {
  WatchTable t;
  t.on_open();
  t.add(1, WatchRequest::single("k", 3));
  t.on_response(created(1, 9));
  t.on_response(events(1, {3}));
  t.on_closed();
  t.on_open();
  t.on_response(created(1, 40));
  RawWatchResponse cancel;
  cancel.watch_id = 1;
  cancel.canceled = true;
  cancel.compact_revision = 20;
  auto acts = t.on_response(cancel);
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].kind, Kind::kFail);
  EXPECT_EQ(acts[0].errc, Errc::kCompacted);
  EXPECT_EQ(acts[0].compact_revision, 20);
  EXPECT_EQ(t.size(), 0u);
}

TEST(WatchTableTest, FailedCreateIsMatchedInOrder) {
  WatchTable t;
  t.on_open();
  t.add(1, WatchRequest::single("a"));
  t.add(2, WatchRequest::single("secret"));
  t.add(3, WatchRequest::single("b"));
  EXPECT_EQ(t.on_response(created(1, 5))[0].kind, Kind::kCreated);
  RawWatchResponse denied = created(kBroadcastWatchId, 5);
  denied.canceled = true;
  denied.cancel_reason = "etcdserver: permission denied";
  auto acts = t.on_response(denied);
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].kind, Kind::kFail);
  EXPECT_EQ(acts[0].id, 2);
  EXPECT_EQ(acts[0].errc, Errc::kPermissionDenied);
  acts = t.on_response(created(3, 5));
  EXPECT_EQ(acts[0].kind, Kind::kCreated);
  EXPECT_EQ(acts[0].id, 3);
}

TEST(WatchTableTest, ProgressReplyReachesEveryCreatedWatcher) {
  WatchTable t;
  t.on_open();
  t.add(1, WatchRequest::single("a"));
  t.add(2, WatchRequest::single("b"));
  t.on_response(created(1, 5));
  RawWatchResponse progress;
  progress.watch_id = kBroadcastWatchId;
  progress.body.header.revision = 8;
  auto acts = t.on_response(progress);
  ASSERT_EQ(acts.size(), 1u);  // watcher 2 is not created yet
  EXPECT_EQ(acts[0].id, 1);
  EXPECT_TRUE(acts[0].response.progress_notify);
  EXPECT_EQ(acts[0].response.header.revision, 8);
  // A per-watcher notification (progress_notify watches) too.
  acts = t.on_response(events(1, {}));
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_TRUE(acts[0].response.progress_notify);
}

TEST(WatchTableTest, RemovedWhileCreatingIsCancelledOnTheServer) {
  WatchTable t;
  t.on_open();
  t.add(1, WatchRequest::single("a"));
  EXPECT_FALSE(t.remove(1));  // not created yet: nothing to cancel now
  auto acts = t.on_response(created(1, 5));
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].kind, Kind::kSendCancel);
  EXPECT_EQ(acts[0].id, 1);
}

TEST(WatchTableTest, RemoveOfCreatedWatcherNeedsACancelOnlyWhileOpen) {
  WatchTable t;
  t.on_open();
  t.add(1, WatchRequest::single("a"));
  t.add(2, WatchRequest::single("b"));
  t.on_response(created(1, 5));
  t.on_response(created(2, 5));
  EXPECT_TRUE(t.remove(1));
  t.on_closed();
  EXPECT_FALSE(t.remove(2));
  EXPECT_EQ(t.size(), 0u);
  EXPECT_TRUE(t.on_response(events(1, {6})).empty());
}

}  // namespace
}  // namespace coord::etcd::detail
