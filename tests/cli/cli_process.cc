#include "tests/cli/cli_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

namespace coord::test {

#ifdef COORD_CLI_BINARY
std::string coord_binary() { return COORD_CLI_BINARY; }

CliProcess::CliProcess(const std::vector<std::string>& args) : CliProcess(coord_binary(), args) {}

CliResult run_cli(const std::vector<std::string>& args, const std::string& input,
                  std::chrono::milliseconds timeout) {
  return run_program(coord_binary(), args, input, timeout);
}
#endif

CliProcess::CliProcess(const std::string& binary, const std::vector<std::string>& args) {
  int in[2], out[2], err[2];
  // O_CLOEXEC: a process started later must not inherit this one's pipe
  // ends (it would hold this stdin open, and EOF would never come).
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
    throw std::runtime_error("pipe failed");
  }
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(in[0], 0), dup2(out[1], 1), dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    std::vector<char*> argv;
    std::string bin = binary;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(in[0]), close(out[1]), close(err[1]);
  in_ = in[1], out_fd_ = out[0], err_fd_ = err[0];
  signal(SIGPIPE, SIG_IGN);
}

CliProcess::~CliProcess() {
  if (status_ < 0 && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  for (int fd : {in_, out_fd_, err_fd_}) {
    if (fd >= 0) close(fd);
  }
}

void CliProcess::send(const std::string& line) {
  std::string s = line + "\n";
  if (write(in_, s.data(), s.size()) < 0) throw std::runtime_error("write to coord failed");
}

void CliProcess::close_stdin() {
  if (in_ >= 0) close(in_);
  in_ = -1;
}

void CliProcess::pump(int timeout_ms) {
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  if (poll(fds, 2, timeout_ms) <= 0) return;
  char buf[4096];
  if (fds[0].revents) {
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n > 0) out_.append(buf, static_cast<std::size_t>(n));
    else out_eof_ = true;
  }
  if (fds[1].revents) {
    ssize_t n = read(err_fd_, buf, sizeof buf);
    if (n > 0) err_.append(buf, static_cast<std::size_t>(n));
    else err_eof_ = true;
  }
}

std::optional<std::string> CliProcess::read_line(std::chrono::milliseconds timeout) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto nl = out_.find('\n'); nl != std::string::npos) {
      std::string line = out_.substr(0, nl);
      out_.erase(0, nl + 1);
      return line;
    }
    if (out_eof_ || std::chrono::steady_clock::now() > give_up) return std::nullopt;
    pump(50);
  }
}

int CliProcess::wait(std::chrono::milliseconds timeout) {
  if (status_ >= 0) return status_;
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (true) {
    pump(20);
    int st = 0;
    pid_t r = waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      while (!out_eof_ || !err_eof_) pump(20);
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      return status_;
    }
    if (std::chrono::steady_clock::now() > give_up) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      status_ = -1;
      pid_ = -1;
      return -1;
    }
  }
}

CliResult run_program(const std::string& binary, const std::vector<std::string>& args,
                      const std::string& input, std::chrono::milliseconds timeout) {
  CliProcess p(binary, args);
  if (!input.empty()) {
    std::string s = input;
    std::size_t pos = 0;
    while (pos < s.size()) {
      auto nl = s.find('\n', pos);
      if (nl == std::string::npos) nl = s.size();
      p.send(s.substr(pos, nl - pos));
      pos = nl + 1;
    }
  }
  p.close_stdin();
  CliResult r;
  r.status = p.wait(timeout);
  r.out = p.stdout_rest();
  r.err = p.stderr_text();
  return r;
}

}  // namespace coord::test
