#include "backends/etcd/detail/convert.h"

namespace coord::etcd::detail {
namespace {

void op_to_pb(const Op& op, pb::RequestOp* out) {
  std::visit(
      [out](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, RangeRequest>) {
          to_pb(r, out->mutable_request_range());
        } else if constexpr (std::is_same_v<T, PutRequest>) {
          to_pb(r, out->mutable_request_put());
        } else if constexpr (std::is_same_v<T, DeleteRequest>) {
          to_pb(r, out->mutable_request_delete_range());
        } else {
          to_pb(*r, out->mutable_request_txn());
        }
      },
      op.request);
}

void compare_to_pb(const Compare& c, pb::Compare* out) {
  out->set_key(c.key);
  if (!c.range_end.empty()) out->set_range_end(c.range_end);
  out->set_result(static_cast<pb::Compare::CompareResult>(c.op));
  out->set_target(static_cast<pb::Compare::CompareTarget>(c.target));
  switch (c.target) {
    case Compare::Target::kVersion: out->set_version(c.number); break;
    case Compare::Target::kCreate: out->set_create_revision(c.number); break;
    case Compare::Target::kMod: out->set_mod_revision(c.number); break;
    case Compare::Target::kValue: out->set_value(c.value_bytes); break;
    case Compare::Target::kLease: out->set_lease(c.number); break;
  }
}

OpResponse op_from_pb(pb::ResponseOp&& r) {
  switch (r.response_case()) {
    case pb::ResponseOp::kResponseRange:
      return OpResponse{from_pb(std::move(*r.mutable_response_range()))};
    case pb::ResponseOp::kResponsePut:
      return OpResponse{from_pb(std::move(*r.mutable_response_put()))};
    case pb::ResponseOp::kResponseDeleteRange:
      return OpResponse{from_pb(std::move(*r.mutable_response_delete_range()))};
    case pb::ResponseOp::kResponseTxn:
      return OpResponse{std::make_shared<const TxnResponse>(
          from_pb(std::move(*r.mutable_response_txn())))};
    default:
      return OpResponse{RangeResponse{}};
  }
}

}  // namespace

void to_pb(const RangeRequest& in, pb::RangeRequest* out) {
  out->set_key(in.key);
  out->set_range_end(in.range_end);
  out->set_limit(in.limit);
  out->set_revision(in.revision);
  out->set_sort_order(static_cast<pb::RangeRequest::SortOrder>(in.sort_order));
  out->set_sort_target(static_cast<pb::RangeRequest::SortTarget>(in.sort_target));
  out->set_serializable(in.serializable);
  out->set_keys_only(in.keys_only);
  out->set_count_only(in.count_only);
  out->set_min_mod_revision(in.min_mod_revision);
  out->set_max_mod_revision(in.max_mod_revision);
  out->set_min_create_revision(in.min_create_revision);
  out->set_max_create_revision(in.max_create_revision);
}

void to_pb(const PutRequest& in, pb::PutRequest* out) {
  out->set_key(in.key);
  out->set_value(in.value);
  out->set_lease(in.lease);
  out->set_prev_kv(in.prev_kv);
  out->set_ignore_value(in.ignore_value);
  out->set_ignore_lease(in.ignore_lease);
}

void to_pb(const DeleteRequest& in, pb::DeleteRangeRequest* out) {
  out->set_key(in.key);
  out->set_range_end(in.range_end);
  out->set_prev_kv(in.prev_kv);
}

void to_pb(const TxnRequest& in, pb::TxnRequest* out) {
  for (const auto& c : in.compare) compare_to_pb(c, out->add_compare());
  for (const auto& op : in.success) op_to_pb(op, out->add_success());
  for (const auto& op : in.failure) op_to_pb(op, out->add_failure());
}

void to_pb(const WatchCreate& in, pb::WatchCreateRequest* out) {
  const WatchRequest& r = in.req;
  out->set_key(r.key);
  out->set_range_end(r.range_end);
  out->set_start_revision(r.start_revision);
  out->set_progress_notify(r.progress_notify);
  if (r.filter_put) out->add_filters(pb::WatchCreateRequest::NOPUT);
  if (r.filter_delete) out->add_filters(pb::WatchCreateRequest::NODELETE);
  out->set_prev_kv(r.prev_kv);
  out->set_watch_id(in.watch_id);
}

Header from_pb(const pb::ResponseHeader& in) {
  return Header{in.revision(), in.cluster_id(), in.member_id(), in.raft_term()};
}

KeyValue from_pb(const ::mvccpb::KeyValue& in) {
  return KeyValue{in.key(),     in.value(),   in.create_revision(), in.mod_revision(),
                  in.version(), in.lease()};
}

RangeResponse from_pb(pb::RangeResponse&& in) {
  RangeResponse out;
  out.header = from_pb(in.header());
  out.kvs.reserve(in.kvs_size());
  for (auto& kv : *in.mutable_kvs()) out.kvs.push_back(from_pb(kv));
  out.more = in.more();
  out.count = in.count();
  return out;
}

PutResponse from_pb(pb::PutResponse&& in) {
  PutResponse out;
  out.header = from_pb(in.header());
  if (in.has_prev_kv()) out.prev_kv = from_pb(in.prev_kv());
  return out;
}

DeleteResponse from_pb(pb::DeleteRangeResponse&& in) {
  DeleteResponse out;
  out.header = from_pb(in.header());
  out.deleted = in.deleted();
  for (auto& kv : *in.mutable_prev_kvs()) out.prev_kvs.push_back(from_pb(kv));
  return out;
}

TxnResponse from_pb(pb::TxnResponse&& in) {
  TxnResponse out;
  out.header = from_pb(in.header());
  out.succeeded = in.succeeded();
  out.responses.reserve(in.responses_size());
  for (auto& r : *in.mutable_responses()) out.responses.push_back(op_from_pb(std::move(r)));
  return out;
}

RawWatchResponse from_pb(pb::WatchResponse&& in) {
  RawWatchResponse out;
  out.watch_id = in.watch_id();
  out.created = in.created();
  out.canceled = in.canceled();
  out.compact_revision = in.compact_revision();
  out.cancel_reason = in.cancel_reason();
  out.body.header = from_pb(in.header());
  out.body.events.reserve(in.events_size());
  for (auto& e : *in.mutable_events()) {
    Event ev;
    ev.type = e.type() == ::mvccpb::Event::DELETE ? Event::Type::kDelete : Event::Type::kPut;
    ev.kv = from_pb(e.kv());
    if (e.has_prev_kv()) ev.prev_kv = from_pb(e.prev_kv());
    out.body.events.push_back(std::move(ev));
  }
  return out;
}

}  // namespace coord::etcd::detail
