// cli_process.h: runs the coord binary from tests, through pipes.
//
// CliProcess starts `coord ARGS...` (or another program) with stdin, stdout and stderr on pipes,
// so a test can type commands one per line and read result lines with a
// timeout, as a user in a terminal would; run_cli runs a command to the end.
// Thread-safety: none; one test thread drives a process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace coord::test {

// coord_binary is the path of the coord executable under test.
std::string coord_binary();

class CliProcess {
 public:
  // CliProcess starts coord with args. Throws std::runtime_error if it can
  // not start.
  explicit CliProcess(const std::vector<std::string>& args);
  // CliProcess starts any program (an example, say) with args.
  CliProcess(const std::string& binary, const std::vector<std::string>& args);
  // The destructor kills the process if it still runs.
  ~CliProcess();
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  // send writes line + "\n" to the process's stdin.
  void send(const std::string& line);
  // close_stdin signals end of input.
  void close_stdin();
  // read_line returns the next stdout line, or nullopt after timeout / EOF.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // wait waits for exit and returns the exit status (-1 on timeout, then
  // the process is killed). stderr_text holds what it wrote on stderr.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  const std::string& stderr_text() const { return err_; }
  // stdout_rest is whatever stdout held after the lines read (after wait).
  const std::string& stdout_rest() const { return out_; }
  pid_t pid() const { return pid_; }

 private:
  void pump(int timeout_ms);
  pid_t pid_ = -1;
  int in_ = -1, out_fd_ = -1, err_fd_ = -1;
  std::string out_, err_;
  bool out_eof_ = false, err_eof_ = false;
  int status_ = -1;
};

// CliResult is the outcome of run_cli.
struct CliResult {
  int status = -1;
  std::string out;
  std::string err;
};

// run_cli runs coord with args, feeding input on stdin, and waits.
CliResult run_cli(const std::vector<std::string>& args, const std::string& input = "",
                  std::chrono::milliseconds timeout = std::chrono::seconds(120));

// run_program is run_cli for any program.
CliResult run_program(const std::string& binary, const std::vector<std::string>& args,
                      const std::string& input = "",
                      std::chrono::milliseconds timeout = std::chrono::seconds(120));

}  // namespace coord::test
