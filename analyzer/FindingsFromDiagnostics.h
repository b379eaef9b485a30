//===--- FindingsFromDiagnostics.h - Diagnostics as findings ----*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_FINDINGSFROMDIAGNOSTICS_H
#define TORCH_TIDY_ANALYZER_FINDINGSFROMDIAGNOSTICS_H

#include "Findings.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"

#include <vector>

namespace torch_tidy {

struct AnalysisResult {
  std::vector<Finding> Findings;
  std::vector<AnalysisError> Errors; // Compiler errors.
  /// The fix-its as YAML for --export-fixes (runs in one process only).
  std::string ExportedFixes;
};

/// Turns clang-tidy's diagnostics into findings with stable ids and the
/// range of the loop that each is about, and compiler errors into errors.
AnalysisResult
collectFindings(llvm::ArrayRef<clang::tidy::ClangTidyError> Diagnostics);

/// "file:line:col: error: message", or "file: error: message" when the
/// error has no position (a crashed or stopped analysis).
std::string formatAnalysisError(const AnalysisError &Error);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_FINDINGSFROMDIAGNOSTICS_H
