//===--- ConfirmOutput.h - Printing verdicts --------------------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMOUTPUT_H
#define TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMOUTPUT_H

#include "Verdict.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace torch_tidy {

/// One line per finding: location, verdict, rule, evidence.
std::string confirmationsToText(const std::vector<Confirmation> &Confirmations,
                                const std::vector<SiteEvidence> &Sites);

/// One line per report that recorded an allocation failure.
std::string failuresToText(const std::vector<RuntimeReport> &Reports);

/// The versioned confirmation JSON (docs/formats.md); `failures` lists the
/// allocation failures the reports recorded.
nlohmann::json
confirmationsToJson(const std::vector<Confirmation> &Confirmations,
                    const std::vector<SiteEvidence> &Sites,
                    const std::vector<RuntimeReport> &Reports,
                    const ConfirmOptions &Options);

/// "198.4 KiB" and friends.
std::string formatBytes(double Bytes);

/// The automatic mode's site, named by what marks its boundaries:
/// "backward-pass" -> "each backward pass".
std::string boundaryName(const std::string &Boundary);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMOUTPUT_H
