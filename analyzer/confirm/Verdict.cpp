//===--- Verdict.cpp - Findings joined with runtime evidence --------------===//

#include "Verdict.h"
#include "SourcePaths.h"

#include <algorithm>
#include <map>
#include <utility>

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

const char *basisName(Basis B) {
  switch (B) {
  case Basis::None:
    return "none";
  case Basis::Growth:
    return "growth";
  case Basis::Flat:
    return "flat";
  case Basis::GradModeOn:
    return "grad-mode-on";
  case Basis::GradModeOff:
    return "grad-mode-off";
  }
  return "unknown";
}

std::optional<double> SiteEvidence::secondsUntilOom() const {
  if (!IterationsUntilOom || SecondsPerIteration <= 0)
    return std::nullopt;
  return *IterationsUntilOom * SecondsPerIteration;
}

namespace {

/// The median time per iteration between consecutive samples (a thinned
/// series has several iterations between samples).
double secondsPerIteration(const ProbeSite &Site, int WarmupIterations) {
  std::vector<double> Seconds;
  const IterationSample *Previous = nullptr;
  for (const IterationSample &Sample : Site.Samples) {
    if (Sample.Iteration < WarmupIterations)
      continue;
    if (Previous && Sample.Iteration > Previous->Iteration &&
        Sample.TimeNs > Previous->TimeNs)
      Seconds.push_back(
          static_cast<double>(Sample.TimeNs - Previous->TimeNs) / 1e9 /
          static_cast<double>(Sample.Iteration - Previous->Iteration));
    Previous = &Sample;
  }
  return median(std::move(Seconds));
}

} // namespace

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

std::vector<MetricSeries> siteMetrics(const ProbeSite &Site,
                                      const RuntimeReport &Report) {
  MetricSeries Tensors{
      "cpu_tensor_bytes", {}, {}, "host", Report.HostAvailableBytes};
  MetricSeries OtherHeap{
      "host_heap_other_bytes", {}, {}, "host", Report.HostAvailableBytes};
  std::map<int, MetricSeries> Devices;
  for (const IterationSample &Sample : Site.Samples)
    for (const CudaReading &Reading : Sample.Cuda) {
      std::string Name = "cuda:" + std::to_string(Reading.Device);
      Devices.try_emplace(Reading.Device,
                          MetricSeries{Name + " allocated", {}, {}, Name, 0});
    }
  for (const IterationSample &Sample : Site.Samples) {
    double X = static_cast<double>(Sample.Iteration);
    Tensors.Iterations.push_back(X);
    Tensors.Bytes.push_back(static_cast<double>(Sample.CpuTensorBytes));
    // The host heap includes CPU tensor storage; the rest is graph nodes
    // and other host objects.
    OtherHeap.Iterations.push_back(X);
    OtherHeap.Bytes.push_back(
        static_cast<double>(Sample.HostHeapBytes - Sample.CpuTensorBytes));
    for (auto &[Device, Series] : Devices) {
      // A device missing from a sample was not in use yet: nothing there.
      double Allocated = 0;
      for (const CudaReading &Reading : Sample.Cuda)
        if (Reading.Device == Device) {
          Allocated = static_cast<double>(Reading.AllocatedBytes);
          Series.FreeBytes = Reading.FreeBytes;
        }
      Series.Iterations.push_back(X);
      Series.Bytes.push_back(Allocated);
    }
  }
  std::vector<MetricSeries> All{std::move(Tensors), std::move(OtherHeap)};
  for (auto &Entry : Devices)
    All.push_back(std::move(Entry.second));
  return All;
}

SiteEvidence evaluateSite(const ProbeSite &Site, const RuntimeReport &Report,
                          const ConfirmOptions &Options) {
  SiteEvidence Evidence;
  Evidence.ReportPath = Report.Path;
  Evidence.File = Site.File;
  Evidence.Line = Site.Line;
  Evidence.Thread = Site.Thread;
  Evidence.Boundary = Site.Boundary;
  std::vector<double> PeaksAboveEnd;
  for (const IterationSample &Sample : Site.Samples) {
    if (Sample.Iteration < Options.WarmupIterations)
      continue;
    if (Sample.GradEnabled && !Sample.InferenceMode)
      ++Evidence.GradModeOnIterations;
    double Peak =
        static_cast<double>(Sample.CpuPeakBytes - Sample.CpuTensorBytes);
    for (const CudaReading &Reading : Sample.Cuda)
      Peak += static_cast<double>(Reading.PeakAllocatedBytes -
                                  Reading.AllocatedBytes);
    PeaksAboveEnd.push_back(Peak);
  }
  Evidence.IterationPeakBytes = median(std::move(PeaksAboveEnd));
  Evidence.PhasePeaks = summarizePhasePeaks(Site, Options.WarmupIterations);
  Evidence.SecondsPerIteration =
      secondsPerIteration(Site, Options.WarmupIterations);
  std::map<std::string, std::pair<double, int64_t>> GrowthPerResource;
  for (const MetricSeries &Series : siteMetrics(Site, Report)) {
    std::vector<double> X, Y;
    for (size_t I = 0; I < Series.Iterations.size(); ++I) {
      if (Series.Iterations[I] < Options.WarmupIterations)
        continue;
      X.push_back(Series.Iterations[I]);
      Y.push_back(Series.Bytes[I]);
    }
    Evidence.Iterations = static_cast<int>(X.size());
    MetricGrowth Growth;
    Growth.Metric = Series.Metric;
    Growth.Fit = fitGrowth(X, Y);
    Growth.Grows = Evidence.Iterations >= Options.MinSamples &&
                   Growth.Fit.SlopePerIteration >= Options.MinGrowthBytes &&
                   Growth.Fit.KendallTau >= Options.MinKendallTau;
    Evidence.Metrics.push_back(Growth);
    if (Growth.Grows) {
      auto &[Bytes, Free] = GrowthPerResource[Series.Resource];
      Bytes += Growth.Fit.SlopePerIteration;
      Free = Series.FreeBytes;
    }
  }
  for (const auto &[Resource, Growth] : GrowthPerResource) {
    auto [Bytes, Free] = Growth;
    if (Bytes <= 0 || Free <= 0)
      continue;
    double Until = static_cast<double>(Free) / Bytes;
    if (!Evidence.IterationsUntilOom || Until < *Evidence.IterationsUntilOom) {
      Evidence.IterationsUntilOom = Until;
      Evidence.OomResource = Resource;
    }
  }
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
  if (Site.isAutomatic())
    return false;
  if (F.Loop)
    return isSameSourceFile(Site.File, F.Loop->File) &&
           Site.Line >= F.Loop->Begin.Line && Site.Line <= F.Loop->End.Line;
  return isSameSourceFile(Site.File, F.File);
}

/// Rules whose claim is "this code builds a graph it does not need": the
/// runtime checks that grad mode was on there.
bool isJudgedByGradMode(const std::string &Rule) {
  return Rule == "torch-missing-no-grad" || Rule == "torch-unnamed-grad-guard";
}

/// Rules about training loops, which run backward() every iteration: the
/// automatic mode's boundaries are theirs.
bool isTrainingLoopRule(const std::string &Rule) {
  return Rule == "torch-graph-kept-across-iterations" ||
         Rule == "torch-retain-graph-in-loop" ||
         Rule == "torch-tensors-accumulated-on-device" ||
         Rule == "torch-unguarded-parameter-update" ||
         Rule == "torch-missing-zero-grad";
}

std::pair<Verdict, Basis> judge(const Finding &F, const SiteEvidence &E) {
  if (isJudgedByGradMode(F.Rule)) {
    // Most boundaries with grad mode off: a guard is held after all
    // (often by a caller), so no graph is built here.
    if (E.GradModeOnIterations * 2 < E.Iterations)
      return {Verdict::NotConfirmed, Basis::GradModeOff};
    // Growth, when there is any, is in the evidence too.
    return {Verdict::Confirmed, Basis::GradModeOn};
  }
  if (E.grows())
    return {Verdict::Confirmed, Basis::Growth};
  return {Verdict::NotConfirmed, Basis::Flat};
}

/// Keeps the strongest evidence: a confirmation over anything else, then
/// the larger growth.
void weigh(Confirmation &C, SiteEvidence Evidence) {
  auto [V, B] = judge(C.TheFinding, Evidence);
  bool Stronger =
      !C.Evidence ||
      (V == Verdict::Confirmed && C.TheVerdict != Verdict::Confirmed) ||
      (V == C.TheVerdict && Evidence.growthBytesPerIteration() >
                                C.Evidence->growthBytesPerIteration());
  if (!Stronger)
    return;
  C.TheVerdict = V;
  C.TheBasis = B;
  C.Evidence = std::move(Evidence);
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
        if (Evidence.Iterations >= Options.MinSamples)
          weigh(C, std::move(Evidence));
      }
    // The automatic mode cannot tell one training loop from another, so
    // it speaks only where no marker inside the loop did.
    if (!C.Evidence && isTrainingLoopRule(F.Rule))
      for (const RuntimeReport &Report : Reports)
        for (const ProbeSite &Site : Report.Sites) {
          if (!Site.isAutomatic())
            continue;
          SiteEvidence Evidence = evaluateSite(Site, Report, Options);
          if (Evidence.Iterations >= Options.MinSamples)
            weigh(C, std::move(Evidence));
        }
    Confirmations.push_back(std::move(C));
  }
  return Confirmations;
}

} // namespace torch_tidy
