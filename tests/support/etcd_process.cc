#include "tests/support/etcd_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace coord::test {
namespace {

namespace fs = std::filesystem;

std::string make_temp_dir() {
  std::string templ = (fs::temp_directory_path() / "coord-etcd-XXXXXX").string();
  if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
  return templ;
}

// spawn runs argv with stdout/stderr appended to log, in its own process
// group, dying with the test process.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  setpgid(pid, pid);
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::unique_ptr<EtcdCluster> EtcdCluster::start(EtcdConfig config) {
  std::unique_ptr<EtcdCluster> c(new EtcdCluster());
  c->config_ = std::move(config);
  c->dir_ = make_temp_dir();
  // A port free_port() found may be taken by another process before etcd
  // binds it (tests run in parallel): then etcd exits, and we try again on
  // other ports.
  constexpr int kAttempts = 3;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    if (c->launch_all()) return c;
  }
  throw std::runtime_error("etcd members did not become healthy; logs in " + c->dir_);
}

bool EtcdCluster::launch_all() {
  for (int i = 0; i < size(); ++i) kill(i);
  members_.clear();
  for (int i = 0; i < config_.members; ++i) {
    const std::string name = "m" + std::to_string(i);
    std::error_code ec;
    fs::remove_all(dir_ + "/" + name + ".etcd", ec);  // a failed attempt's data
    members_.push_back(Member{name, free_port(), free_port()});
  }
  for (int i = 0; i < size(); ++i) launch(i, false);
  for (int i = 0; i < size(); ++i) {
    if (!wait_healthy(i, config_.start_timeout)) return false;
  }
  return true;
}

EtcdCluster::~EtcdCluster() {
  for (int i = 0; i < size(); ++i) kill(i);
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string EtcdCluster::endpoint(int i) const {
  const std::string hostport = "127.0.0.1:" + std::to_string(members_[i].client_port);
  return config_.tls ? "https://" + hostport : hostport;
}

std::vector<std::string> EtcdCluster::endpoints() const {
  std::vector<std::string> out;
  for (int i = 0; i < size(); ++i) out.push_back(endpoint(i));
  return out;
}

etcd::Options EtcdCluster::options() const {
  etcd::Options o;
  o.endpoints = endpoints();
  return o;
}

std::vector<std::string> EtcdCluster::args_for(int i, bool existing) const {
  const Member& m = members_[i];
  const std::string scheme = config_.tls ? "https://" : "http://";
  const std::string client = scheme + "127.0.0.1:" + std::to_string(m.client_port);
  const std::string peer = "http://127.0.0.1:" + std::to_string(m.peer_port);
  std::string initial;
  for (const auto& o : members_) {
    if (!initial.empty()) initial += ",";
    initial += o.name + "=http://127.0.0.1:" + std::to_string(o.peer_port);
  }
  std::vector<std::string> a = {"/usr/bin/etcd",
                                "--name=" + m.name,
                                "--data-dir=" + dir_ + "/" + m.name + ".etcd",
                                "--listen-client-urls=" + client,
                                "--advertise-client-urls=" + client,
                                "--listen-peer-urls=" + peer,
                                "--initial-advertise-peer-urls=" + peer,
                                "--initial-cluster=" + initial,
                                // One token for the whole cluster: members
                                // with different tokens never form one.
                                "--initial-cluster-token=coord-" +
                                    std::to_string(members_[0].peer_port),
                                std::string("--initial-cluster-state=") +
                                    (existing ? "existing" : "new")};
  if (config_.tls) {
    a.push_back("--cert-file=" + config_.tls->cert_file);
    a.push_back("--key-file=" + config_.tls->key_file);
    if (!config_.tls->ca_file.empty()) a.push_back("--trusted-ca-file=" + config_.tls->ca_file);
    if (config_.tls->client_cert_auth) a.push_back("--client-cert-auth");
  }
  for (const auto& x : config_.extra_args) a.push_back(x);
  return a;
}

void EtcdCluster::launch(int i, bool existing) {
  members_[i].pid = spawn(args_for(i, existing), dir_ + "/" + members_[i].name + ".log");
}

void EtcdCluster::kill(int i) {
  Member& m = members_[i];
  if (m.pid <= 0) return;
  ::kill(-m.pid, SIGKILL);
  ::kill(m.pid, SIGKILL);
  wait_exit(m.pid);
  m.pid = -1;
}

void EtcdCluster::restart(int i) {
  kill(i);
  launch(i, true);
  if (!wait_healthy(i, config_.start_timeout)) {
    throw std::runtime_error("restarted etcd member did not become healthy; logs in " + dir_);
  }
}

int EtcdCluster::etcdctl(const std::vector<std::string>& args) const {
  std::string eps;
  for (int i = 0; i < size(); ++i) {
    if (members_[i].pid <= 0) continue;
    if (!eps.empty()) eps += ",";
    eps += endpoint(i);
  }
  std::vector<std::string> argv = {"/usr/bin/etcdctl", "--endpoints=" + eps,
                                   "--dial-timeout=2s", "--command-timeout=5s"};
  if (config_.tls) {
    if (!config_.tls->ca_file.empty()) argv.push_back("--cacert=" + config_.tls->ca_file);
    if (!config_.tls->ctl_cert_file.empty()) {
      argv.push_back("--cert=" + config_.tls->ctl_cert_file);
      argv.push_back("--key=" + config_.tls->ctl_key_file);
    }
  }
  for (const auto& a : args) argv.push_back(a);
  setenv("ETCDCTL_API", "3", 1);
  return wait_exit(spawn(argv, dir_ + "/etcdctl.log"));
}

bool EtcdCluster::wait_healthy(int i, std::chrono::milliseconds timeout) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  std::vector<std::string> argv = {"/usr/bin/etcdctl", "--endpoints=" + endpoint(i),
                                   "--dial-timeout=1s", "--command-timeout=2s"};
  if (config_.tls) {
    if (!config_.tls->ca_file.empty()) argv.push_back("--cacert=" + config_.tls->ca_file);
    if (!config_.tls->ctl_cert_file.empty()) {
      argv.push_back("--cert=" + config_.tls->ctl_cert_file);
      argv.push_back("--key=" + config_.tls->ctl_key_file);
    }
  }
  argv.push_back("endpoint");
  argv.push_back("health");
  setenv("ETCDCTL_API", "3", 1);
  while (std::chrono::steady_clock::now() < give_up) {
    if (members_[i].pid <= 0) return false;
    int status = 0;
    if (waitpid(members_[i].pid, &status, WNOHANG) == members_[i].pid) {
      members_[i].pid = -1;  // reaped: never signal that pid again
      return false;
    }
    if (wait_exit(spawn(argv, dir_ + "/health.log")) == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace coord::test
