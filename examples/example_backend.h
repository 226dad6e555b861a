// example_backend.h: how the examples pick a backend. With no argument an
// example runs on an in-memory embedded store (no server); `--etcd
// HOST:PORT[,HOST:PORT...]` runs it against a real etcd, so several
// processes share one queue or barrier.
#pragma once

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "api/client.h"
#include "backends/embedded/embedded.h"
#include "backends/etcd/etcd_client.h"

namespace examples {

// open_backend returns the client the example runs on, or nullptr after
// printing why it could not connect. argv[i] == "--etcd" takes the next
// argument as a comma-separated endpoint list.
inline std::shared_ptr<coord::Client> open_backend(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) != "--etcd") continue;
    coord::etcd::Options o;
    std::stringstream list(argv[i + 1]);
    for (std::string ep; std::getline(list, ep, ',');) o.endpoints.push_back(ep);
    auto c = coord::etcd::connect(o);
    if (!c) {
      std::fprintf(stderr, "error: etcd %s: %s\n", argv[i + 1], c.error().message().c_str());
      return nullptr;
    }
    return *c;
  }
  return coord::embedded::open_memory();
}

// first_name returns the first argument that is not a flag (or fallback).
inline std::string first_name(int argc, char** argv, std::string fallback) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--etcd") {
      ++i;
      continue;
    }
    return a;
  }
  return fallback;
}

}  // namespace examples
