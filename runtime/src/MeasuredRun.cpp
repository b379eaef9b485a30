#include "MeasuredRun.h"

#include <ATen/record_function.h>
#include <c10/core/DispatchKey.h>
#include <c10/core/impl/LocalDispatchKeySet.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace torch_tidy::probe {

namespace {

// Autocast is on for a device when its dispatch key is not excluded on the
// calling thread: that is how libtorch 1.13 and 2.x both answer
// is_enabled(), and it needs no version-specific call.
bool autocastOn(c10::DispatchKey Key) {
  return !c10::impl::tls_is_dispatch_key_excluded(Key);
}

std::atomic<bool> SeenCpu{false};
std::atomic<bool> SeenCuda{false};

std::unique_ptr<at::ObserverContext> onOperator(const at::RecordFunction &) {
  if (!SeenCpu.load(std::memory_order_relaxed) &&
      autocastOn(c10::DispatchKey::AutocastCPU))
    SeenCpu.store(true, std::memory_order_relaxed);
  if (!SeenCuda.load(std::memory_order_relaxed) &&
      autocastOn(c10::DispatchKey::AutocastCUDA))
    SeenCuda.store(true, std::memory_order_relaxed);
  return nullptr;
}

} // namespace

int64_t stopAfterFromEnvironment() {
  const char *Text = std::getenv("TORCH_TIDY_STOP_AFTER");
  if (!Text || !*Text)
    return 0;
  char *End = nullptr;
  long long Value = std::strtoll(Text, &End, 10);
  if (*End != '\0' || Value <= 0) {
    std::fprintf(stderr,
                 "torch-tidy probe: TORCH_TIDY_STOP_AFTER=%s: not a positive "
                 "integer; the run is not stopped\n",
                 Text);
    return 0;
  }
  return Value;
}

void watchAutocast() {
  at::addGlobalCallback(at::RecordFunctionCallback(&onOperator)
                            .scopes({at::RecordScope::FUNCTION}));
}

std::vector<std::string> autocastDevicesSeen() {
  std::vector<std::string> Devices;
  if (SeenCpu.load(std::memory_order_relaxed))
    Devices.push_back("cpu");
  if (SeenCuda.load(std::memory_order_relaxed))
    Devices.push_back("cuda");
  return Devices;
}

void endMeasuredRun() {
  std::fflush(nullptr); // The program's own output, as a normal exit would.
  _exit(0);
}

} // namespace torch_tidy::probe
