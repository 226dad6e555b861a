// A program outside coord's tree: links the installed coord::embedded and
// uses the blocking facade.
#include <cstdio>

#include "api/blocking.h"
#include "backends/embedded/embedded.h"
#include "recipes/blocking/queue.h"

int main() {
  coord::blocking::Client client(coord::embedded::open_memory());
  auto put = client.put("k", "v1");
  if (!put) return 1;
  auto got = client.get("k");
  if (!got || !got.value()) return 2;
  coord::blocking::Queue q(client, "jobs");
  if (!q.enqueue("job-1")) return 3;
  auto job = q.dequeue();
  if (!job) return 4;
  std::printf("consumer: put %s, got %s at revision %lld, dequeued %s\n", "v1",
              (*got)->value.c_str(), static_cast<long long>((*got)->mod_revision), job->c_str());
  return 0;
}
