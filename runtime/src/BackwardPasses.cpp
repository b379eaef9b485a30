// Backward passes from the first autograd node and the engine's final
// callback. With any BACKWARD_FUNCTION callback active, libtorch names each
// node it runs (a demangled type name, a string per node) and records it;
// for a small model that was a third of a percent of a training step. So
// the callback turns itself off at the first node of a pass, queues a final
// callback on the pass (the engine runs it on the pass's own graph task
// after the last node), and is turned on again there.
#include "BackwardPasses.h"

#include <ATen/record_function.h>
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/engine.h>

#include <atomic>
#include <mutex>

namespace torch_tidy::probe {

namespace {

std::vector<BackwardPassListener> *Listeners = nullptr; // Set once.
bool EveryNode = false;
at::CallbackHandle NodeCallback = 0;

// A pass is open from its first node to its end. Transitions take Mutex;
// the flag lets the nodes of an open pass (measured runs) leave at once.
std::mutex Mutex;
std::atomic<bool> PassOpen{false};
uint64_t Generation = 0;        // Of the open or last pass.
uint64_t PassForwardThread = 0; // Of the open pass.

/// Ends the open pass; under Mutex.
void endOpenPass() {
  PassOpen.store(false, std::memory_order_relaxed);
  if (!EveryNode)
    at::reenableCallback(NodeCallback);
  for (const BackwardPassListener &L : *Listeners)
    if (L.Ended)
      L.Ended();
}

void onPassFinished(uint64_t Pass) {
  std::lock_guard<std::mutex> Lock(Mutex);
  // A pass that settleBackwardPasses already ended.
  if (PassOpen.load(std::memory_order_relaxed) && Pass == Generation)
    endOpenPass();
}

std::unique_ptr<at::ObserverContext>
onNodeStart(const at::RecordFunction &Node) {
  if (PassOpen.load(std::memory_order_relaxed))
    return nullptr;
  std::lock_guard<std::mutex> Lock(Mutex);
  if (PassOpen.load(std::memory_order_relaxed))
    return nullptr; // Another thread's node opened it.
  uint64_t Pass = Generation + 1;
  try {
    torch::autograd::Engine::get_default_engine().queue_callback(
        [Pass] { onPassFinished(Pass); });
  } catch (const c10::Error &) {
    return nullptr; // A node called outside the engine: no pass.
  }
  Generation = Pass;
  PassOpen.store(true, std::memory_order_relaxed);
  PassForwardThread = Node.forwardThreadId();
  if (!EveryNode)
    at::disableCallback(NodeCallback);
  for (const BackwardPassListener &L : *Listeners)
    if (L.Started)
      L.Started(PassForwardThread);
  return nullptr;
}

void onNodeEnd(const at::RecordFunction &, at::ObserverContext *) {
  for (const BackwardPassListener &L : *Listeners)
    if (L.NodeEnded)
      L.NodeEnded();
}

} // namespace

void watchBackwardPasses(const std::vector<BackwardPassListener> &Wanted) {
  Listeners = new std::vector<BackwardPassListener>(Wanted); // Until exit.
  for (const BackwardPassListener &L : Wanted)
    EveryNode = EveryNode || L.NodeEnded;
  at::RecordFunctionCallback Callback(&onNodeStart,
                                      EveryNode ? &onNodeEnd : nullptr);
  NodeCallback = at::addGlobalCallback(
      Callback.scopes({at::RecordScope::BACKWARD_FUNCTION}));
}

void settleBackwardPasses(uint64_t Thread) {
  if (!Listeners || !PassOpen.load(std::memory_order_relaxed))
    return;
  std::lock_guard<std::mutex> Lock(Mutex);
  if (PassOpen.load(std::memory_order_relaxed) &&
      (Thread == 0 || Thread == PassForwardThread))
    endOpenPass();
}

} // namespace torch_tidy::probe
