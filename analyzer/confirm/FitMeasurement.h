//===--- FitMeasurement.h - One measured run of `fit` -----------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_FITMEASUREMENT_H
#define TORCH_TIDY_ANALYZER_CONFIRM_FITMEASUREMENT_H

#include "RuntimeReport.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

/// The largest peak of one phase over the measured iterations.
struct PhaseMeasure {
  std::string Phase; // "forward", "backward", "optimizer".
  double CpuPeakBytes = 0;
  double CudaAllocatedPeakBytes = 0; // Runs on a GPU only.
  double CudaReservedPeakBytes = 0;
  /// Backward phase of a measured run: each window's largest peak over
  /// the iterations (empty when the iterations ran different graphs).
  std::vector<double> CpuWindowPeaks;
  std::vector<double> CudaWindowPeaks;
  bool WindowsDiffer = false;
};

/// What one run at one batch size measured.
struct BatchMeasurement {
  int64_t BatchSize = 0;
  /// The run ran out of memory (the probe recorded it, or the process was
  /// killed as the kernel's OOM killer does): this batch size does not fit.
  bool OutOfMemory = false;
  std::string OutOfMemoryDetail;
  int Iterations = 0; // Whole iterations measured (sample 0 is start-up).
  double BoundaryCpuBytes = 0;      // Live at the boundary: what persists.
  std::vector<PhaseMeasure> Phases; // In the order the iteration runs them.
  /// A run on a GPU: the first device in use, its live bytes at the
  /// boundary, and the memory in use there outside the caching allocator
  /// (CUDA context, library workspaces: total - free - reserved).
  std::optional<int> CudaDevice;
  double BoundaryCudaBytes = 0;
  double CudaOutsideAllocatorBytes = 0;
  std::vector<std::string> AutocastDevices;

  /// The largest phase peak of CPU tensors, or of the device's reserved
  /// bytes when \p Device.
  double peakBytes(bool Device) const;
};

/// The measurement in \p Report of a run at \p BatchSize, from its marker
/// site with the most samples, else the automatic mode's site. Sets
/// \p Problem and returns nothing when no whole iteration was measured.
std::optional<BatchMeasurement> measureReport(const RuntimeReport &Report,
                                              int64_t BatchSize,
                                              std::string &Problem);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_FITMEASUREMENT_H
