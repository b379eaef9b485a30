//===--- ConfirmOutput.h - Printing verdicts --------------------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMOUTPUT_H
#define TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMOUTPUT_H

#include "Leads.h"
#include "Verdict.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace torch_tidy {

/// One line per finding: location, verdict, rule, evidence.
std::string confirmationsToText(const std::vector<Confirmation> &Confirmations,
                                const std::vector<SiteEvidence> &Sites);

/// One line per lead (growth no finding explains), then one per note about
/// naming origins (a rebuilt binary, no line tables).
std::string leadsToText(const std::vector<Lead> &Leads,
                        const std::vector<std::string> &OriginNotes);

/// SARIF 2.1.0, written as the analysis writes it (ReportFormats.h): a
/// result per confirmed finding (its rule, its evidence in the message) and
/// per lead (rule torch-runtime-growth), paths relative to \p SourceRoot.
std::string confirmationsToSarif(const std::vector<Confirmation> &Confirmations,
                                 const std::vector<Lead> &Leads,
                                 const std::string &SourceRoot);

/// GitHub Actions workflow commands, one `::warning` per confirmed finding
/// and per lead, through the analysis's writer.
std::string
confirmationsToGithub(const std::vector<Confirmation> &Confirmations,
                      const std::vector<Lead> &Leads,
                      const std::string &SourceRoot);

/// "+1.0 autograd nodes/iteration (AddBackward0) created here
/// (aten::add_), each linked to the previous iteration's".
std::string describeGraphOrigin(const ResolvedOrigin &O);

/// "file:line", with " (thread N)" for threads after the first; the
/// automatic mode's site is named by its boundary.
std::string siteName(const std::string &File, int Line, int Thread,
                     const std::string &Boundary);

/// One line per report that recorded an allocation failure.
std::string failuresToText(const std::vector<RuntimeReport> &Reports);

/// The versioned confirmation JSON (docs/formats.md); `failures` lists the
/// allocation failures the reports recorded.
nlohmann::json
confirmationsToJson(const std::vector<Confirmation> &Confirmations,
                    const std::vector<SiteEvidence> &Sites,
                    const std::vector<RuntimeReport> &Reports,
                    const ConfirmOptions &Options,
                    const std::vector<Lead> &Leads = {},
                    const std::vector<std::string> &OriginNotes = {});

/// "198.4 KiB" and friends.
std::string formatBytes(double Bytes);

/// The automatic mode's site, named by what marks its boundaries:
/// "backward-pass" -> "each backward pass".
std::string boundaryName(const std::string &Boundary);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMOUTPUT_H
