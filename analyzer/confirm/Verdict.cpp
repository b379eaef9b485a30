//===--- Verdict.cpp - Findings joined with runtime evidence --------------===//

#include "Verdict.h"
#include "SourcePaths.h"

#include <algorithm>

namespace torch_tidy {

const char *verdictName(Verdict V) {
  switch (V) {
  case Verdict::Confirmed:
    return "confirmed";
  case Verdict::NotConfirmed:
    return "not-confirmed";
  case Verdict::NotExercised:
    return "not-exercised";
  }
  return "unknown";
}

bool SiteEvidence::grows() const {
  return std::any_of(Metrics.begin(), Metrics.end(),
                     [](const MetricGrowth &M) { return M.Grows; });
}

double SiteEvidence::growthBytesPerIteration() const {
  double Total = 0;
  for (const MetricGrowth &M : Metrics)
    if (M.Grows)
      Total += M.Fit.SlopePerIteration;
  return Total;
}

SiteEvidence evaluateSite(const ProbeSite &Site, const RuntimeReport &Report,
                          const ConfirmOptions &Options) {
  SiteEvidence Evidence;
  Evidence.ReportPath = Report.Path;
  Evidence.File = Site.File;
  Evidence.Line = Site.Line;
  std::vector<double> X, TensorBytes, OtherHeapBytes;
  for (const IterationSample &Sample : Site.Samples) {
    if (Sample.Iteration < Options.WarmupIterations)
      continue;
    X.push_back(static_cast<double>(Sample.Iteration));
    TensorBytes.push_back(static_cast<double>(Sample.CpuTensorBytes));
    // The host heap includes CPU tensor storage; the rest is graph nodes
    // and other host objects.
    OtherHeapBytes.push_back(
        static_cast<double>(Sample.HostHeapBytes - Sample.CpuTensorBytes));
  }
  Evidence.Iterations = static_cast<int>(X.size());
  for (auto [Name, Series] :
       {std::pair<const char *, const std::vector<double> *>{
            "cpu_tensor_bytes", &TensorBytes},
        {"host_heap_other_bytes", &OtherHeapBytes}}) {
    MetricGrowth Growth;
    Growth.Metric = Name;
    Growth.Fit = fitGrowth(X, *Series);
    Growth.Grows = Evidence.Iterations >= Options.MinSamples &&
                   Growth.Fit.SlopePerIteration >= Options.MinGrowthBytes &&
                   Growth.Fit.KendallTau >= Options.MinKendallTau;
    Evidence.Metrics.push_back(Growth);
  }
  double Growth = Evidence.growthBytesPerIteration();
  if (Growth > 0 && Report.HostAvailableBytes > 0)
    Evidence.IterationsUntilOom =
        static_cast<double>(Report.HostAvailableBytes) / Growth;
  return Evidence;
}

std::vector<SiteEvidence>
evaluateAllSites(const std::vector<RuntimeReport> &Reports,
                 const ConfirmOptions &Options) {
  std::vector<SiteEvidence> All;
  for (const RuntimeReport &Report : Reports)
    for (const ProbeSite &Site : Report.Sites)
      All.push_back(evaluateSite(Site, Report, Options));
  return All;
}

namespace {

bool isInside(const ProbeSite &Site, const Finding &F) {
  if (F.Loop)
    return isSameSourceFile(Site.File, F.Loop->File) &&
           Site.Line >= F.Loop->Begin.Line && Site.Line <= F.Loop->End.Line;
  return isSameSourceFile(Site.File, F.File);
}

} // namespace

std::vector<Confirmation>
confirmFindings(const std::vector<Finding> &Findings,
                const std::vector<RuntimeReport> &Reports,
                const ConfirmOptions &Options) {
  std::vector<Confirmation> Confirmations;
  for (const Finding &F : Findings) {
    Confirmation C;
    C.TheFinding = F;
    for (const RuntimeReport &Report : Reports)
      for (const ProbeSite &Site : Report.Sites) {
        if (!isInside(Site, F))
          continue;
        SiteEvidence Evidence = evaluateSite(Site, Report, Options);
        if (Evidence.Iterations < Options.MinSamples)
          continue; // Too few iterations to say anything.
        Verdict V = Evidence.grows() ? Verdict::Confirmed
                                     : Verdict::NotConfirmed;
        bool Stronger =
            !C.Evidence || (V == Verdict::Confirmed &&
                            C.TheVerdict != Verdict::Confirmed) ||
            (V == C.TheVerdict && Evidence.growthBytesPerIteration() >
                                      C.Evidence->growthBytesPerIteration());
        if (Stronger) {
          C.TheVerdict = V;
          C.Evidence = std::move(Evidence);
        }
      }
    Confirmations.push_back(std::move(C));
  }
  return Confirmations;
}

} // namespace torch_tidy
