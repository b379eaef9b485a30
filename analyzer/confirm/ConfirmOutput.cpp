//===--- ConfirmOutput.cpp - Printing verdicts ----------------------------===//

#include "ConfirmOutput.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace torch_tidy {

namespace {

const char *describeMetric(const std::string &Metric) {
  if (Metric == "cpu_tensor_bytes")
    return "CPU tensor memory";
  return "host heap outside tensors (graph nodes)";
}

std::string formatCount(double Value) {
  std::string Digits = std::to_string(static_cast<long long>(std::llround(Value)));
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
std::string describeGrowth(const SiteEvidence &E) {
  std::ostringstream Out;
  const char *Separator = ": ";
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

nlohmann::json siteToJson(const SiteEvidence &E) {
  nlohmann::json Metrics = nlohmann::json::array();
  for (const MetricGrowth &M : E.Metrics)
    Metrics.push_back({{"metric", M.Metric},
                       {"bytes_per_iteration", M.Fit.SlopePerIteration},
                       {"kendall_tau", M.Fit.KendallTau},
                       {"grows", M.Grows}});
  nlohmann::json J = {{"report", E.ReportPath},
                      {"site", {{"file", E.File}, {"line", E.Line}}},
                      {"iterations", E.Iterations},
                      {"grows", E.grows()},
                      {"bytes_per_iteration", E.growthBytesPerIteration()},
                      {"metrics", Metrics}};
  if (E.IterationsUntilOom)
    J["iterations_until_oom"] = *E.IterationsUntilOom;
  return J;
}

} // namespace

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

std::string
confirmationsToText(const std::vector<Confirmation> &Confirmations,
                    const std::vector<SiteEvidence> &Sites) {
  std::ostringstream Out;
  int Counts[3] = {0, 0, 0};
  for (const Confirmation &C : Confirmations) {
    ++Counts[static_cast<int>(C.TheVerdict)];
    const Finding &F = C.TheFinding;
    Out << F.File << ":" << F.Position.Line << ":" << F.Position.Column
        << ": " << verdictName(C.TheVerdict) << " [" << F.Rule << "]";
    if (!C.Evidence) {
      Out << ": no probe site inside the loop ran; add TORCH_TIDY_ITERATION() "
             "to the loop body and run with TORCH_TIDY_REPORT set\n";
      continue;
    }
    const SiteEvidence &E = *C.Evidence;
    Out << describeGrowth(E) << " at " << E.File << ":" << E.Line;
    if (C.TheVerdict == Verdict::Confirmed && E.IterationsUntilOom)
      Out << "; host memory runs out after about "
          << formatCount(*E.IterationsUntilOom) << " more iterations";
    Out << "\n";
  }
  Out << Confirmations.size() << " finding"
      << (Confirmations.size() == 1 ? "" : "s") << ": " << Counts[0]
      << " confirmed, " << Counts[1] << " not confirmed, " << Counts[2]
      << " not exercised\n";
  for (const SiteEvidence &E : Sites)
    Out << "probe site " << E.File << ":" << E.Line << ": "
        << (E.grows() ? "grows" : "flat") << describeGrowth(E) << "\n";
  return Out.str();
}

nlohmann::json
confirmationsToJson(const std::vector<Confirmation> &Confirmations,
                    const std::vector<SiteEvidence> &Sites,
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
                        {"verdict", verdictName(C.TheVerdict)}};
    if (C.Evidence)
      J["evidence"] = siteToJson(*C.Evidence);
    Out["findings"].push_back(std::move(J));
  }
  Out["sites"] = nlohmann::json::array();
  for (const SiteEvidence &E : Sites)
    Out["sites"].push_back(siteToJson(E));
  return Out;
}

} // namespace torch_tidy
