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

/// One memory metric of one probe site, every sample.
struct MetricSeries {
  /// "cpu_tensor_bytes", "host_heap_other_bytes" or, per CUDA device,
  /// "cuda:N allocated".
  std::string Metric;
  std::vector<double> Iterations;
  std::vector<double> Bytes;
  std::string Resource;   // What runs out when it grows: "host", "cuda:N".
  int64_t FreeBytes = 0;  // Of that resource, at the last sample; 0: unknown.
};

/// The metrics of \p Site: CPU tensors, host heap outside tensors, and the
/// allocated bytes of each CUDA device that appears in its samples.
std::vector<MetricSeries> siteMetrics(const ProbeSite &Site,
                                      const RuntimeReport &Report);

/// Growth of one memory metric at one probe site.
struct MetricGrowth {
  std::string Metric; // As in MetricSeries.
  GrowthFit Fit;
  bool Grows = false;
};

struct SiteEvidence {
  std::string ReportPath;
  std::string File;
  int Line = 0;
  int Thread = 0;
  int Iterations = 0;
  std::vector<MetricGrowth> Metrics;
  /// Iterations until memory runs out at the measured growth, when it
  /// grows: the soonest of host memory (from the available memory the probe
  /// saw) and each CUDA device (from its free memory).
  std::optional<double> IterationsUntilOom;
  std::string OomResource; // "host" or "cuda:N".

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
