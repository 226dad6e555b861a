#include "cli/hold.h"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <cerrno>
#include <cstring>

#include "cli/failure.h"

extern char** environ;

namespace coord::cli {
namespace {

volatile sig_atomic_t g_signalled = 0;

void on_signal(int) { g_signalled = 1; }

void install_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll() returns EINTR at once
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// stdin_closed drains available input and tells whether it reached EOF.
bool stdin_closed() {
  char buf[256];
  ssize_t n = ::read(0, buf, sizeof buf);
  return n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
}

}  // namespace

StopReason wait_for_stop(const std::atomic<bool>& lost) {
  install_handlers();
  bool input_open = true;
  while (true) {
    if (g_signalled) return StopReason::kSignal;
    if (lost.load()) return StopReason::kLost;
    pollfd p{0, POLLIN, 0};
    int n = ::poll(&p, input_open ? 1 : 0, 100);
    if (n > 0 && (p.revents & (POLLIN | POLLHUP)) && stdin_closed()) return StopReason::kEndOfInput;
    if (n > 0 && (p.revents & POLLNVAL)) input_open = false;
  }
}

int run_child(const std::vector<std::string>& argv,
              const std::map<std::string, std::string>& env) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const auto& e : env_strings) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, cargv[0], nullptr, nullptr, cargv.data(), cenv.data());
  if (rc != 0) throw Failure("cannot run '" + argv[0] + "': " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return kFailureExit;
}

struct Background::State {
  explicit State(boost::asio::strand<boost::asio::any_io_executor> s) : strand(std::move(s)) {}
  boost::asio::strand<boost::asio::any_io_executor> strand;
  boost::asio::cancellation_signal signal;
  std::promise<Result<void>> done;
  std::atomic<bool> fired{false};
};

Background::Background(boost::asio::any_io_executor ex, boost::asio::awaitable<Result<void>> op)
    : state_(std::make_shared<State>(boost::asio::make_strand(ex))) {
  auto st = state_;
  boost::asio::co_spawn(st->strand, std::move(op),
                        boost::asio::bind_cancellation_slot(
                            st->signal.slot(), [st](std::exception_ptr e, Result<void> r) {
                              if (e) r = make_error_code(Errc::kInternal);
                              st->fired = true;
                              st->done.set_value(std::move(r));
                            }));
}

Background::~Background() { (void)stop(); }

const std::atomic<bool>& Background::fired() const { return state_->fired; }

Result<void> Background::stop() {
  if (outcome_) return *outcome_;
  auto st = state_;
  auto future = st->done.get_future();
  boost::asio::post(st->strand, [st] { st->signal.emit(boost::asio::cancellation_type::terminal); });
  outcome_ = future.get();
  return *outcome_;
}

}  // namespace coord::cli
