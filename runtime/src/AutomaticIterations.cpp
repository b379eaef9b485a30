// Backward passes seen through RecordFunction. libtorch records no event for
// backward() or Optimizer::step() themselves, only each operator (scope
// FUNCTION) and each autograd node the engine runs (BACKWARD_FUNCTION), so
// a boundary is inferred: a backward pass happened, and now the thread that
// ran the forward pass runs an operator outside any autograd node, with
// grad mode on. The engine runs nodes with grad mode off (unless
// create_graph) and the optimizers step under NoGradGuard, so that operator
// is the first of the next iteration.
//
// An active callback makes libtorch record every operator, which costs
// about 1% of a small model's step. So the operator callback is on only
// from the first autograd node of a backward pass to the boundary after
// it: the forward pass runs with no operator callback at all.
#include "AutomaticIterations.h"
#include "PhasePeaks.h"

#include <ATen/record_function.h>
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

namespace torch_tidy::probe {

namespace {

BoundaryHandler Handler = nullptr;

at::CallbackHandle OperatorCallback = 0;
std::mutex OperatorCallbackMutex;
std::atomic<bool> WatchingOperators{false};

void watchOperators(bool On) {
  std::lock_guard<std::mutex> Lock(OperatorCallbackMutex);
  if (WatchingOperators.load(std::memory_order_relaxed) == On)
    return;
  if (On)
    at::reenableCallback(OperatorCallback);
  else
    at::disableCallback(OperatorCallback);
  WatchingOperators.store(On, std::memory_order_relaxed);
}

// RecordFunction's id of the thread that ran the forward pass of the last
// backward node seen; 0 before the first.
std::atomic<uint64_t> TrainingThread{0};
std::atomic<bool> BackwardSinceBoundary{false};

// Autograd nodes running on this thread: operators inside them (and the
// engine's gradient accumulation between them, which runs with grad mode
// off) are part of the backward pass.
thread_local int NodesRunning = 0;

std::unique_ptr<at::ObserverContext>
onAutogradNodeStart(const at::RecordFunction &Node) {
  phaseNodeStarted(); // The phases share this callback (PhasePeaks.h).
  ++NodesRunning;
  if (uint64_t Forward = Node.forwardThreadId())
    TrainingThread.store(Forward, std::memory_order_relaxed);
  BackwardSinceBoundary.store(true, std::memory_order_release);
  if (!WatchingOperators.load(std::memory_order_relaxed))
    watchOperators(true);
  return nullptr;
}

void onAutogradNodeEnd(const at::RecordFunction &, at::ObserverContext *) {
  --NodesRunning;
  phaseNodeEnded();
}

std::unique_ptr<at::ObserverContext>
onOperatorStart(const at::RecordFunction &Operator) {
  // Cheapest tests first: this runs for every operator of the program.
  if (NodesRunning > 0 ||
      !BackwardSinceBoundary.load(std::memory_order_relaxed))
    return nullptr;
  if (!c10::GradMode::is_enabled() || c10::InferenceMode::is_enabled())
    return nullptr;
  if (Operator.threadId() != TrainingThread.load(std::memory_order_relaxed))
    return nullptr;
  if (BackwardSinceBoundary.exchange(false, std::memory_order_acq_rel)) {
    watchOperators(false);
    Handler();
  }
  return nullptr;
}

} // namespace

void installBackwardPassBoundaries(BoundaryHandler OnBoundary) {
  Handler = OnBoundary;
  at::addGlobalCallback(
      at::RecordFunctionCallback(&onAutogradNodeStart, &onAutogradNodeEnd)
          .scopes({at::RecordScope::BACKWARD_FUNCTION}));
  OperatorCallback =
      at::addGlobalCallback(at::RecordFunctionCallback(&onOperatorStart)
                                .scopes({at::RecordScope::FUNCTION}));
  at::disableCallback(OperatorCallback); // Until the first backward pass.
}

} // namespace torch_tidy::probe
