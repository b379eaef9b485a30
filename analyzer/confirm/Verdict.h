//===--- Verdict.h - Findings joined with runtime evidence ------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_VERDICT_H
#define TORCH_TIDY_ANALYZER_CONFIRM_VERDICT_H

#include "Findings.h"
#include "GrowthStats.h"
#include "RuntimeReport.h"

#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

struct ConfirmOptions {
  int WarmupIterations = 3;   // Skipped: first-step allocations, caches.
  int MinSamples = 5;         // Fewer samples after warm-up: not exercised.
  double MinGrowthBytes = 1024; // Per iteration, per metric.
  double MinKendallTau = 0.8; // How steady the growth must be.
};

enum class Verdict { Confirmed, NotConfirmed, NotExercised };
const char *verdictName(Verdict V);

/// Growth of one memory metric at one probe site.
struct MetricGrowth {
  std::string Metric; // "cpu_tensor_bytes" or "host_heap_other_bytes".
  GrowthFit Fit;
  bool Grows = false;
};

struct SiteEvidence {
  std::string ReportPath;
  std::string File;
  int Line = 0;
  int Iterations = 0;
  std::vector<MetricGrowth> Metrics;
  /// Iterations until host memory runs out at the measured growth, when it
  /// grows; from the available memory the probe saw.
  std::optional<double> IterationsUntilOom;

  bool grows() const;
  double growthBytesPerIteration() const;
};

struct Confirmation {
  Finding TheFinding;
  Verdict TheVerdict = Verdict::NotExercised;
  std::optional<SiteEvidence> Evidence; // The strongest matching site.
};

/// Measures every metric of \p Site after the warm-up.
SiteEvidence evaluateSite(const ProbeSite &Site, const RuntimeReport &Report,
                          const ConfirmOptions &Options);

/// Every probe site of every report, measured: growth the static findings do
/// not explain shows up here too.
std::vector<SiteEvidence>
evaluateAllSites(const std::vector<RuntimeReport> &Reports,
                 const ConfirmOptions &Options);

/// Each finding's verdict from the probe sites inside its loop.
std::vector<Confirmation>
confirmFindings(const std::vector<Finding> &Findings,
                const std::vector<RuntimeReport> &Reports,
                const ConfirmOptions &Options);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_VERDICT_H
