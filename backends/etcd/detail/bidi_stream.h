// bidi_stream.h: a bidirectional gRPC stream on the callback API.
//
// BidiStream keeps one read pending at all times and queues writes (gRPC
// allows one write in flight). Every message read and the final status go
// to callbacks that run on gRPC's threads; they must not block. The stream
// keeps itself alive until gRPC reports it done.
// Thread-safety: write() and cancel() are thread-safe.
#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/client_callback.h>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace coord::etcd::detail {

template <typename Req, typename Resp>
class BidiStream final : public grpc::ClientBidiReactor<Req, Resp> {
 public:
  using ReadFn = std::function<void(Resp&&)>;
  using DoneFn = std::function<void(const grpc::Status&)>;

  // start opens the stream: prepare fills the context, begin(ctx, reactor)
  // calls the stub's async method.
  template <typename Prepare, typename Begin>
  static std::shared_ptr<BidiStream> start(Prepare prepare, Begin begin, ReadFn on_read,
                                           DoneFn on_done) {
    std::shared_ptr<BidiStream> s(new BidiStream(std::move(on_read), std::move(on_done)));
    prepare(s->ctx_);
    s->self_ = s;
    begin(&s->ctx_, s.get());
    s->StartRead(&s->read_);
    s->StartCall();
    return s;
  }

  // write queues msg; dropped once the stream is done.
  void write(Req msg) {
    {
      std::lock_guard lock(mu_);
      if (done_) return;
      queue_.push_back(std::move(msg));
      if (writing_) return;
      writing_ = true;
      current_ = std::move(queue_.front());
      queue_.pop_front();
    }
    this->StartWrite(&current_);
  }

  // cancel ends the stream; on_done follows with CANCELLED.
  void cancel() { ctx_.TryCancel(); }

  // finished tells whether on_done has run.
  bool finished() const {
    std::lock_guard lock(mu_);
    return done_;
  }

 private:
  BidiStream(ReadFn on_read, DoneFn on_done)
      : on_read_(std::move(on_read)), on_done_(std::move(on_done)) {}

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream is ending; OnDone follows
    on_read_(std::move(read_));
    read_ = Resp();
    this->StartRead(&read_);
  }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard lock(mu_);
      if (!ok || queue_.empty()) {
        writing_ = false;
        return;
      }
      current_ = std::move(queue_.front());
      queue_.pop_front();
    }
    this->StartWrite(&current_);
  }

  void OnDone(const grpc::Status& s) override {
    auto keep = std::move(self_);  // released when this function returns
    {
      std::lock_guard lock(mu_);
      done_ = true;
      queue_.clear();
    }
    on_done_(s);
    on_read_ = nullptr;
    on_done_ = nullptr;
  }

  grpc::ClientContext ctx_;
  ReadFn on_read_;
  DoneFn on_done_;
  Resp read_;
  Req current_;
  mutable std::mutex mu_;
  std::deque<Req> queue_;
  bool writing_ = false;
  bool done_ = false;
  std::shared_ptr<BidiStream> self_;
};

}  // namespace coord::etcd::detail
