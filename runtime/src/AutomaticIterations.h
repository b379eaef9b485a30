// The opt-in automatic mode: iteration boundaries without a marker in the
// source, inferred from the operators libtorch runs (RecordFunction).
#ifndef TORCH_TIDY_RUNTIME_AUTOMATICITERATIONS_H
#define TORCH_TIDY_RUNTIME_AUTOMATICITERATIONS_H

#include "BackwardPasses.h"

namespace torch_tidy::probe {

using BoundaryHandler = void (*)();

/// Calls \p OnBoundary once per training iteration: at the first operator
/// that the training thread runs with grad mode on after a backward pass
/// (typically the next zero_grad or forward), when that pass's graph has
/// been freed. Sees nothing in loops without backward() (evaluation,
/// inference). Returns what it needs from backward passes
/// (BackwardPasses.h). Call once, at start-up.
BackwardPassListener installBackwardPassBoundaries(BoundaryHandler OnBoundary);

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_AUTOMATICITERATIONS_H
