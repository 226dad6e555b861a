// tcp_proxy.h: a loopback TCP proxy for fault injection in etcd tests.
//
// TcpProxy forwards every connection accepted on a free loopback port to an
// upstream port, one thread per direction. After drop_next_response(), the
// next bytes a client sends are forwarded upstream, but nothing more comes
// back: the proxy swallows the server's answer and, after a short pause
// (letting the server apply the request), closes both sides. The client
// has then sent a request and lost its response.
// Thread-safety: the public members are thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace coord::test {

class TcpProxy {
 public:
  // TcpProxy starts listening; upstream_port is the server's port.
  explicit TcpProxy(int upstream_port);
  // The destructor closes every connection and joins the threads.
  ~TcpProxy();

  // port is where clients connect.
  int port() const { return port_; }

  // drop_next_response arms the fault described above (once).
  void drop_next_response() { drop_armed_ = true; }

  // dropped counts responses swallowed so far.
  int dropped() const { return dropped_; }

 private:
  struct Conn;
  void accept_loop();
  void pump(std::shared_ptr<Conn> c, bool upstream);

  int upstream_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> drop_armed_{false};
  std::atomic<int> dropped_{0};
  std::mutex mu_;
  std::vector<std::shared_ptr<Conn>> conns_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace coord::test
