#include "tests/backends/etcd/tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace coord::test {

struct TcpProxy::Conn {
  int client = -1;
  int server = -1;
  std::atomic<bool> blackhole{false};  // swallow server -> client bytes
  void close_both() {
    shutdown(client, SHUT_RDWR);
    shutdown(server, SHUT_RDWR);
  }
};

namespace {

int listen_loopback(int& port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, 16) != 0) {
    throw std::runtime_error("proxy: listen failed");
  }
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

int connect_loopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

TcpProxy::TcpProxy(int upstream_port) : upstream_port_(upstream_port) {
  listen_fd_ = listen_loopback(port_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TcpProxy::~TcpProxy() {
  stop_ = true;
  shutdown(listen_fd_, SHUT_RDWR);
  close(listen_fd_);
  acceptor_.join();
  {
    std::lock_guard lock(mu_);
    for (auto& c : conns_) c->close_both();
  }
  for (auto& t : threads_) t.join();
  for (auto& c : conns_) {
    close(c->client);
    close(c->server);
  }
}

void TcpProxy::accept_loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    int client = accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    int server = connect_loopback(upstream_port_);
    if (server < 0) {
      close(client);
      continue;
    }
    auto c = std::make_shared<Conn>();
    c->client = client;
    c->server = server;
    std::lock_guard lock(mu_);
    conns_.push_back(c);
    threads_.emplace_back([this, c] { pump(c, true); });
    threads_.emplace_back([this, c] { pump(c, false); });
  }
}

// pump copies client -> server (upstream) or server -> client.
void TcpProxy::pump(std::shared_ptr<Conn> c, bool upstream) {
  const int from = upstream ? c->client : c->server;
  const int to = upstream ? c->server : c->client;
  char buf[16384];
  for (;;) {
    const ssize_t n = read(from, buf, sizeof buf);
    if (n <= 0) break;
    if (!upstream && c->blackhole) continue;
    bool expected = true;
    if (upstream && drop_armed_.compare_exchange_strong(expected, false)) {
      // The request goes through; its answer never comes back.
      c->blackhole = true;
      if (::send(to, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      ++dropped_;
      break;
    }
    if (::send(to, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) break;
  }
  c->close_both();
}

}  // namespace coord::test
