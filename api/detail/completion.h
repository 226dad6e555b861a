// completion.h: a type-erased, move-only completion handler that completes
// on its handler's associated executor.
//
// Boost 1.81's any_completion_handler cannot be posted (its executor type
// lacks blocking.never), so coord erases handlers itself. A Completion keeps
// its executor's work outstanding until it completes, so io_context::run()
// does not return while a coord operation is pending.
// Thread-safety: complete() may be called from any thread, once.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/system_executor.hpp>
#include <memory>
#include <type_traits>

namespace coord::detail {

template <typename... Args>
class Completion {
 public:
  Completion() = default;

  template <typename Handler,
            typename = std::enable_if_t<!std::is_same_v<std::decay_t<Handler>, Completion>>>
  explicit Completion(Handler&& h)
      : impl_(std::make_unique<Impl<std::decay_t<Handler>>>(std::forward<Handler>(h))) {}

  explicit operator bool() const { return impl_ != nullptr; }

  // slot is the handler's cancellation slot (may be unconnected).
  boost::asio::cancellation_slot slot() const { return impl_->slot(); }

  // executor is the handler's associated executor.
  boost::asio::any_io_executor executor() const { return impl_->executor(); }

  // complete posts the handler with args to its executor. The handler's
  // cancellation slot is cleared there, on the executor that emits signals.
  void complete(Args... args) && {
    auto impl = std::move(impl_);
    impl->post(std::move(args)...);
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void post(Args... args) = 0;
    virtual boost::asio::cancellation_slot slot() const = 0;
    virtual boost::asio::any_io_executor executor() const = 0;
  };

  template <typename Handler>
  struct Impl final : Base {
    explicit Impl(Handler h)
        : handler(std::move(h)),
          work(boost::asio::prefer(
              boost::asio::get_associated_executor(handler, boost::asio::system_executor()),
              boost::asio::execution::outstanding_work.tracked)) {}

    // post hands the tracked executor (the work count) to the posted
    // function, so it is released on the handler's executor after the
    // handler ran: nothing that refers to the executor's context is left on
    // the completing thread (gRPC's, say) once the handler can run.
    void post(Args... args) override {
      auto ex = boost::asio::prefer(work, boost::asio::execution::outstanding_work.untracked);
      boost::asio::post(ex, [h = std::move(handler), w = std::move(work),
                             ... a = std::move(args)]() mutable {
        boost::asio::get_associated_cancellation_slot(h).clear();
        std::move(h)(std::move(a)...);
      });
    }
    boost::asio::any_io_executor executor() const override {
      return boost::asio::get_associated_executor(handler, boost::asio::system_executor());
    }
    boost::asio::cancellation_slot slot() const override {
      return boost::asio::get_associated_cancellation_slot(handler);
    }

    Handler handler;
    std::decay_t<decltype(boost::asio::prefer(
        std::declval<boost::asio::associated_executor_t<Handler, boost::asio::system_executor>>(),
        boost::asio::execution::outstanding_work.tracked))>
        work;
  };

  std::unique_ptr<Base> impl_;
};

}  // namespace coord::detail
