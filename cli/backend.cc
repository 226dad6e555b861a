#include "cli/backend.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "api/deadline.h"
#ifdef COORD_CLI_HAVE_EMBEDDED
#include "backends/embedded/embedded.h"
#endif
#include "cli/failure.h"
#ifdef COORD_CLI_HAVE_ETCD
#include "backends/etcd/etcd_client.h"
#endif

namespace coord::cli {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

void require_readable(const std::string& file, const std::string& flag) {
  std::ifstream in(file);
  if (!in) throw usage_error("bad TLS file for " + flag + ": cannot read '" + file + "'");
  std::string first;
  std::getline(in, first);
  if (first.rfind("-----BEGIN", 0) != 0) {
    throw usage_error("bad TLS file for " + flag + ": '" + file + "' is not PEM");
  }
}

// locked_by_other tells whether another process holds RocksDB's LOCK file.
bool locked_by_other(const std::string& dir) {
  int fd = ::open((dir + "/LOCK").c_str(), O_RDWR);
  if (fd < 0) return false;
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  const bool locked = ::fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
  ::close(fd);
  return locked;
}

}  // namespace

std::string BackendSpec::display() const {
  switch (kind) {
    case Kind::kEmbeddedDisk: return "embedded";
    case Kind::kMemory: return "memory";
    case Kind::kEtcd: return "etcd";
    case Kind::kSim: return "sim";
  }
  return "?";
}

std::vector<FlagSpec> backend_flags() {
  return {
      {"backend", true, "etcd://HOST:PORT[,...] (etcds:// for TLS) | embedded[:PATH] | memory | sim"},
      {"cacert", true, "etcd: CA bundle (PEM) to verify the server"},
      {"cert", true, "etcd: client certificate (PEM)"},
      {"key", true, "etcd: client private key (PEM)"},
      {"server-name", true, "etcd: TLS server name to verify"},
      {"user", true, "etcd: NAME or NAME:PASSWORD (password also from $COORD_PASSWORD)"},
      {"password", true, "etcd: password for --user"},
      {"dial-timeout", true, "seconds to wait for the backend to answer (default 5)"},
  };
}

std::string default_store_path() {
  if (const char* home = std::getenv("COORD_HOME"); home && *home) {
    return std::string(home) + "/store";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.coord/store";
  }
  return ".coord/store";
}

BackendSpec parse_backend_text(const std::string& text) {
  BackendSpec spec;
  if (text == "memory" || text == "embedded:memory") {
    spec.kind = BackendSpec::Kind::kMemory;
  } else if (text == "sim") {
    spec.kind = BackendSpec::Kind::kSim;
  } else if (text == "embedded") {
    spec.path = default_store_path();
  } else if (text.rfind("embedded:", 0) == 0) {
    spec.path = text.substr(9);
    if (spec.path.empty()) throw usage_error("--backend embedded:PATH needs a path");
  } else if (text.rfind("etcd://", 0) == 0 || text.rfind("etcds://", 0) == 0) {
    spec.kind = BackendSpec::Kind::kEtcd;
    spec.tls = text.rfind("etcds://", 0) == 0;
    for (auto& ep : split(text.substr(spec.tls ? 8 : 7), ',')) {
      auto colon = ep.rfind(':');
      if (ep.empty() || colon == std::string::npos || colon == 0 || colon + 1 == ep.size()) {
        throw usage_error("bad etcd endpoint '" + ep + "' in --backend (want HOST:PORT)");
      }
      parse_int(ep.substr(colon + 1), "port of endpoint '" + ep + "'", 1, 65535);
      spec.endpoints.push_back(ep);
    }
  } else {
    throw usage_error("unknown --backend '" + text +
                      "' (want etcd://HOST:PORT, embedded:PATH, memory or sim)");
  }
  return spec;
}

BackendSpec parse_backend(const ParsedArgs& args) {
  std::string text = args.get_or("backend", "");
  if (text.empty()) {
    const char* env = std::getenv("COORD_BACKEND");
    text = env && *env ? env : "embedded";
  }
  BackendSpec spec = parse_backend_text(text);
  spec.dial_timeout_s = args.get_double("dial-timeout", 5);
  const bool etcd = spec.kind == BackendSpec::Kind::kEtcd;
  for (const char* f : {"cacert", "cert", "key", "server-name", "user", "password"}) {
    if (args.has(f) && !etcd) throw usage_error(std::string("--") + f + " needs an etcd backend");
  }
  if (!etcd) return spec;
  spec.ca_file = args.get_or("cacert", "");
  spec.cert_file = args.get_or("cert", "");
  spec.key_file = args.get_or("key", "");
  spec.server_name = args.get_or("server-name", "");
  if (!spec.ca_file.empty()) require_readable(spec.ca_file, "--cacert");
  if (!spec.cert_file.empty()) require_readable(spec.cert_file, "--cert");
  if (!spec.key_file.empty()) require_readable(spec.key_file, "--key");
  if (spec.cert_file.empty() != spec.key_file.empty()) {
    throw usage_error("--cert and --key go together");
  }
  spec.tls = spec.tls || !spec.ca_file.empty() || !spec.cert_file.empty();
  std::string user = args.get_or("user", "");
  if (auto colon = user.find(':'); colon != std::string::npos) {
    spec.password = user.substr(colon + 1);
    user.resize(colon);
  }
  spec.user = user;
  if (args.has("password")) spec.password = *args.get("password");
  if (spec.password.empty() && !user.empty()) {
    if (const char* pw = std::getenv("COORD_PASSWORD")) spec.password = pw;
  }
  return spec;
}

Backend::Backend(BackendSpec spec)
    : spec_(std::move(spec)), runtime_(std::make_shared<blocking::Runtime>(2)) {}

namespace {

#ifdef COORD_CLI_HAVE_EMBEDDED
class EmbeddedBackend final : public Backend {
 public:
  explicit EmbeddedBackend(BackendSpec spec) : Backend(std::move(spec)) {
    embedded::Options opts;
    if (spec_.kind == BackendSpec::Kind::kEmbeddedDisk) {
      opts.mode = embedded::Options::Mode::kDisk;
      opts.path = spec_.path;
      prepare_dir(spec_.path);
    }
    auto store = embedded::Store::open(opts);
    if (!store) throw Failure(open_error(store.error()));
    store_ = *store;
  }
  ~EmbeddedBackend() override {
    if (store_) store_->close();
  }
  std::shared_ptr<Client> client(bool fresh) override {
    if (!fresh && first_) return first_;
    auto c = store_->client();
    if (!first_) first_ = c;
    return c;
  }

 private:
  static void prepare_dir(const std::string& path) {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec) throw Failure("cannot create embedded store '" + path + "': " + ec.message());
    if (::access(path.c_str(), R_OK | W_OK | X_OK) != 0) {
      throw Failure("cannot open embedded store '" + path + "': permission denied");
    }
  }
  std::string open_error(const ErrorCode& ec) const {
    if (spec_.kind == BackendSpec::Kind::kEmbeddedDisk && locked_by_other(spec_.path)) {
      return "embedded store '" + spec_.path +
             "' is in use by another process (the embedded store allows one process per "
             "directory; use --backend etcd://... to coordinate several processes)";
    }
    return "cannot open embedded store '" + spec_.path + "': " + describe(ec);
  }
  std::shared_ptr<embedded::Store> store_;
  std::shared_ptr<Client> first_;
};
#endif

#ifdef COORD_CLI_HAVE_ETCD
class EtcdBackend final : public Backend {
 public:
  explicit EtcdBackend(BackendSpec spec) : Backend(std::move(spec)) {
    first_ = connect_checked();
  }
  std::shared_ptr<Client> client(bool fresh) override {
    return fresh ? connect_checked() : first_;
  }

 private:
  std::shared_ptr<Client> connect_checked() {
    etcd::Options o;
    for (const auto& ep : spec_.endpoints) {
      // etcds:// without a CA file: TLS verified against the system roots.
      o.endpoints.push_back(spec_.tls && spec_.ca_file.empty() ? "https://" + ep : ep);
    }
    o.ca_file = spec_.ca_file;
    o.cert_file = spec_.cert_file;
    o.key_file = spec_.key_file;
    o.server_name_override = spec_.server_name;
    o.user = spec_.user;
    o.password = spec_.password;
    o.dial_timeout = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(spec_.dial_timeout_s));
    const std::string where = join_endpoints();
    auto c = etcd::connect(o);
    if (!c) throw Failure("cannot connect to etcd at " + where + ": " + describe(c.error()));
    std::shared_ptr<Client> client = std::move(*c);
    probe(*client, where);
    return client;
  }
  void probe(Client& c, const std::string& where) {
    auto timeout = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(spec_.dial_timeout_s));
    auto r = runtime_->run(with_timeout(c.clock(), timeout, c.get("coord/probe")));
    if (r || is_errc(r.error(), Errc::kPermissionDenied)) return;
    if (is_errc(r.error(), Errc::kDeadlineExceeded) || is_errc(r.error(), Errc::kUnavailable)) {
      throw Failure("cannot reach etcd at " + where + " (no answer within " +
                    std::to_string(static_cast<int>(spec_.dial_timeout_s)) + " s)");
    }
    throw Failure("etcd at " + where + ": " + describe(r.error()));
  }
  std::string join_endpoints() const {
    std::string s;
    for (const auto& e : spec_.endpoints) s += (s.empty() ? "" : ",") + e;
    return s;
  }
  std::shared_ptr<Client> first_;
};
#endif

}  // namespace

std::unique_ptr<Backend> Backend::open(const BackendSpec& spec) {
  switch (spec.kind) {
    case BackendSpec::Kind::kEtcd:
#ifdef COORD_CLI_HAVE_ETCD
      return std::make_unique<EtcdBackend>(spec);
#else
      throw Failure("this coord was built without the etcd backend");
#endif
    case BackendSpec::Kind::kSim:
      throw usage_error("--backend sim is only for `coord bench` (the simulator has its own command, `coord sim`)");
    default:
#ifdef COORD_CLI_HAVE_EMBEDDED
      return std::make_unique<EmbeddedBackend>(spec);
#else
      throw Failure("this coord was built without the embedded store");
#endif
  }
}

}  // namespace coord::cli
