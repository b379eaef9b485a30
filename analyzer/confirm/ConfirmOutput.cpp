//===--- ConfirmOutput.cpp - Printing verdicts ----------------------------===//

#include "ConfirmOutput.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace torch_tidy {

namespace {

std::string describeMetric(const std::string &Metric) {
  if (Metric == "cpu_tensor_bytes")
    return "CPU tensor memory";
  if (Metric == "host_heap_other_bytes")
    return "host heap outside tensors (graph nodes)";
  return Metric + " memory"; // "cuda:0 allocated memory".
}

/// "file:line", with " (thread N)" for threads after the first; the
/// automatic mode's site is named by its boundary.
std::string siteName(const std::string &File, int Line, int Thread,
                     const std::string &Boundary) {
  std::string Name = Boundary.empty() ? File + ":" + std::to_string(Line)
                                      : boundaryName(Boundary) + " (automatic)";
  if (Thread != 0)
    Name += " (thread " + std::to_string(Thread) + ")";
  return Name;
}

std::string oomResourceName(const std::string &Resource) {
  return Resource == "host" ? "host memory" : Resource + " memory";
}

std::string formatCount(double Value) {
  std::string Digits =
      std::to_string(static_cast<long long>(std::llround(Value)));
  std::string Grouped;
  for (std::size_t I = 0; I < Digits.size(); ++I) {
    if (I > 0 && (Digits.size() - I) % 3 == 0)
      Grouped += ',';
    Grouped += Digits[I];
  }
  return Grouped;
}

/// ": +194.5 KiB/iteration of CPU tensor memory (tau 1.00), ..." for the
/// growing metrics, or for all of them when none grows.
std::string describeGrowth(const SiteEvidence &E,
                           const char *Separator = ": ") {
  std::ostringstream Out;
  bool OnlyGrowing = E.grows();
  for (const MetricGrowth &M : E.Metrics) {
    if (OnlyGrowing && !M.Grows)
      continue;
    char Tau[16];
    std::snprintf(Tau, sizeof(Tau), "%.2f", M.Fit.KendallTau);
    Out << Separator << (M.Fit.SlopePerIteration >= 0 ? "+" : "")
        << formatBytes(M.Fit.SlopePerIteration) << "/iteration of "
        << describeMetric(M.Metric) << " (tau " << Tau << ")";
    Separator = ", ";
  }
  Out << " over " << E.Iterations << " iterations";
  return Out.str();
}

/// " (about 2.1 hours at 1.9 ms/iteration)", or "" when the samples had no
/// clock.
std::string describeWallTime(const SiteEvidence &E) {
  auto Seconds = E.secondsUntilOom();
  if (!Seconds)
    return "";
  struct Unit {
    double Seconds;
    const char *Name;
  };
  const Unit Units[] = {{86400, "days"}, {3600, "hours"}, {60, "minutes"}};
  char Until[48];
  std::snprintf(Until, sizeof(Until), "%.0f seconds", *Seconds);
  for (const Unit &U : Units)
    if (*Seconds >= U.Seconds) {
      std::snprintf(Until, sizeof(Until), "%.1f %s", *Seconds / U.Seconds,
                    U.Name);
      break;
    }
  char Per[32];
  double PerIteration = E.SecondsPerIteration;
  if (PerIteration >= 1)
    std::snprintf(Per, sizeof(Per), "%.2f s", PerIteration);
  else
    std::snprintf(Per, sizeof(Per), "%.1f ms", PerIteration * 1e3);
  return std::string(" (about ") + Until + " at " + Per + "/iteration)";
}

/// ": grad mode on at 27 of 27 iterations, each peaking 120.0 KiB above
/// its end".
std::string describeGradMode(const SiteEvidence &E) {
  std::ostringstream Out;
  Out << ": grad mode on at " << E.GradModeOnIterations << " of "
      << E.Iterations << " iterations, each peaking "
      << formatBytes(E.IterationPeakBytes) << " above its end";
  return Out.str();
}

nlohmann::json siteToJson(const SiteEvidence &E) {
  nlohmann::json Metrics = nlohmann::json::array();
  for (const MetricGrowth &M : E.Metrics)
    Metrics.push_back({{"metric", M.Metric},
                       {"bytes_per_iteration", M.Fit.SlopePerIteration},
                       {"kendall_tau", M.Fit.KendallTau},
                       {"grows", M.Grows}});
  nlohmann::json J = {
      {"report", E.ReportPath},
      {"site", {{"file", E.File}, {"line", E.Line}, {"thread", E.Thread}}},
      {"iterations", E.Iterations},
      {"grad_mode_on_iterations", E.GradModeOnIterations},
      {"iteration_peak_bytes", E.IterationPeakBytes},
      {"grows", E.grows()},
      {"bytes_per_iteration", E.growthBytesPerIteration()},
      {"metrics", Metrics}};
  if (!E.Boundary.empty())
    J["site"]["boundary"] = E.Boundary;
  if (!E.PhasePeaks.empty())
    J["phase_peaks"] = phasePeaksToJson(E.PhasePeaks);
  if (E.SecondsPerIteration > 0)
    J["seconds_per_iteration"] = E.SecondsPerIteration;
  if (E.IterationsUntilOom) {
    J["iterations_until_oom"] = *E.IterationsUntilOom;
    J["oom_resource"] = E.OomResource;
    if (auto Seconds = E.secondsUntilOom())
      J["seconds_until_oom"] = *Seconds;
  }
  return J;
}

nlohmann::json failureToJson(const RuntimeReport &Report) {
  const RuntimeFailure &F = *Report.Failure;
  nlohmann::json J = {{"report", Report.Path},
                      {"kind", F.Kind},
                      {"message", F.Message},
                      {"requested_bytes", F.RequestedBytes},
                      {"cpu_tensor_bytes", F.CpuTensorBytes},
                      {"host_heap_bytes", F.HostHeapBytes}};
  if (F.CudaDevice) {
    J["device"] = *F.CudaDevice;
    J["device_free_bytes"] = F.DeviceFreeBytes;
  }
  if (F.LastSite) {
    J["last_site"] = {{"file", F.LastSite->File},
                      {"line", F.LastSite->Line},
                      {"thread", F.LastSite->Thread}};
    if (!F.LastSite->Boundary.empty())
      J["last_site"]["boundary"] = F.LastSite->Boundary;
    J["iteration"] = F.Iteration;
  }
  return J;
}

} // namespace

std::string boundaryName(const std::string &Boundary) {
  std::string Name = "each " + Boundary;
  std::replace(Name.begin(), Name.end(), '-', ' ');
  return Name;
}

std::string formatBytes(double Bytes) {
  const char *Units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int Unit = 0;
  double Value = Bytes;
  while (std::fabs(Value) >= 1024 && Unit < 4) {
    Value /= 1024;
    ++Unit;
  }
  char Buffer[32];
  std::snprintf(Buffer, sizeof(Buffer), Unit == 0 ? "%.0f %s" : "%.1f %s",
                Value, Units[Unit]);
  return Buffer;
}

std::string confirmationsToText(const std::vector<Confirmation> &Confirmations,
                                const std::vector<SiteEvidence> &Sites) {
  std::ostringstream Out;
  int Counts[3] = {0, 0, 0};
  for (const Confirmation &C : Confirmations) {
    ++Counts[static_cast<int>(C.TheVerdict)];
    const Finding &F = C.TheFinding;
    Out << F.File << ":" << F.Position.Line << ":" << F.Position.Column << ": "
        << verdictName(C.TheVerdict) << " [" << F.Rule << "]";
    if (!C.Evidence) {
      Out << ": no probe site inside the loop ran; add TORCH_TIDY_ITERATION() "
             "to the loop body and run with TORCH_TIDY_REPORT set\n";
      continue;
    }
    const SiteEvidence &E = *C.Evidence;
    bool ByGradMode =
        C.TheBasis == Basis::GradModeOn || C.TheBasis == Basis::GradModeOff;
    if (ByGradMode)
      Out << describeGradMode(E);
    Out << describeGrowth(E, ByGradMode ? "; " : ": ") << " at "
        << siteName(E.File, E.Line, E.Thread, E.Boundary);
    if (C.TheVerdict == Verdict::Confirmed && E.IterationsUntilOom)
      Out << "; " << oomResourceName(E.OomResource) << " runs out after about "
          << formatCount(*E.IterationsUntilOom) << " more iterations"
          << describeWallTime(E);
    Out << "\n";
  }
  Out << Confirmations.size() << " finding"
      << (Confirmations.size() == 1 ? "" : "s") << ": " << Counts[0]
      << " confirmed, " << Counts[1] << " not confirmed, " << Counts[2]
      << " not exercised\n";
  for (const SiteEvidence &E : Sites)
    Out << "probe site " << siteName(E.File, E.Line, E.Thread, E.Boundary)
        << ": " << (E.grows() ? "grows" : "flat") << describeGrowth(E)
        << describePhasePeaks(E.PhasePeaks) << "\n";
  return Out.str();
}

std::string failuresToText(const std::vector<RuntimeReport> &Reports) {
  std::ostringstream Out;
  for (const RuntimeReport &Report : Reports) {
    if (!Report.Failure)
      continue;
    const RuntimeFailure &F = *Report.Failure;
    Out << Report.Path << ": "
        << (F.Kind == "cpu-out-of-memory"    ? "CPU out of memory"
            : F.Kind == "cuda-out-of-memory" ? "CUDA out of memory"
                                             : F.Kind)
        << ": " << formatBytes(static_cast<double>(F.RequestedBytes))
        << " requested";
    if (F.CudaDevice)
      Out << " on cuda:" << *F.CudaDevice << " with "
          << formatBytes(static_cast<double>(F.DeviceFreeBytes))
          << " free there,";
    Out << " with " << formatBytes(static_cast<double>(F.CpuTensorBytes))
        << " of CPU tensors live and a host heap of "
        << formatBytes(static_cast<double>(F.HostHeapBytes));
    if (F.LastSite)
      Out << ", in iteration " << F.Iteration << " of "
          << siteName(F.LastSite->File, F.LastSite->Line, F.LastSite->Thread,
                      F.LastSite->Boundary);
    Out << " (" << F.Message << ")\n";
  }
  return Out.str();
}

nlohmann::json
confirmationsToJson(const std::vector<Confirmation> &Confirmations,
                    const std::vector<SiteEvidence> &Sites,
                    const std::vector<RuntimeReport> &Reports,
                    const ConfirmOptions &Options) {
  nlohmann::json Out;
  Out["schema"] = "torch-tidy-confirmation";
  Out["version"] = 1;
  Out["options"] = {{"warmup_iterations", Options.WarmupIterations},
                    {"min_samples", Options.MinSamples},
                    {"min_growth_bytes", Options.MinGrowthBytes},
                    {"min_kendall_tau", Options.MinKendallTau}};
  Out["findings"] = nlohmann::json::array();
  for (const Confirmation &C : Confirmations) {
    const Finding &F = C.TheFinding;
    nlohmann::json J = {{"id", F.Id},
                        {"rule", F.Rule},
                        {"file", F.File},
                        {"line", F.Position.Line},
                        {"column", F.Position.Column},
                        {"message", F.Message},
                        {"verdict", verdictName(C.TheVerdict)},
                        {"basis", basisName(C.TheBasis)}};
    if (C.Evidence)
      J["evidence"] = siteToJson(*C.Evidence);
    Out["findings"].push_back(std::move(J));
  }
  Out["sites"] = nlohmann::json::array();
  for (const SiteEvidence &E : Sites)
    Out["sites"].push_back(siteToJson(E));
  Out["failures"] = nlohmann::json::array();
  for (const RuntimeReport &Report : Reports)
    if (Report.Failure)
      Out["failures"].push_back(failureToJson(Report));
  return Out;
}

} // namespace torch_tidy
