//===--- InProcessAnalysis.h - Run the checks in this process ---*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_INPROCESSANALYSIS_H
#define TORCH_TIDY_ANALYZER_INPROCESSANALYSIS_H

#include "DriverOptions.h"
#include "FindingsFromDiagnostics.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <memory>
#include <string>
#include <vector>

namespace torch_tidy {

/// Runs the checks over \p Files one after another with clang-tidy's
/// machinery, prints clang-style diagnostics when the format is clang (or
/// always, in a worker), applies and exports fixes as asked, and returns the
/// findings.
AnalysisResult
analyseInProcess(const std::vector<std::string> &Files,
                 const clang::tooling::CompilationDatabase &Compilations,
                 std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Options,
                 const DriverSettings &Settings);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_INPROCESSANALYSIS_H
