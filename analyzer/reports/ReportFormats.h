//===--- ReportFormats.h - Findings as SARIF, GitHub, GitLab ----*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_REPORTS_REPORTFORMATS_H
#define TORCH_TIDY_ANALYZER_REPORTS_REPORTFORMATS_H

#include "Findings.h"

#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

enum class ReportFormat { Clang, Json, Sarif, Github, Gitlab };

/// "json" -> Json, ...; nullopt for an unknown name.
std::optional<ReportFormat> parseReportFormat(const std::string &Name);

struct ReportInput {
  std::vector<Finding> Findings;
  std::vector<AnalysisError> Errors;
  /// Paths in SARIF, GitHub and GitLab reports are relative to this
  /// directory (the repository root), as code-scanning services expect.
  std::string SourceRoot;
  /// The tool in SARIF's run.
  std::string ToolName = "torch-tidy";
};

/// Renders every format but Clang, which clang-tidy's printer writes.
std::string renderReport(ReportFormat Format, const ReportInput &Input);

std::string renderSarif(const ReportInput &Input);
std::string renderGithub(const ReportInput &Input);
std::string renderGitlab(const ReportInput &Input);

/// \p Path relative to \p Root when it lies below it, else unchanged.
std::string relativeToRoot(const std::string &Path, const std::string &Root);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_REPORTS_REPORTFORMATS_H
