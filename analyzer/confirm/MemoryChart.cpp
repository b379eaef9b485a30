//===--- MemoryChart.cpp - Memory per iteration as an SVG chart -----------===//

#include "MemoryChart.h"
#include "ConfirmOutput.h"
#include "Leads.h"
#include "PhaseSummary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace torch_tidy {

namespace {

constexpr double PanelWidth = 480, PanelHeight = 280;
constexpr double PlotLeft = 78, PlotRight = 16, PlotTop = 60, PlotBottom = 44;

std::string escapeXml(const std::string &Text) {
  std::string Out;
  for (char C : Text) {
    switch (C) {
    case '&':
      Out += "&amp;";
      break;
    case '<':
      Out += "&lt;";
      break;
    case '>':
      Out += "&gt;";
      break;
    case '"':
      Out += "&quot;";
      break;
    default:
      Out += C;
    }
  }
  return Out;
}

std::string number(double Value) {
  char Buffer[32];
  std::snprintf(Buffer, sizeof(Buffer), "%.1f", Value);
  return Buffer;
}

/// A step of 1, 2 or 5 times a power of ten giving about \p Count ticks.
double niceStep(double Range, int Count) {
  if (Range <= 0)
    return 1;
  double Raw = Range / Count;
  double Power = std::pow(10.0, std::floor(std::log10(Raw)));
  for (double Factor : {1.0, 2.0, 5.0})
    if (Raw <= Factor * Power)
      return Factor * Power;
  return 10 * Power;
}

std::vector<double> ticks(double Low, double High, double Step) {
  std::vector<double> Out;
  for (double T = std::ceil(Low / Step - 1e-9) * Step; T <= High + 1e-9 * Step;
       T += Step)
    Out.push_back(std::fabs(T) < Step * 1e-9 ? 0 : T);
  return Out;
}

std::string tickLabel(double Value, double Step) {
  char Buffer[32];
  int Decimals = Step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(Step)));
  std::snprintf(Buffer, sizeof(Buffer), "%.*f", Decimals, Value);
  return Buffer;
}

const char *metricTitle(const std::string &Metric) {
  if (Metric == "cpu_tensor_bytes")
    return "CPU tensor bytes";
  if (Metric == "host_heap_other_bytes")
    return "host heap outside tensors";
  return nullptr;
}

std::string baseName(const std::string &Path) {
  auto Slash = Path.find_last_of('/');
  return Slash == std::string::npos ? Path : Path.substr(Slash + 1);
}

/// The growth of a metric split by origin: a stacked bar across the top of
/// the plot, then one legend line per origin.
void drawOriginBreakdown(std::ostringstream &Out, double Left, double Right,
                         double Top, const MetricGrowth &Growth,
                         const std::vector<ResolvedOrigin> &Origins) {
  static const char *const Colors[] = {"#d95f02", "#7570b3", "#e7298a",
                                       "#66a61e"};
  double Total = Growth.Fit.SlopePerIteration;
  if (Total <= 0 || Origins.empty())
    return;
  double Width = Right - Left - 8, X = Left + 4, Y = Top + 4;
  double Named = 0;
  Out << "<g class=\"breakdown\">\n";
  for (size_t I = 0; I < Origins.size(); ++I) {
    double Share =
        std::min(Origins[I].Origin->BytesPerIteration, Total - Named) / Total;
    if (Share <= 0)
      break;
    Named += Share * Total;
    std::string Label = "+" + formatBytes(Origins[I].Origin->BytesPerIteration) +
                        "/it " + Origins[I].location() +
                        (Origins[I].Operator.empty()
                             ? ""
                             : " (" + Origins[I].Operator + ")");
    const char *Color = Colors[I % 4];
    Out << "<rect class=\"origin\" x=\"" << number(X) << "\" y=\""
        << number(Y) << "\" width=\"" << number(Share * Width)
        << "\" height=\"10\" fill=\"" << Color << "\"><title>"
        << escapeXml(Label) << "</title></rect>\n";
    Out << "<text class=\"legend\" x=\"" << number(Left + 4) << "\" y=\""
        << number(Y + 24 + 12 * static_cast<double>(I)) << "\" fill=\""
        << Color << "\">" << escapeXml(Label) << "</text>\n";
    X += Share * Width;
  }
  if (Named < Total)
    Out << "<rect class=\"origin other\" x=\"" << number(X) << "\" y=\""
        << number(Y) << "\" width=\"" << number(Left + 4 + Width - X)
        << "\" height=\"10\" fill=\"#ccc\"><title>other origins</title>"
           "</rect>\n";
  Out << "</g>\n";
}

/// One polyline per phase (class "phase phase-<name>") and a legend with
/// each phase's median peak.
template <typename ToX, typename ToY>
void drawPhasePeaks(std::ostringstream &Out,
                    const std::vector<PhaseSeries> &Phases, ToX PX, ToY PY) {
  std::string Legend;
  for (const PhaseSeries &P : Phases) {
    Out << "<polyline class=\"phase phase-" << escapeXml(P.Phase)
        << "\" points=\"";
    for (size_t I = 0; I < P.Iterations.size(); ++I)
      Out << (I ? " " : "") << number(PX(P.Iterations[I])) << ","
          << number(PY(P.PeakBytes[I]));
    Out << "\"/>\n";
    Legend += (Legend.empty() ? "phase peaks (median): " : ", ") + P.Phase +
              " " + formatBytes(median(P.PeakBytes));
  }
  if (!Legend.empty())
    Out << "<text class=\"phase-legend\" x=\"10\" y=\"50\">"
        << escapeXml(Legend) << "</text>\n";
}

void drawPanel(std::ostringstream &Out, double OriginX, double OriginY,
               const ProbeSite &Site, const MetricSeries &Series,
               const MetricGrowth &Growth, const ConfirmOptions &Options,
               const std::vector<ResolvedOrigin> &Origins) {
  Out << "<g class=\"panel\" transform=\"translate(" << OriginX << ","
      << OriginY << ")\">\n";
  Out << "<rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"" << PanelWidth - 1
      << "\" height=\"" << PanelHeight - 1 << "\"/>\n";
  std::string SiteLabel = Site.isAutomatic() ? boundaryName(Site.Boundary)
                                             : baseName(Site.File) + ":" +
                                                   std::to_string(Site.Line);
  if (Site.Thread != 0)
    SiteLabel += " thread " + std::to_string(Site.Thread);
  const char *Title = metricTitle(Series.Metric);
  Out << "<text class=\"title\" x=\"10\" y=\"18\">" << escapeXml(SiteLabel)
      << " \u2014 " << escapeXml(Title ? Title : Series.Metric) << "</text>\n";
  char Tau[16];
  std::snprintf(Tau, sizeof(Tau), "%.2f", Growth.Fit.KendallTau);
  Out << "<text class=\"" << (Growth.Grows ? "grows" : "flat")
      << "\" x=\"10\" y=\"36\">" << (Growth.Grows ? "grows " : "flat ")
      << (Growth.Fit.SlopePerIteration >= 0 ? "+" : "")
      << escapeXml(formatBytes(Growth.Fit.SlopePerIteration))
      << "/iteration (Theil-Sen), tau " << Tau << "</text>\n";
  Out << "<title>"
      << escapeXml(Site.isAutomatic()
                       ? SiteLabel
                       : Site.File + ":" + std::to_string(Site.Line))
      << "</title>\n";

  if (Series.Iterations.empty()) {
    Out << "<text x=\"" << PanelWidth / 2 << "\" y=\"" << PanelHeight / 2
        << "\" text-anchor=\"middle\">no samples</text>\n</g>\n";
    return;
  }
  double X0 = Series.Iterations.front(), X1 = Series.Iterations.back();
  if (X1 <= X0)
    X1 = X0 + 1;
  auto [MinIt, MaxIt] =
      std::minmax_element(Series.Bytes.begin(), Series.Bytes.end());
  double Y0 = *MinIt, Y1 = *MaxIt;
  // Phase peaks share the axis: they show how far above the boundary's
  // live bytes each phase goes.
  std::vector<PhaseSeries> Phases = phaseSeries(Site, Series.Metric);
  for (const PhaseSeries &P : Phases)
    for (double Bytes : P.PeakBytes)
      Y1 = std::max(Y1, Bytes);
  // The unit of the axis follows its largest value.
  double Largest = std::max(std::fabs(Y0), std::fabs(Y1));
  const char *Units[] = {"B", "KiB", "MiB", "GiB"};
  int Unit = 0;
  while (Unit < 3 && Largest >= 1024.0 * std::pow(1024.0, Unit))
    ++Unit;
  double Scale = std::pow(1024.0, Unit);
  double Low = Y0 / Scale, High = Y1 / Scale;
  if (High - Low < 1e-9) { // Flat: a band around the value.
    Low -= std::max(1.0, std::fabs(Low) * 0.05);
    High += std::max(1.0, std::fabs(High) * 0.05);
  }
  double YStep = niceStep(High - Low, 5);
  Low = std::floor(Low / YStep) * YStep;
  High = std::ceil(High / YStep) * YStep;

  double Left = PlotLeft, Right = PanelWidth - PlotRight;
  double Top = PlotTop, Bottom = PanelHeight - PlotBottom;
  auto PX = [&](double X) {
    return Left + (X - X0) / (X1 - X0) * (Right - Left);
  };
  auto PY = [&](double Bytes) {
    return Bottom - (Bytes / Scale - Low) / (High - Low) * (Bottom - Top);
  };

  // Warm-up iterations are not fitted.
  double WarmupEnd = std::min<double>(Options.WarmupIterations, X1);
  if (WarmupEnd > X0)
    Out << "<rect class=\"warmup\" x=\"" << number(Left) << "\" y=\""
        << number(Top) << "\" width=\"" << number(PX(WarmupEnd) - Left)
        << "\" height=\"" << number(Bottom - Top) << "\"/>\n";

  for (double T : ticks(Low, High, YStep)) {
    double Y = Bottom - (T - Low) / (High - Low) * (Bottom - Top);
    Out << "<line class=\"grid\" x1=\"" << number(Left) << "\" y1=\""
        << number(Y) << "\" x2=\"" << number(Right) << "\" y2=\"" << number(Y)
        << "\"/>\n<text class=\"tick\" x=\"" << number(Left - 6) << "\" y=\""
        << number(Y + 4) << "\" text-anchor=\"end\">" << tickLabel(T, YStep)
        << "</text>\n";
  }
  double XStep = std::max(1.0, niceStep(X1 - X0, 6));
  for (double T : ticks(X0, X1, XStep))
    Out << "<text class=\"tick\" x=\"" << number(PX(T)) << "\" y=\""
        << number(Bottom + 16) << "\" text-anchor=\"middle\">"
        << tickLabel(T, XStep) << "</text>\n";
  Out << "<line class=\"axis\" x1=\"" << number(Left) << "\" y1=\""
      << number(Bottom) << "\" x2=\"" << number(Right) << "\" y2=\""
      << number(Bottom) << "\"/>\n<line class=\"axis\" x1=\"" << number(Left)
      << "\" y1=\"" << number(Top) << "\" x2=\"" << number(Left) << "\" y2=\""
      << number(Bottom) << "\"/>\n";
  Out << "<text class=\"label\" x=\"" << number((Left + Right) / 2) << "\" y=\""
      << number(PanelHeight - 8)
      << "\" text-anchor=\"middle\">iteration</text>\n";
  Out << "<text class=\"label\" transform=\"translate(16,"
      << number((Top + Bottom) / 2) << ") rotate(-90)\" text-anchor=\"middle\">"
      << Units[Unit] << "</text>\n";

  Out << "<polyline class=\"series\" points=\"";
  for (size_t I = 0; I < Series.Iterations.size(); ++I)
    Out << (I ? " " : "") << number(PX(Series.Iterations[I])) << ","
        << number(PY(Series.Bytes[I]));
  Out << "\"/>\n";

  drawPhasePeaks(Out, Phases, PX, PY);

  if (Growth.Fit.Samples >= 2) {
    double FitStart = std::max(X0, WarmupEnd);
    auto FitY = [&](double X) {
      return Growth.Fit.Intercept + Growth.Fit.SlopePerIteration * X;
    };
    Out << "<line class=\"fit\" x1=\"" << number(PX(FitStart)) << "\" y1=\""
        << number(PY(FitY(FitStart))) << "\" x2=\"" << number(PX(X1))
        << "\" y2=\"" << number(PY(FitY(X1))) << "\"/>\n";
  }
  if (Growth.Grows && Series.Metric == "cpu_tensor_bytes")
    drawOriginBreakdown(Out, Left, Right, Top, Growth, Origins);
  Out << "</g>\n";
}

} // namespace

std::string renderMemoryChart(const std::vector<RuntimeReport> &Reports,
                              const ConfirmOptions &Options,
                              const std::vector<SiteEvidence> *Named) {
  struct Row {
    const RuntimeReport *Report;
    const ProbeSite *Site;
    std::vector<MetricSeries> Metrics;
    SiteEvidence Evidence;
  };
  std::vector<Row> Rows;
  size_t Columns = 1;
  for (const RuntimeReport &Report : Reports)
    for (const ProbeSite &Site : Report.Sites) {
      Row R{&Report, &Site, siteMetrics(Site, Report),
            evaluateSite(Site, Report, Options)};
      Columns = std::max(Columns, R.Metrics.size());
      Rows.push_back(std::move(R));
    }
  double Width = static_cast<double>(Columns) * PanelWidth + 20;
  double Height = 40 + static_cast<double>(std::max<size_t>(Rows.size(), 1)) *
                           (PanelHeight + 10);
  std::ostringstream Out;
  Out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << Width
      << "\" height=\"" << Height << "\" viewBox=\"0 0 " << Width << " "
      << Height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<style>\n"
         ".frame{fill:#fff;stroke:#ccc}.grid{stroke:#eee}"
         ".axis{stroke:#333}.tick{fill:#555;font-size:11px}"
         ".label{fill:#333}.title{font-weight:bold}"
         ".grows{fill:#b00020}.flat{fill:#2e7d32}"
         ".warmup{fill:#f2f2f2}"
         ".series{fill:none;stroke:#1f5fbf;stroke-width:1.5}"
         ".fit{stroke:#d2691e;stroke-width:1.5;stroke-dasharray:6 4}"
         ".legend{font-size:10px}\n"
         ".phase{fill:none;stroke-width:1;stroke-dasharray:2 2}"
         ".phase-forward{stroke:#7b1fa2}.phase-backward{stroke:#c62828}"
         ".phase-optimizer{stroke:#00897b}.phase-legend{fill:#555;"
         "font-size:10px}\n"
         "</style>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#fafafa\"/>\n"
      << "<text x=\"10\" y=\"24\" font-size=\"15\">torch-tidy: memory per "
         "iteration at each probe site (blue: live bytes at the boundary; "
         "dotted: each phase's peak; dashed: Theil-Sen fit after "
      << Options.WarmupIterations << " warm-up iterations, shaded)</text>\n";
  const std::vector<ResolvedOrigin> NoOrigins;
  if (Rows.empty())
    Out << "<text x=\"10\" y=\"60\">no probe sites in the reports</text>\n";
  for (size_t R = 0; R < Rows.size(); ++R) {
    const Row &TheRow = Rows[R];
    const std::vector<ResolvedOrigin> *Origins = &NoOrigins;
    if (Named)
      for (const SiteEvidence &E : *Named)
        if (isSameSite(E, TheRow.Evidence))
          Origins = &E.Origins;
    for (size_t M = 0; M < TheRow.Metrics.size(); ++M)
      drawPanel(Out, 10 + static_cast<double>(M) * PanelWidth,
                40 + static_cast<double>(R) * (PanelHeight + 10), *TheRow.Site,
                TheRow.Metrics[M], TheRow.Evidence.Metrics[M], Options,
                *Origins);
  }
  Out << "</svg>\n";
  return Out.str();
}

} // namespace torch_tidy
