// Backward passes seen through RecordFunction. libtorch records no event for
// backward() or Optimizer::step() themselves, only each operator (scope
// FUNCTION) and each autograd node the engine runs (BACKWARD_FUNCTION), so
// a boundary is inferred: a backward pass ended (BackwardPasses.h), and now
// the thread that ran its forward pass runs an operator with grad mode on.
// The optimizers step under NoGradGuard, so that operator is the first of
// the next iteration.
//
// An active callback makes libtorch record every operator, which costs
// about 1% of a small model's step. So the operator callback is on only
// from the end of a backward pass to the boundary after it (the optimizer
// step, mostly): forward and backward passes run with no operator callback.
#include "AutomaticIterations.h"

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
// backward pass; 0 before the first.
std::atomic<uint64_t> TrainingThread{0};
std::atomic<bool> BackwardSinceBoundary{false};

void onPassStarted(uint64_t ForwardThread) {
  if (ForwardThread)
    TrainingThread.store(ForwardThread, std::memory_order_relaxed);
  // A pass before the boundary (several losses): its operators are not one.
  watchOperators(false);
}

void onPassEnded() {
  BackwardSinceBoundary.store(true, std::memory_order_release);
  watchOperators(true);
}

std::unique_ptr<at::ObserverContext>
onOperatorStart(const at::RecordFunction &Operator) {
  // Cheapest tests first: this runs for every operator of the step.
  if (!BackwardSinceBoundary.load(std::memory_order_relaxed))
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

BackwardPassListener installBackwardPassBoundaries(BoundaryHandler OnBoundary) {
  Handler = OnBoundary;
  OperatorCallback =
      at::addGlobalCallback(at::RecordFunctionCallback(&onOperatorStart)
                                .scopes({at::RecordScope::FUNCTION}));
  at::disableCallback(OperatorCallback); // Until the first pass ends.
  BackwardPassListener Listener;
  Listener.Started = &onPassStarted;
  Listener.Ended = &onPassEnded;
  return Listener;
}

} // namespace torch_tidy::probe
