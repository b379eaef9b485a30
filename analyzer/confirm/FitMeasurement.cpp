//===--- FitMeasurement.cpp - One measured run of `fit` -------------------===//

#include "FitMeasurement.h"

#include <algorithm>
#include <tuple>

namespace torch_tidy {

namespace {

/// Marker sites say where the user's iteration is: among the sites with a
/// whole iteration measured, markers first, then the most samples. (A
/// marker in an outer loop may have none when the automatic site, one
/// boundary per backward pass, stopped the run.)
const ProbeSite *chooseSite(const RuntimeReport &Report) {
  auto Rank = [](const ProbeSite &Site) {
    return std::make_tuple(Site.Samples.size() >= 2, !Site.isAutomatic(),
                           Site.Samples.size());
  };
  const ProbeSite *Best = nullptr;
  for (const ProbeSite &Site : Report.Sites)
    if (!Best || Rank(Site) > Rank(*Best))
      Best = &Site;
  return Best;
}

PhaseMeasure &phaseNamed(std::vector<PhaseMeasure> &Phases,
                         const std::string &Name) {
  for (PhaseMeasure &P : Phases)
    if (P.Phase == Name)
      return P;
  Phases.push_back({Name, 0, 0, 0, {}, {}, false});
  return Phases.back();
}

/// Folds one iteration's windows into \p Into, elementwise; iterations
/// with a different number of windows ran a different graph, and then no
/// window can be followed across batch sizes.
void foldWindows(const std::vector<int64_t> &Windows, bool First,
                 std::vector<double> &Into, bool &Differ) {
  if (Differ)
    return;
  if (First) {
    Into.assign(Windows.begin(), Windows.end());
    return;
  }
  if (Windows.size() != Into.size()) {
    Differ = true;
    Into.clear();
    return;
  }
  for (size_t I = 0; I < Windows.size(); ++I)
    Into[I] = std::max(Into[I], static_cast<double>(Windows[I]));
}

/// Phases in iteration order, whatever order the samples named them in.
void sortPhases(std::vector<PhaseMeasure> &Phases) {
  auto Rank = [](const std::string &Name) {
    return Name == "forward" ? 0 : Name == "backward" ? 1 : 2;
  };
  std::stable_sort(Phases.begin(), Phases.end(),
                   [&](const PhaseMeasure &A, const PhaseMeasure &B) {
                     return Rank(A.Phase) < Rank(B.Phase);
                   });
}

void addSample(const IterationSample &S, BatchMeasurement &M) {
  M.BoundaryCpuBytes =
      std::max(M.BoundaryCpuBytes, static_cast<double>(S.CpuTensorBytes));
  if (S.Phases.empty()) { // A probe that predates phases: one peak.
    PhaseMeasure &P = phaseNamed(M.Phases, "iteration");
    P.CpuPeakBytes =
        std::max(P.CpuPeakBytes, static_cast<double>(S.CpuPeakBytes));
  }
  for (const PhasePeak &Peak : S.Phases) {
    bool First = std::none_of(
        M.Phases.begin(), M.Phases.end(),
        [&](const PhaseMeasure &P) { return P.Phase == Peak.Phase; });
    PhaseMeasure &P = phaseNamed(M.Phases, Peak.Phase);
    foldWindows(Peak.CpuWindowPeaks, First, P.CpuWindowPeaks, P.WindowsDiffer);
    bool CudaDiffer = P.WindowsDiffer;
    foldWindows(Peak.CudaWindowPeaks, First, P.CudaWindowPeaks, CudaDiffer);
    P.CpuPeakBytes =
        std::max(P.CpuPeakBytes, static_cast<double>(Peak.CpuPeakBytes));
    for (const CudaPhaseReading &D : Peak.Cuda) {
      if (M.CudaDevice && D.Device != *M.CudaDevice)
        continue;
      P.CudaAllocatedPeakBytes = std::max(
          P.CudaAllocatedPeakBytes, static_cast<double>(D.PeakAllocatedBytes));
      P.CudaReservedPeakBytes = std::max(
          P.CudaReservedPeakBytes, static_cast<double>(D.PeakReservedBytes));
    }
  }
  for (const CudaReading &D : S.Cuda) {
    if (!M.CudaDevice)
      M.CudaDevice = D.Device;
    if (D.Device != *M.CudaDevice)
      continue;
    M.BoundaryCudaBytes =
        std::max(M.BoundaryCudaBytes, static_cast<double>(D.AllocatedBytes));
    if (D.TotalBytes > 0)
      M.CudaOutsideAllocatorBytes = std::max(
          M.CudaOutsideAllocatorBytes,
          static_cast<double>(D.TotalBytes - D.FreeBytes - D.ReservedBytes));
  }
}

} // namespace

double BatchMeasurement::peakBytes(bool Device) const {
  double Peak = 0;
  for (const PhaseMeasure &P : Phases)
    Peak = std::max(Peak, Device ? P.CudaReservedPeakBytes : P.CpuPeakBytes);
  return Peak;
}

std::optional<BatchMeasurement> measureReport(const RuntimeReport &Report,
                                              int64_t BatchSize,
                                              std::string &Problem) {
  BatchMeasurement M;
  M.BatchSize = BatchSize;
  M.AutocastDevices = Report.AutocastDevices;
  const ProbeSite *Site = chooseSite(Report);
  if (!Site || Site->Samples.empty()) {
    Problem = "the run never reached an iteration boundary";
    return std::nullopt;
  }
  // The first device seen anywhere in the measured samples is the one.
  for (const IterationSample &S : Site->Samples)
    if (S.Iteration >= 1 && !S.Cuda.empty() && !M.CudaDevice)
      M.CudaDevice = S.Cuda.front().Device;
  for (const IterationSample &S : Site->Samples) {
    if (S.Iteration < 1)
      continue; // Start-up: from the program's start to the first boundary.
    addSample(S, M);
    ++M.Iterations;
  }
  if (M.Iterations == 0) {
    Problem = "the run ended after its first iteration boundary, before a "
              "whole iteration was measured";
    return std::nullopt;
  }
  sortPhases(M.Phases);
  return M;
}

} // namespace torch_tidy
