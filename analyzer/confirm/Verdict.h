//===--- Verdict.h - Findings joined with runtime evidence ------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_VERDICT_H
#define TORCH_TIDY_ANALYZER_CONFIRM_VERDICT_H

#include "Findings.h"
#include "GrowthStats.h"
#include "OriginLines.h"
#include "PhaseSummary.h"
#include "RuntimeReport.h"

#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

struct ConfirmOptions {
  int WarmupIterations = 3;     // Skipped: first-step allocations, caches.
  int MinSamples = 5;           // Fewer samples after warm-up: not exercised.
  double MinGrowthBytes = 1024; // Per iteration, per metric.
  double MinKendallTau = 0.8;   // How steady the growth must be.
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
  std::string Resource;  // What runs out when it grows: "host", "cuda:N".
  int64_t FreeBytes = 0; // Of that resource, at the last sample; 0: unknown.
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
  std::string Boundary; // As in ProbeSite: empty for a marker.
  int Iterations = 0;
  /// Iterations after the warm-up whose boundary ran with grad mode on
  /// (and inference mode off).
  int GradModeOnIterations = 0;
  /// Median over iterations of the peak inside the iteration above the
  /// live bytes at its end, CPU tensors and CUDA devices together: what
  /// the forward pass holds while its graph lives.
  double IterationPeakBytes = 0;
  /// The median peak of each phase (forward, backward, optimizer step).
  std::vector<PhasePeakSummary> PhasePeaks;
  std::vector<MetricGrowth> Metrics;
  /// Iterations until memory runs out at the measured growth, when it
  /// grows: the soonest of host memory (from the available memory the probe
  /// saw) and each CUDA device (from its free memory).
  std::optional<double> IterationsUntilOom;
  std::string OomResource; // "host" or "cuda:N".
  /// Median time of an iteration after the warm-up, from the samples'
  /// clocks; 0 when unknown.
  double SecondsPerIteration = 0;
  /// Origins mode: the largest survivors' origins, named (growing sites
  /// only; Leads.cpp fills them in).
  std::vector<ResolvedOrigin> Origins;
  /// And of its surviving autograd nodes, when the heap outside tensors
  /// grows.
  std::vector<ResolvedOrigin> GraphOrigins;
  bool HasOrigins = false; // The report was written in origins mode.

  /// IterationsUntilOom in wall time at SecondsPerIteration, when both are
  /// known.
  std::optional<double> secondsUntilOom() const;

  bool grows() const;
  double growthBytesPerIteration() const;
};

/// What a verdict rests on.
enum class Basis {
  None,        // Not exercised.
  Growth,      // Steady growth of a metric.
  Flat,        // No steady growth.
  GradModeOn,  // Grad mode on in a loop that should not build a graph.
  GradModeOff, // Grad mode off there: the static finding does not hold.
};
const char *basisName(Basis B);

struct Confirmation {
  Finding TheFinding;
  Verdict TheVerdict = Verdict::NotExercised;
  Basis TheBasis = Basis::None;
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

/// Each finding's verdict from the probe sites inside its loop. The rules
/// that say a graph is built where none is wanted (missing-no-grad,
/// unnamed-grad-guard) are judged by grad mode at the site; the others by
/// steady growth. Findings of the training-loop rules with no marked site
/// inside their loop take the automatic mode's site (every backward pass)
/// when a report has one.
std::vector<Confirmation>
confirmFindings(const std::vector<Finding> &Findings,
                const std::vector<RuntimeReport> &Reports,
                const ConfirmOptions &Options);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_VERDICT_H
