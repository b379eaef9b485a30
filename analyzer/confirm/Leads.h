//===--- Leads.h - Growth that no finding explains --------------*- C++ -*-===//
//
// Joins origins with findings: each growing site gets its origins named,
// and a growing site that no finding covers becomes a lead, a result of
// rule `torch-runtime-growth` that points at the line its largest origin
// was allocated at.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_LEADS_H
#define TORCH_TIDY_ANALYZER_CONFIRM_LEADS_H

#include "OriginLines.h"
#include "RuleCatalog.h"
#include "Verdict.h"

#include <string>
#include <vector>

namespace torch_tidy {

/// Origins named per growing site.
inline constexpr size_t OriginsPerSite = 3;

/// Names the origins of every growing site, in \p Sites and in the
/// evidence of \p Confirmations.
void attachOrigins(std::vector<Confirmation> &Confirmations,
                   std::vector<SiteEvidence> &Sites,
                   const std::vector<RuntimeReport> &Reports,
                   OriginResolver &Resolver);

struct Lead {
  SiteEvidence Site;
  std::string File; // The largest origin's line, else the site's.
  int Line = 0;
  std::string Message;
};

/// Growing sites that are no finding's evidence.
std::vector<Lead> findLeads(const std::vector<Confirmation> &Confirmations,
                            const std::vector<SiteEvidence> &Sites);

/// True when \p A and \p B are the same site of the same report.
bool isSameSite(const SiteEvidence &A, const SiteEvidence &B);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_LEADS_H
