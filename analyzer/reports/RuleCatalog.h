//===--- RuleCatalog.h - What each torch- rule is, for reports --*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_REPORTS_RULECATALOG_H
#define TORCH_TIDY_ANALYZER_REPORTS_RULECATALOG_H

#include <string>
#include <vector>

namespace torch_tidy {

/// A rule's description for SARIF and other reports. The full text of each
/// rule is its page under docs/rules/.
struct RuleInfo {
  std::string Name;
  std::string Summary; // One sentence.
  std::string Help;    // A short paragraph: why memory grows, the fix.
  bool EnabledByDefault;
};

const std::vector<RuleInfo> &ruleCatalog();

/// The rule of `torch-tidy confirm`'s leads: memory that grows at run time
/// where no static finding explains it. Not a check; a rule of the reports.
inline constexpr const char *RuntimeGrowthRule = "torch-runtime-growth";

/// The checks the driver runs when nothing configures them: every rule of
/// the catalog that is on by default (`-*,torch-*,-<each rule that is off>`).
const std::string &defaultChecksGlob();

/// The rule's entry, or a generic one for names outside the catalog.
RuleInfo ruleInfo(const std::string &Name);

/// docs/rules/<name>.md relative to the repository root.
std::string ruleDocPath(const std::string &Name);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_REPORTS_RULECATALOG_H
