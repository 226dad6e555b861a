// etcd_process.h: the etcd test fixture: real etcd servers on free loopback
// ports with temporary data directories.
//
// EtcdCluster starts Debian's /usr/bin/etcd as one member or several,
// waits until the cluster is healthy, can kill -9 and restart a member, and
// stops every member (killing its process group) and removes its directory
// when destroyed. Members die with the test process (PR_SET_PDEATHSIG).
//
//   auto etcd = coord::test::EtcdCluster::start({});    // one member
//   coord::etcd::Options o;
//   o.endpoints = etcd->endpoints();
//
// Failures to start throw std::runtime_error (test code).
// Thread-safety: none; drive it from the test's thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backends/etcd/etcd_client.h"

namespace coord::test {

// EtcdTls names PEM files for the server side of TLS.
struct EtcdTls {
  std::string ca_file;    // trusted CA for client certificates
  std::string cert_file;  // server certificate
  std::string key_file;   // server key
  bool client_cert_auth = false;  // require a client certificate
  // ctl_cert_file / ctl_key_file: a client certificate the fixture's own
  // etcdctl uses (needed with client_cert_auth).
  std::string ctl_cert_file;
  std::string ctl_key_file;
};

struct EtcdConfig {
  // members: 1 or 3 (any positive number works).
  int members = 1;
  // tls: serve clients over https. Default: plaintext.
  std::optional<EtcdTls> tls;
  // extra_args are appended to every member's command line.
  std::vector<std::string> extra_args;
  // start_timeout bounds start() and restart(). Default: 20 s.
  std::chrono::milliseconds start_timeout{20000};
};

class EtcdCluster {
 public:
  // start launches the members and waits until the cluster is healthy.
  static std::unique_ptr<EtcdCluster> start(EtcdConfig config);

  // The destructor kills every member and removes the data directory.
  ~EtcdCluster();
  EtcdCluster(const EtcdCluster&) = delete;
  EtcdCluster& operator=(const EtcdCluster&) = delete;

  // endpoints lists the client URLs ("127.0.0.1:port" or "https://...").
  std::vector<std::string> endpoints() const;
  // endpoint is member i's client URL.
  std::string endpoint(int i) const;
  // client_port is member i's client port.
  int client_port(int i) const { return members_[i].client_port; }
  // size counts the members.
  int size() const { return static_cast<int>(members_.size()); }
  // dir is the temporary directory (data, logs; tests may add files).
  const std::string& dir() const { return dir_; }

  // options returns client options for every member (TLS files not set).
  etcd::Options options() const;

  // kill sends SIGKILL to member i's process group and reaps it.
  void kill(int i);
  // restart starts member i again on its data directory and ports and
  // waits until it answers.
  void restart(int i);
  // running tells whether member i was started and not killed.
  bool running(int i) const { return members_[i].pid > 0; }

  // etcdctl runs etcdctl (v3 API) against every running member with
  // `args`, returning its exit status; output goes to the log directory.
  int etcdctl(const std::vector<std::string>& args) const;

 private:
  struct Member {
    std::string name;
    int client_port = 0;
    int peer_port = 0;
    pid_t pid = -1;
  };
  EtcdCluster() = default;
  std::vector<std::string> args_for(int i, bool existing) const;
  void launch(int i, bool existing);
  // wait_healthy polls member i until it answers; false on timeout, or at
  // once when the process exited (e.g. its port was taken meanwhile).
  bool wait_healthy(int i, std::chrono::milliseconds timeout);
  // launch_all starts every member on fresh ports; true once all are healthy.
  bool launch_all();

  EtcdConfig config_;
  std::string dir_;
  std::vector<Member> members_;
};

// free_port returns a loopback TCP port that was free a moment ago.
int free_port();

}  // namespace coord::test
