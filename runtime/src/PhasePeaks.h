// The peak memory of each phase of an iteration: forward (from the
// boundary to the first autograd node), backward (to the end of the last
// node), and optimizer step (from there to the next boundary). The phases
// come from the autograd nodes that libtorch reports through
// RecordFunction, so they work with markers and with the automatic mode.
#ifndef TORCH_TIDY_RUNTIME_PHASEPEAKS_H
#define TORCH_TIDY_RUNTIME_PHASEPEAKS_H

#include "BackwardPasses.h"
#include "ProbeState.h"

#include <vector>

namespace torch_tidy::probe {

class CountingCpuAllocator;

/// Starts following the phases; their CPU peaks come from \p Allocator's
/// peak window, which each phase change reads and restarts. Returns what
/// the phases need from backward passes (BackwardPasses.h): node ends only
/// when keepBackwardWindows was called first. Call once.
BackwardPassListener installPhaseTracking(CountingCpuAllocator &Allocator);

/// Keeps the peak of each window between autograd node ends of the
/// backward phase (for `torch-tidy fit`; at most MaxBackwardWindows). Call
/// before installPhaseTracking.
void keepBackwardWindows();
inline constexpr size_t MaxBackwardWindows = 100000;

/// Ends the iteration at a boundary: the peaks of the phases it went
/// through, in order (only forward when it ran no backward pass), and
/// starts the next one in the forward phase.
IterationPhases closeIterationPhases();

/// The report's name of phase \p Index of an IterationPhases.
const char *phaseName(int Index);

/// The CUDA devices whose peaks the phases read (those the last boundary
/// found in use: querying others could create a context or throw).
void setPhaseCudaDevices(const std::vector<CudaDeviceSample> &InUse);

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_PHASEPEAKS_H
