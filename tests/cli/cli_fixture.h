// cli_fixture.h: what the CLI tests share: the fixture etcd (one per test
// binary, started on first use on free loopback ports) and the --backend
// words for each backend.
#pragma once

#include <string>
#include <vector>

namespace coord::test {

// etcd_backend returns "etcd://127.0.0.1:PORT" of the shared fixture etcd
// (started on first use), or "" when etcd is not built.
std::string etcd_backend();

// temp_dir returns a fresh empty directory under the test's temp dir.
std::string temp_dir(const std::string& name);

// with_backend returns args + {"--backend", backend}.
std::vector<std::string> with_backend(std::vector<std::string> args, const std::string& backend);

}  // namespace coord::test
