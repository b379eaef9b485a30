//===--- Leads.cpp - Growth that no finding explains ----------------------===//

#include "Leads.h"
#include "ConfirmOutput.h"

#include <algorithm>

namespace torch_tidy {

bool isSameSite(const SiteEvidence &A, const SiteEvidence &B) {
  return A.ReportPath == B.ReportPath && A.File == B.File &&
         A.Line == B.Line && A.Thread == B.Thread && A.Boundary == B.Boundary;
}

namespace {

const ProbeSite *findSite(const SiteEvidence &E,
                          const std::vector<RuntimeReport> &Reports) {
  for (const RuntimeReport &Report : Reports) {
    if (Report.Path != E.ReportPath)
      continue;
    for (const ProbeSite &Site : Report.Sites)
      if (Site.File == E.File && Site.Line == E.Line &&
          Site.Thread == E.Thread && Site.Boundary == E.Boundary)
        return &Site;
  }
  return nullptr;
}

const RuntimeReport *findReport(const SiteEvidence &E,
                                const std::vector<RuntimeReport> &Reports) {
  for (const RuntimeReport &Report : Reports)
    if (Report.Path == E.ReportPath)
      return &Report;
  return nullptr;
}

void attach(SiteEvidence &E, const std::vector<RuntimeReport> &Reports,
            OriginResolver &Resolver) {
  const RuntimeReport *Report = findReport(E, Reports);
  const ProbeSite *Site = findSite(E, Reports);
  if (!Report || !Site)
    return;
  E.HasOrigins = Report->HasOrigins;
  if (!E.grows() || !Report->HasOrigins)
    return;
  // Origins smaller than this share of the growth are noise next to it.
  double Smallest = std::max(64.0, 0.02 * E.growthBytesPerIteration());
  E.Origins = Resolver.resolve(*Site, *Report, OriginsPerSite, Smallest);
  bool GraphGrows = std::any_of(
      E.Metrics.begin(), E.Metrics.end(), [](const MetricGrowth &M) {
        return M.Grows && M.Metric == "host_heap_other_bytes";
      });
  if (GraphGrows)
    E.GraphOrigins = Resolver.resolveGraph(*Site, *Report, OriginsPerSite);
}

} // namespace

void attachOrigins(std::vector<Confirmation> &Confirmations,
                   std::vector<SiteEvidence> &Sites,
                   const std::vector<RuntimeReport> &Reports,
                   OriginResolver &Resolver) {
  for (SiteEvidence &E : Sites)
    attach(E, Reports, Resolver);
  for (Confirmation &C : Confirmations)
    if (C.Evidence)
      attach(*C.Evidence, Reports, Resolver);
}

std::vector<Lead> findLeads(const std::vector<Confirmation> &Confirmations,
                            const std::vector<SiteEvidence> &Sites) {
  std::vector<Lead> Leads;
  for (const SiteEvidence &E : Sites) {
    if (!E.grows())
      continue;
    bool Explained = std::any_of(
        Confirmations.begin(), Confirmations.end(),
        [&](const Confirmation &C) {
          return C.Evidence && isSameSite(*C.Evidence, E);
        });
    if (Explained)
      continue;
    Lead L;
    L.Site = E;
    L.File = E.File;
    L.Line = E.Line;
    std::string Growth = formatBytes(E.growthBytesPerIteration());
    std::string At = siteName(E.File, E.Line, E.Thread, E.Boundary);
    if (!E.Origins.empty() && E.Origins.front().Naming == OriginNaming::Line) {
      const ResolvedOrigin &Top = E.Origins.front();
      L.File = Top.File;
      L.Line = Top.Line;
      L.Message = "+" + formatBytes(Top.Origin->BytesPerIteration) +
                  "/iteration allocated here" +
                  (Top.Operator.empty() ? "" : " (" + Top.Operator + ")") +
                  (Top.Origin->CudaDevice < 0
                       ? ""
                       : " on cuda:" + std::to_string(Top.Origin->CudaDevice)) +
                  " outlives its iteration at probe site " + At +
                  ", which grows +" + Growth +
                  "/iteration; no torch-tidy rule explains it";
    } else if (!E.GraphOrigins.empty() &&
               E.GraphOrigins.front().Naming == OriginNaming::Line) {
      const ResolvedOrigin &Top = E.GraphOrigins.front();
      L.File = Top.File;
      L.Line = Top.Line;
      L.Message = describeGraphOrigin(Top) + "; the heap outside tensors "
                  "grows +" + Growth + "/iteration at probe site " + At +
                  " and no torch-tidy rule explains it";
    } else {
      L.Message = "memory grows +" + Growth + "/iteration at probe site " +
                  At + " and no torch-tidy rule explains it";
      if (!E.HasOrigins)
        L.Message += "; rerun with TORCH_TIDY_ORIGINS=1 to find the line "
                     "that allocates it";
      else if (!E.Origins.empty())
        L.Message += "; its largest origin is " + E.Origins.front().location();
      else
        L.Message += "; no tensor outlives its iteration, so the growth is "
                     "outside tensors (autograd graph nodes, host objects)";
    }
    Leads.push_back(std::move(L));
  }
  return Leads;
}

} // namespace torch_tidy
