//===--- PhaseSummary.h - Phase peaks of a probe site -----------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_PHASESUMMARY_H
#define TORCH_TIDY_ANALYZER_CONFIRM_PHASESUMMARY_H

#include "RuntimeReport.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace torch_tidy {

/// One phase's peak per iteration, for one metric: "cpu_tensor_bytes"
/// (CPU tensors) or "cuda:N allocated" (that device's allocated bytes).
struct PhaseSeries {
  std::string Phase; // "forward", "backward", "optimizer".
  std::vector<double> Iterations;
  std::vector<double> PeakBytes;
};

/// The phase peaks of \p Site for \p Metric, phases in iteration order;
/// empty for other metrics and for reports without phases.
std::vector<PhaseSeries> phaseSeries(const ProbeSite &Site,
                                     const std::string &Metric);

/// The median peak of each phase after \p Warmup iterations, per metric.
struct PhasePeakSummary {
  std::string Metric;
  std::string Phase;
  double MedianPeakBytes = 0;
};
std::vector<PhasePeakSummary> summarizePhasePeaks(const ProbeSite &Site,
                                                  int Warmup);

/// "; phase peaks (median): forward 1.4 MiB, backward 1.8 MiB, optimizer
/// 1.1 MiB", with "cuda:0 allocated: ..." for devices; "" without phases.
std::string describePhasePeaks(const std::vector<PhasePeakSummary> &Peaks);

/// {"cpu_tensor_bytes": {"forward": ..., ...}, "cuda:0 allocated": {...}}.
nlohmann::json phasePeaksToJson(const std::vector<PhasePeakSummary> &Peaks);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_PHASESUMMARY_H
