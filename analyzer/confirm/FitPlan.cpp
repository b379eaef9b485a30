//===--- FitPlan.cpp - The largest batch size that fits -------------------===//

#include "FitPlan.h"
#include "ConfirmOutput.h"

#include <algorithm>
#include <cmath>

namespace torch_tidy {

namespace {

DeviceOverhead overheadFor(const FitAnswer &A) {
  DeviceOverhead O;
  if (A.Options.Target == FitTarget::Cpu) {
    O.Source = "none";
    return O;
  }
  if (A.OnDevice) {
    // Reserved bytes already hold the allocator's rounding; the rest of
    // the device's used memory is context and workspaces.
    O.Source = "measured";
    for (const BatchMeasurement &M : A.Runs)
      if (!M.OutOfMemory)
        O.ContextBytes = std::max(O.ContextBytes, M.CudaOutsideAllocatorBytes);
    return O;
  }
  O.Source = "model";
  O.ContextBytes = ModelContextBytes;
  O.WorkspaceBytes = ModelWorkspaceBytes;
  O.RoundingShare = ModelRoundingShare;
  return O;
}

double phasePeak(const PhaseMeasure &P, bool OnDevice) {
  return OnDevice ? P.CudaReservedPeakBytes : P.CpuPeakBytes;
}

/// The smallest bound over the phases (and each phase's windows), and the
/// phase that sets it.
std::optional<int64_t> largestOverPhases(const std::vector<PhaseFit> &Phases,
                                         double Budget, double Scale,
                                         double SlopeFactor,
                                         std::string &Limiting) {
  std::optional<int64_t> Largest;
  auto Consider = [&](LineFit Fit, const std::string &Phase) {
    Fit.ExtrapolationSlope *= SlopeFactor;
    std::optional<int64_t> Bound = largestWithin(Fit, Budget, Scale);
    if (Bound && (!Largest || *Bound < *Largest)) {
      Largest = Bound;
      Limiting = Phase;
    }
  };
  for (const PhaseFit &P : Phases) {
    Consider(P.Fit, P.Phase);
    for (const LineFit &Window : P.Windows)
      Consider(Window, P.Phase);
  }
  return Largest;
}

/// The windows of \p Phase in every completed run, when all runs have the
/// same number of them.
std::vector<LineFit>
fitWindows(const std::vector<const BatchMeasurement *> &Completed,
           const std::string &Phase, bool OnDevice,
           const std::vector<double> &Sizes) {
  std::vector<const std::vector<double> *> PerRun;
  for (const BatchMeasurement *M : Completed)
    for (const PhaseMeasure &P : M->Phases)
      if (P.Phase == Phase)
        PerRun.push_back(OnDevice ? &P.CudaWindowPeaks : &P.CpuWindowPeaks);
  if (PerRun.size() != Completed.size() || PerRun.front()->empty())
    return {};
  for (const std::vector<double> *Windows : PerRun)
    if (Windows->size() != PerRun.front()->size())
      return {};
  std::vector<LineFit> Fits;
  for (size_t W = 0; W < PerRun.front()->size(); ++W) {
    std::vector<double> Peaks;
    for (const std::vector<double> *Windows : PerRun)
      Peaks.push_back((*Windows)[W]);
    Fits.push_back(fitLine(Sizes, Peaks));
  }
  return Fits;
}

double peakAt(const std::vector<PhaseFit> &Phases, double BatchSize,
              std::string *Limiting = nullptr) {
  double Peak = -HUGE_VAL;
  for (const PhaseFit &P : Phases) {
    double Bytes = P.extrapolate(BatchSize);
    if (Bytes > Peak) {
      Peak = Bytes;
      if (Limiting)
        *Limiting = P.Phase;
    }
  }
  return std::max(Peak, 0.0);
}

void estimateMixedPrecision(FitAnswer &A, double Budget, double Scale) {
  MixedPrecision &Mixed = A.Mixed;
  for (const BatchMeasurement &M : A.Runs)
    for (const std::string &Device : M.AutocastDevices)
      if (std::find(Mixed.AutocastDevices.begin(), Mixed.AutocastDevices.end(),
                    Device) == Mixed.AutocastDevices.end())
        Mixed.AutocastDevices.push_back(Device);
  Mixed.Measured = !Mixed.AutocastDevices.empty();
  const PhaseFit *Forward = nullptr;
  for (const PhaseFit &P : A.Phases)
    if (P.Phase == "forward" || P.Phase == "iteration")
      Forward = &P;
  if (!Forward)
    return;
  int64_t At = A.LargestBatchSize.value_or(A.Runs.back().BatchSize);
  if (At <= 0)
    At = A.Runs.front().BatchSize;
  Mixed.AtBatchSize = At;
  Mixed.ActivationBytes =
      std::max(0.0, Forward->Fit.extrapolate(At) - A.Boundary.extrapolate(At));
  double Peak = peakAt(A.Phases, At);
  Mixed.ActivationShare = Peak > 0 ? Mixed.ActivationBytes / Peak : 0;
  if (Mixed.Measured)
    return;
  // 16-bit activations take half the bytes; what grows with the batch
  // size is activations and their gradients, so the slopes halve.
  Mixed.EstimatedSavingBytes = Mixed.ActivationBytes / 2;
  std::string Ignored;
  Mixed.EstimatedLargestBatchSize =
      largestOverPhases(A.Phases, Budget, Scale, 0.5, Ignored);
}

} // namespace

bool PhaseFit::linear() const {
  if (Windows.empty())
    return Fit.Linear;
  return std::all_of(Windows.begin(), Windows.end(),
                     [](const LineFit &W) { return W.Linear; });
}

double PhaseFit::largestResidual() const {
  if (Windows.empty())
    return Fit.MaxAbsResidual;
  double Largest = 0;
  for (const LineFit &W : Windows)
    Largest = std::max(Largest, W.MaxAbsResidual);
  return Largest;
}

double PhaseFit::extrapolate(double BatchSize) const {
  double Bytes = Fit.extrapolate(BatchSize);
  for (const LineFit &W : Windows)
    Bytes = std::max(Bytes, W.extrapolate(BatchSize));
  return Bytes;
}

FitAnswer planFit(const std::vector<BatchMeasurement> &Runs,
                  const FitOptions &Options) {
  FitAnswer A;
  A.Options = Options;
  A.Runs = Runs;
  std::sort(A.Runs.begin(), A.Runs.end(),
            [](const BatchMeasurement &X, const BatchMeasurement &Y) {
              return X.BatchSize < Y.BatchSize;
            });
  std::vector<const BatchMeasurement *> Completed;
  for (const BatchMeasurement &M : A.Runs) {
    if (M.OutOfMemory) {
      if (!A.SmallestOutOfMemory)
        A.SmallestOutOfMemory = M.BatchSize;
      continue;
    }
    Completed.push_back(&M);
  }
  if (Completed.size() < 2)
    return A;
  A.OnDevice = Options.Target == FitTarget::Cuda &&
               std::all_of(Completed.begin(), Completed.end(),
                           [](const BatchMeasurement *M) {
                             return M->CudaDevice.has_value();
                           });

  std::vector<double> Sizes, Boundary;
  for (const BatchMeasurement *M : Completed) {
    Sizes.push_back(static_cast<double>(M->BatchSize));
    Boundary.push_back(A.OnDevice ? M->BoundaryCudaBytes : M->BoundaryCpuBytes);
  }
  A.Boundary = fitLine(Sizes, Boundary);
  // Each phase that every completed run went through.
  for (const PhaseMeasure &First : Completed.front()->Phases) {
    std::vector<double> Peaks;
    for (const BatchMeasurement *M : Completed) {
      auto Same = std::find_if(
          M->Phases.begin(), M->Phases.end(),
          [&](const PhaseMeasure &P) { return P.Phase == First.Phase; });
      if (Same == M->Phases.end())
        break;
      Peaks.push_back(phasePeak(*Same, A.OnDevice));
    }
    if (Peaks.size() != Completed.size())
      continue;
    PhaseFit P{First.Phase, fitLine(Sizes, Peaks),
               fitWindows(Completed, First.Phase, A.OnDevice, Sizes)};
    if (!P.linear())
      A.Warnings.push_back(
          "the " + First.Phase +
          " phase's peak does not grow linearly with the batch size (largest "
          "residual " +
          formatBytes(P.largestResidual()) +
          "), as attention over a sequence that grows with it would: the "
          "answer extrapolates the steepest measured segment; measure "
          "batch sizes closer to it");
    A.Phases.push_back(std::move(P));
  }

  A.Overhead = overheadFor(A);
  A.MarginBytes =
      Options.SafetyMargin * static_cast<double>(Options.MemoryBytes);
  A.UsableBytes = static_cast<double>(Options.MemoryBytes) - A.MarginBytes -
                  A.Overhead.fixedBytes();
  double Scale = 1 + A.Overhead.RoundingShare;
  A.LargestBatchSize =
      largestOverPhases(A.Phases, A.UsableBytes, Scale, 1, A.LimitingPhase);
  if (A.SmallestOutOfMemory &&
      (!A.LargestBatchSize || *A.LargestBatchSize >= *A.SmallestOutOfMemory)) {
    A.LargestBatchSize = *A.SmallestOutOfMemory - 1;
    A.Warnings.push_back("batch size " +
                         std::to_string(*A.SmallestOutOfMemory) +
                         " ran out of memory, so the answer stays below it "
                         "even though the fit allowed more");
  }
  double At = static_cast<double>(
      A.LargestBatchSize.value_or(Completed.back()->BatchSize));
  A.PredictedPeakBytes = peakAt(A.Phases, At, &A.LimitingPhase);
  if (Options.TargetBatch && A.LargestBatchSize && *A.LargestBatchSize > 0)
    A.ForTargetBatch =
        accumulationFor(*Options.TargetBatch, *A.LargestBatchSize);
  else if (Options.TargetBatch && !A.LargestBatchSize)
    A.ForTargetBatch =
        accumulationFor(*Options.TargetBatch, *Options.TargetBatch);
  if (Options.PredictAt) {
    A.Prediction = PeakPrediction{*Options.PredictAt, {}, 0};
    for (const PhaseFit &P : A.Phases) {
      double Bytes = std::max(0.0, P.extrapolate(*Options.PredictAt));
      A.Prediction->Phases.push_back({P.Phase, Bytes});
      A.Prediction->PeakBytes = std::max(A.Prediction->PeakBytes, Bytes);
    }
  }
  estimateMixedPrecision(A, A.UsableBytes, Scale);
  return A;
}

} // namespace torch_tidy
