//===--- ConfirmOutput.cpp - Printing verdicts ----------------------------===//

#include "ConfirmOutput.h"
#include "ReportFormats.h"
#include "SourcePaths.h"

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

/// "  +128.0 KiB/iteration allocated at train.cpp:52 (aten::clone)".
std::string describeOrigin(const ResolvedOrigin &O) {
  std::string Line = "  +" + formatBytes(O.Origin->BytesPerIteration) +
                     "/iteration allocated at " + O.location();
  if (!O.Operator.empty())
    Line += " (" + O.Operator + ")";
  if (O.Origin->CudaDevice >= 0)
    Line += " on cuda:" + std::to_string(O.Origin->CudaDevice);
  return Line;
}

std::string graphOriginLine(const ResolvedOrigin &O) {
  return "  " + describeGraphOrigin(O);
}

bool isFindingLine(const ResolvedOrigin &O, const Finding &F) {
  return O.Naming == OriginNaming::Line && O.Line == F.Position.Line &&
         isSameSourceFile(O.File, F.File);
}

nlohmann::json originToJson(const ResolvedOrigin &O) {
  nlohmann::json J = {{"naming", originNamingName(O.Naming)},
                      {"operator", O.Origin->Op},
                      {"in_backward", O.Origin->InBackward},
                      {"bytes_per_iteration", O.Origin->BytesPerIteration},
                      {"count", O.Origin->Count},
                      {"bytes", O.Origin->Bytes},
                      {"first_iteration", O.Origin->FirstIteration},
                      {"last_iteration", O.Origin->LastIteration}};
  if (O.Naming == OriginNaming::Line) {
    J["file"] = O.File;
    J["line"] = O.Line;
  }
  if (!O.Function.empty())
    J["function"] = O.Function;
  if (O.Origin->CudaDevice >= 0)
    J["device"] = O.Origin->CudaDevice;
  return J;
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
  if (E.HasOrigins) {
    J["origins"] = nlohmann::json::array();
    for (const ResolvedOrigin &O : E.Origins)
      J["origins"].push_back(originToJson(O));
    J["graph_origins"] = nlohmann::json::array();
    for (const ResolvedOrigin &O : E.GraphOrigins) {
      nlohmann::json G = originToJson(O);
      G["nodes_per_iteration"] = O.Origin->NodesPerIteration;
      G["node_types"] = O.Origin->NodeTypes;
      G["chains_across_iterations"] = O.Origin->ChainsAcrossIterations;
      J["graph_origins"].push_back(std::move(G));
    }
  }
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

std::string describeGraphOrigin(const ResolvedOrigin &O) {
  char Rate[32];
  std::snprintf(Rate, sizeof(Rate), "%.1f", O.Origin->NodesPerIteration);
  std::string Types;
  for (const std::string &Type : O.Origin->NodeTypes)
    Types += (Types.empty() ? "" : ", ") + Type;
  std::string Text = std::string("+") + Rate + " autograd nodes/iteration";
  if (!Types.empty())
    Text += " (" + Types + ")";
  Text += " made at " + O.location();
  if (!O.Operator.empty())
    Text += " (" + O.Operator + ")";
  if (O.Origin->ChainsAcrossIterations)
    Text += ", each linked to the previous iteration's: this line holds the "
            "chain";
  return Text;
}

std::string siteName(const std::string &File, int Line, int Thread,
                     const std::string &Boundary) {
  std::string Name = Boundary.empty() ? File + ":" + std::to_string(Line)
                                      : boundaryName(Boundary) + " (automatic)";
  if (Thread != 0)
    Name += " (thread " + std::to_string(Thread) + ")";
  return Name;
}

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
    for (const ResolvedOrigin &O : E.Origins)
      Out << describeOrigin(O)
          << (isFindingLine(O, F)
                  ? ": the finding's own line"
                  : ", kept alive by the finding's statement (line " +
                        std::to_string(F.Position.Line) + ")")
          << "\n";
    for (const ResolvedOrigin &O : E.GraphOrigins)
      Out << graphOriginLine(O)
          << (isFindingLine(O, F) ? ": the finding's own line" : "") << "\n";
  }
  Out << Confirmations.size() << " finding"
      << (Confirmations.size() == 1 ? "" : "s") << ": " << Counts[0]
      << " confirmed, " << Counts[1] << " not confirmed, " << Counts[2]
      << " not exercised\n";
  for (const SiteEvidence &E : Sites) {
    Out << "probe site " << siteName(E.File, E.Line, E.Thread, E.Boundary)
        << ": " << (E.grows() ? "grows" : "flat") << describeGrowth(E)
        << describePhasePeaks(E.PhasePeaks) << "\n";
    // Who keeps it: the finding whose evidence this site is, if any.
    const Confirmation *Keeper = nullptr;
    for (const Confirmation &C : Confirmations)
      if (C.Evidence && isSameSite(*C.Evidence, E) &&
          C.TheVerdict == Verdict::Confirmed)
        Keeper = &C;
    for (const ResolvedOrigin &O : E.Origins) {
      Out << describeOrigin(O);
      if (Keeper && isFindingLine(O, Keeper->TheFinding))
        Out << ": the line of [" << Keeper->TheFinding.Rule << "]";
      else if (Keeper)
        Out << ", kept alive by " << Keeper->TheFinding.File << ":"
            << Keeper->TheFinding.Position.Line << " ["
            << Keeper->TheFinding.Rule << "]";
      Out << "\n";
    }
    for (const ResolvedOrigin &O : E.GraphOrigins)
      Out << graphOriginLine(O) << "\n";
    if (E.grows() && E.HasOrigins && E.Origins.empty() &&
        E.GraphOrigins.empty())
      Out << "  no tensor outlives its iteration here: the growth is outside "
             "tensors (autograd graph nodes, host objects)\n";
  }
  return Out.str();
}

std::string leadsToText(const std::vector<Lead> &Leads,
                        const std::vector<std::string> &OriginNotes) {
  std::ostringstream Out;
  for (const Lead &L : Leads)
    Out << L.File << ":" << L.Line << ": lead [" << RuntimeGrowthRule
        << "]: " << L.Message << "\n";
  for (const std::string &Note : OriginNotes)
    Out << "note: " << Note << "\n";
  return Out.str();
}

namespace {

/// A confirmed finding's one-line evidence, for SARIF and GitHub.
std::string confirmedMessage(const Confirmation &C) {
  std::string Text = "confirmed at run time";
  if (C.Evidence) {
    Text += describeGrowth(*C.Evidence);
    for (const ResolvedOrigin &O : C.Evidence->Origins)
      Text += ";" + describeOrigin(O).substr(1);
  }
  return C.TheFinding.Message + " (" + Text + ")";
}

/// What confirm reports in SARIF and GitHub, as findings for the shared
/// writers: each confirmed finding with its evidence, then each lead.
ReportInput reportOf(const std::vector<Confirmation> &Confirmations,
                     const std::vector<Lead> &Leads,
                     const std::string &SourceRoot) {
  ReportInput Input;
  Input.SourceRoot = SourceRoot;
  Input.ToolName = "torch-tidy confirm";
  for (const Confirmation &C : Confirmations)
    if (C.TheVerdict == Verdict::Confirmed) {
      Finding F = C.TheFinding;
      F.Message = confirmedMessage(C);
      Input.Findings.push_back(std::move(F));
    }
  for (const Lead &L : Leads) {
    Finding F;
    F.Rule = RuntimeGrowthRule;
    F.File = L.File;
    F.Position = {L.Line, 1};
    F.Message = L.Message;
    Input.Findings.push_back(std::move(F));
  }
  return Input;
}

} // namespace

std::string confirmationsToSarif(const std::vector<Confirmation> &Confirmations,
                                 const std::vector<Lead> &Leads,
                                 const std::string &SourceRoot) {
  return renderSarif(reportOf(Confirmations, Leads, SourceRoot));
}

std::string
confirmationsToGithub(const std::vector<Confirmation> &Confirmations,
                      const std::vector<Lead> &Leads,
                      const std::string &SourceRoot) {
  return renderGithub(reportOf(Confirmations, Leads, SourceRoot));
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
                    const ConfirmOptions &Options,
                    const std::vector<Lead> &Leads,
                    const std::vector<std::string> &OriginNotes) {
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
  Out["leads"] = nlohmann::json::array();
  for (const Lead &L : Leads)
    Out["leads"].push_back({{"rule", RuntimeGrowthRule},
                            {"file", L.File},
                            {"line", L.Line},
                            {"message", L.Message},
                            {"site", siteToJson(L.Site)}});
  Out["origin_notes"] = OriginNotes;
  Out["failures"] = nlohmann::json::array();
  for (const RuntimeReport &Report : Reports)
    if (Report.Failure)
      Out["failures"].push_back(failureToJson(Report));
  return Out;
}

} // namespace torch_tidy
