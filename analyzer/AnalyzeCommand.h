//===--- AnalyzeCommand.h - `torch-tidy [options] files` --------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_ANALYZECOMMAND_H
#define TORCH_TIDY_ANALYZER_ANALYZECOMMAND_H

namespace torch_tidy {

/// Exit codes of the torch-tidy command (docs/usage.md).
enum ExitCode : int {
  ExitSuccess = 0,       // No findings, or findings that are not errors.
  ExitFindingErrors = 1, // Findings promoted to errors.
  ExitUsageError = 2,    // Bad flags, configuration or input files.
  ExitAnalysisError = 3, // A file could not be analysed (compiler errors).
};

/// Runs the torch- checks over the given files and reports the findings.
int runAnalyzeCommand(int Argc, const char **Argv);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_ANALYZECOMMAND_H
