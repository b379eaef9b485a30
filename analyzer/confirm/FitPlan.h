//===--- FitPlan.h - The largest batch size that fits -----------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_FITPLAN_H
#define TORCH_TIDY_ANALYZER_CONFIRM_FITPLAN_H

#include "FitMath.h"
#include "FitMeasurement.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace torch_tidy {

enum class FitTarget { Cuda, Cpu };

struct FitOptions {
  int64_t MemoryBytes = 0;
  /// Share of the memory kept free: long runs fragment the caching
  /// allocator, batches vary (sequence lengths), and the fit has an error.
  double SafetyMargin = 0.10;
  FitTarget Target = FitTarget::Cuda;
  std::optional<int64_t> TargetBatch;
  std::optional<int64_t> PredictAt; // --predict: the peaks at this size.
};

/// What the device adds to the tensors a CPU run measures (docs/usage.md):
/// fixed bytes, and a share of the peak for the caching allocator's
/// rounding. Measured when the runs were on a GPU.
struct DeviceOverhead {
  std::string Source;        // "model", "measured" or "none".
  double ContextBytes = 0;   // CUDA context and loaded kernels.
  double WorkspaceBytes = 0; // cuBLAS/cuBLASLt/cuDNN workspaces.
  double RoundingShare = 0;  // Of the tensor peak: blocks and segments.

  double fixedBytes() const { return ContextBytes + WorkspaceBytes; }
  double at(double PeakBytes) const {
    return fixedBytes() + RoundingShare * PeakBytes;
  }
};

/// The model's numbers (documented in docs/usage.md).
inline constexpr double ModelContextBytes = 512.0 * 1024 * 1024;
inline constexpr double ModelWorkspaceBytes = 64.0 * 1024 * 1024;
inline constexpr double ModelRoundingShare = 0.10;

struct PhaseFit {
  std::string Phase;
  LineFit Fit; // Through the phase's peaks.
  /// The backward phase of measured runs: one line per window between
  /// autograd node ends. The phase's peak is the highest of them, so the
  /// prediction follows the peak when it moves to another node at larger
  /// batch sizes, which one line through the peaks cannot.
  std::vector<LineFit> Windows;

  /// Linear: every window's line fits, else the phase's line does.
  bool linear() const;
  double largestResidual() const;
  double extrapolate(double BatchSize) const;
};

/// Activations and what autocast would do to them.
struct MixedPrecision {
  bool Measured = false; // The program ran under autocast itself.
  std::vector<std::string> AutocastDevices;
  int64_t AtBatchSize = 0;
  double ActivationBytes = 0; // Forward peak above the boundary's bytes.
  double ActivationShare = 0; // Of the peak at AtBatchSize.
  double EstimatedSavingBytes = 0;
  /// The largest batch size with 16-bit activations (nullopt: unbounded).
  std::optional<int64_t> EstimatedLargestBatchSize;
};

/// The fitted peaks at one batch size (tensors, no device overhead).
struct PeakPrediction {
  int64_t BatchSize = 0;
  std::vector<std::pair<std::string, double>> Phases;
  double PeakBytes = 0;
};

struct FitAnswer {
  FitOptions Options;
  std::vector<BatchMeasurement> Runs; // Ascending; out-of-memory runs too.
  bool OnDevice = false; // Fitted on CUDA reserved bytes, not CPU tensors.
  LineFit Boundary;
  std::vector<PhaseFit> Phases;
  DeviceOverhead Overhead;
  double MarginBytes = 0;
  double UsableBytes = 0; // Memory less margin and fixed overhead.
  /// nullopt: no batch size is too large (the peak does not grow).
  std::optional<int64_t> LargestBatchSize;
  std::string LimitingPhase;
  std::optional<int64_t> SmallestOutOfMemory; // Bounds the answer too.
  double PredictedPeakBytes = 0;              // Tensors at LargestBatchSize.
  std::optional<Accumulation> ForTargetBatch;
  MixedPrecision Mixed;
  std::optional<PeakPrediction> Prediction;
  std::vector<std::string> Warnings;
};

/// Fits every phase of the completed runs (at least two) and answers.
FitAnswer planFit(const std::vector<BatchMeasurement> &Runs,
                  const FitOptions &Options);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_FITPLAN_H
