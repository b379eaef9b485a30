//===--- PhaseSummary.cpp - Phase peaks of a probe site -------------------===//

#include "PhaseSummary.h"
#include "ConfirmOutput.h"
#include "GrowthStats.h"

#include <algorithm>

namespace torch_tidy {

namespace {

int phaseRank(const std::string &Phase) {
  return Phase == "forward" ? 0 : Phase == "backward" ? 1 : 2;
}

/// The metrics that have phase peaks: CPU tensors and each CUDA device.
std::vector<std::string> phaseMetrics(const ProbeSite &Site) {
  std::vector<std::string> Metrics;
  for (const IterationSample &S : Site.Samples)
    for (const PhasePeak &P : S.Phases) {
      if (Metrics.empty())
        Metrics.push_back("cpu_tensor_bytes");
      for (const CudaPhaseReading &D : P.Cuda) {
        std::string Name = "cuda:" + std::to_string(D.Device) + " allocated";
        if (std::find(Metrics.begin(), Metrics.end(), Name) == Metrics.end())
          Metrics.push_back(Name);
      }
    }
  return Metrics;
}

} // namespace

std::vector<PhaseSeries> phaseSeries(const ProbeSite &Site,
                                     const std::string &Metric) {
  std::vector<PhaseSeries> Out;
  bool Cpu = Metric == "cpu_tensor_bytes";
  for (const IterationSample &S : Site.Samples)
    for (const PhasePeak &P : S.Phases) {
      double Bytes = -1;
      if (Cpu)
        Bytes = static_cast<double>(P.CpuPeakBytes);
      for (const CudaPhaseReading &D : P.Cuda)
        if (Metric == "cuda:" + std::to_string(D.Device) + " allocated")
          Bytes = static_cast<double>(D.PeakAllocatedBytes);
      if (Bytes < 0)
        continue;
      auto Same =
          std::find_if(Out.begin(), Out.end(), [&](const PhaseSeries &X) {
            return X.Phase == P.Phase;
          });
      if (Same == Out.end()) {
        Out.push_back({P.Phase, {}, {}});
        Same = Out.end() - 1;
      }
      Same->Iterations.push_back(static_cast<double>(S.Iteration));
      Same->PeakBytes.push_back(Bytes);
    }
  std::stable_sort(Out.begin(), Out.end(),
                   [](const PhaseSeries &A, const PhaseSeries &B) {
                     return phaseRank(A.Phase) < phaseRank(B.Phase);
                   });
  return Out;
}

std::vector<PhasePeakSummary> summarizePhasePeaks(const ProbeSite &Site,
                                                  int Warmup) {
  std::vector<PhasePeakSummary> Out;
  for (const std::string &Metric : phaseMetrics(Site))
    for (const PhaseSeries &Series : phaseSeries(Site, Metric)) {
      std::vector<double> After;
      for (size_t I = 0; I < Series.Iterations.size(); ++I)
        if (Series.Iterations[I] >= Warmup)
          After.push_back(Series.PeakBytes[I]);
      if (!After.empty())
        Out.push_back({Metric, Series.Phase, median(std::move(After))});
    }
  return Out;
}

std::string describePhasePeaks(const std::vector<PhasePeakSummary> &Peaks) {
  std::string Out;
  std::string Metric;
  for (const PhasePeakSummary &P : Peaks) {
    if (P.Metric != Metric) {
      Out += Metric.empty() ? "; phase peaks (median): " : "; ";
      if (P.Metric != "cpu_tensor_bytes")
        Out += P.Metric + ": ";
      Metric = P.Metric;
    } else {
      Out += ", ";
    }
    Out += P.Phase + " " + formatBytes(P.MedianPeakBytes);
  }
  return Out;
}

nlohmann::json phasePeaksToJson(const std::vector<PhasePeakSummary> &Peaks) {
  nlohmann::json Out = nlohmann::json::object();
  for (const PhasePeakSummary &P : Peaks)
    Out[P.Metric][P.Phase] = P.MedianPeakBytes;
  return Out;
}

} // namespace torch_tidy
