// The start and end of each backward pass, for the phase peaks and the
// automatic mode, from one RecordFunction callback on autograd nodes.
#ifndef TORCH_TIDY_RUNTIME_BACKWARDPASSES_H
#define TORCH_TIDY_RUNTIME_BACKWARDPASSES_H

#include <cstdint>
#include <vector>

namespace torch_tidy::probe {

/// What one feature wants to hear about backward passes. Each function
/// may be null, and may run on any thread.
struct BackwardPassListener {
  /// The first autograd node of a pass starts; \p ForwardThread is
  /// RecordFunction's id of the thread that ran its forward pass.
  void (*Started)(uint64_t ForwardThread) = nullptr;
  /// Each autograd node ends. Asking for this keeps the node callback on
  /// for every node, which costs libtorch a node name per node: only
  /// measured runs do.
  void (*NodeEnded)() = nullptr;
  /// The pass has run all its nodes (the engine's final callback), or
  /// ended some other way that settleBackwardPasses found.
  void (*Ended)() = nullptr;
};

/// Installs the node callback that drives \p Listeners. Without a
/// listener of node ends, the callback turns itself off at the first node
/// of a pass and on again when the pass ends, so that libtorch neither
/// names nor records the other nodes. Call once.
void watchBackwardPasses(const std::vector<BackwardPassListener> &Listeners);

/// At a boundary on \p Thread (RecordFunction's thread id), or after an
/// allocation failure (\p Thread 0: any): a pass that \p Thread's forward
/// pass started and whose end was not seen has thrown (backward() returns
/// only after the final callback). Ends it for the listeners and watches
/// for the next pass.
void settleBackwardPasses(uint64_t Thread);

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_BACKWARDPASSES_H
