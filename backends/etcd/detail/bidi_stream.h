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

#include <chrono>
#include <condition_variable>
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

  // wait_finished waits up to `limit` until gRPC reported the stream done
  // and the stream let go of its own reference. Returns false on timeout.
  // REQUIRES: not called on a gRPC callback thread.
  bool wait_finished(std::chrono::milliseconds limit) const { return latch_->wait(limit); }

 private:
  // Latch outlives the stream: OnDone opens it after the stream let go.
  struct Latch {
    std::mutex mu;
    std::condition_variable cv;
    bool open = false;
    void set() {
      std::lock_guard lock(mu);
      open = true;
      cv.notify_all();
    }
    bool wait(std::chrono::milliseconds limit) {
      std::unique_lock lock(mu);
      return cv.wait_for(lock, limit, [this] { return open; });
    }
  };

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
    auto latch = latch_;
    {
      auto keep = std::move(self_);  // may be the last reference
      {
        std::lock_guard lock(mu_);
        done_ = true;
        queue_.clear();
      }
      on_done_(s);
      on_read_ = nullptr;
      on_done_ = nullptr;
    }
    latch->set();
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
  std::shared_ptr<Latch> latch_ = std::make_shared<Latch>();
};

}  // namespace coord::etcd::detail
