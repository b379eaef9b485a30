// Backward passes seen through RecordFunction. libtorch records no event for
// backward() or Optimizer::step() themselves, only each operator (scope
// FUNCTION) and each autograd node the engine runs (BACKWARD_FUNCTION), so
// a boundary is inferred: a backward pass happened, and now the thread that
// ran the forward pass runs an operator outside any autograd node, with
// grad mode on. The engine runs nodes with grad mode off (unless
// create_graph) and the optimizers step under NoGradGuard, so that operator
// is the first of the next iteration.
#include "AutomaticIterations.h"

#include <ATen/record_function.h>
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>

#include <atomic>
#include <cstdint>
#include <memory>

namespace torch_tidy::probe {

namespace {

BoundaryHandler Handler = nullptr;

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
  ++NodesRunning;
  if (uint64_t Forward = Node.forwardThreadId())
    TrainingThread.store(Forward, std::memory_order_relaxed);
  BackwardSinceBoundary.store(true, std::memory_order_release);
  return nullptr;
}

void onAutogradNodeEnd(const at::RecordFunction &, at::ObserverContext *) {
  --NodesRunning;
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
  if (BackwardSinceBoundary.exchange(false, std::memory_order_acq_rel))
    Handler();
  return nullptr;
}

} // namespace

void installBackwardPassBoundaries(BoundaryHandler OnBoundary) {
  Handler = OnBoundary;
  at::addGlobalCallback(
      at::RecordFunctionCallback(&onAutogradNodeStart, &onAutogradNodeEnd)
          .scopes({at::RecordScope::BACKWARD_FUNCTION}));
  at::addGlobalCallback(at::RecordFunctionCallback(&onOperatorStart)
                            .scopes({at::RecordScope::FUNCTION}));
}

} // namespace torch_tidy::probe
