// convert.h: coord's plain request/response structs <-> etcd's protobuf.
//
// Pure functions, one pair per message. Private to backends/etcd.
#pragma once

#include "api/lease.h"
#include "api/txn.h"
#include "api/types.h"
#include "api/watch.h"
#include "backends/etcd/detail/watch_table.h"
#include "etcd_rpc.pb.h"

namespace coord::etcd::detail {

namespace pb = ::etcdserverpb;

void to_pb(const RangeRequest& in, pb::RangeRequest* out);
void to_pb(const PutRequest& in, pb::PutRequest* out);
void to_pb(const DeleteRequest& in, pb::DeleteRangeRequest* out);
void to_pb(const TxnRequest& in, pb::TxnRequest* out);
void to_pb(const WatchCreate& in, pb::WatchCreateRequest* out);

Header from_pb(const pb::ResponseHeader& in);
KeyValue from_pb(const ::mvccpb::KeyValue& in);
RangeResponse from_pb(pb::RangeResponse&& in);
PutResponse from_pb(pb::PutResponse&& in);
DeleteResponse from_pb(pb::DeleteRangeResponse&& in);
TxnResponse from_pb(pb::TxnResponse&& in);
RawWatchResponse from_pb(pb::WatchResponse&& in);

}  // namespace coord::etcd::detail
