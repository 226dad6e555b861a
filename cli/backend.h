// backend.h: backend selection shared by every coord subcommand.
//
//   --backend etcd://HOST:PORT[,HOST:PORT...]   a real etcd (--cacert,
//             --cert, --key for TLS; --user NAME[:PASSWORD] for auth)
//   --backend embedded:PATH                     the embedded store on disk
//   --backend memory                            the embedded store in memory
//   --backend sim                               the simulator (bench only)
// Without --backend, $COORD_BACKEND is used, else the embedded store at
// default_store_path(), so a first run needs no server. Every error here is
// a cli::Failure with one clear line (unreachable endpoint, unreadable TLS
// file, store locked by another process, permission denied).
// Thread-safety: a Backend may hand out clients from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/blocking.h"
#include "api/client.h"
#include "cli/args.h"

namespace coord::cli {

// BackendSpec is a parsed --backend plus its security flags.
struct BackendSpec {
  enum class Kind { kEmbeddedDisk, kMemory, kEtcd, kSim };
  Kind kind = Kind::kEmbeddedDisk;
  std::string path;                    // kEmbeddedDisk: the store directory
  std::vector<std::string> endpoints;  // kEtcd: host:port
  std::string ca_file, cert_file, key_file, server_name;
  std::string user, password;
  bool tls = false;        // etcd over TLS (etcds:// or any TLS flag)
  double dial_timeout_s = 5;

  // display is the backend's name in reports: "etcd", "embedded", "memory",
  // "sim".
  std::string display() const;
};

// backend_flags lists the flags every subcommand accepts for backends.
std::vector<FlagSpec> backend_flags();

// default_store_path is $COORD_HOME/store, else $HOME/.coord/store.
std::string default_store_path();

// parse_backend_text parses a --backend value. Throws a usage Failure.
BackendSpec parse_backend_text(const std::string& text);

// parse_backend reads --backend (or the default) and the TLS/auth flags,
// checking that TLS files are readable. Throws a usage Failure.
BackendSpec parse_backend(const ParsedArgs& args);

// Backend is an opened backend.
class Backend {
 public:
  virtual ~Backend() = default;

  // open opens spec and, for etcd, checks the endpoint answers within the
  // dial timeout. REQUIRES: spec.kind != kSim. Throws Failure.
  static std::unique_ptr<Backend> open(const BackendSpec& spec);

  // client returns a client; fresh = a new connection (etcd) or a new client
  // of the same store (embedded). Throws Failure.
  virtual std::shared_ptr<Client> client(bool fresh = false) = 0;

  const BackendSpec& spec() const { return spec_; }

  // runtime is the process's Asio runtime (threads running io_context).
  blocking::Runtime& runtime() { return *runtime_; }
  std::shared_ptr<blocking::Runtime> runtime_ptr() { return runtime_; }

 protected:
  explicit Backend(BackendSpec spec);
  BackendSpec spec_;
  std::shared_ptr<blocking::Runtime> runtime_;
};

}  // namespace coord::cli
