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

/// `torch-tidy summarize`: writes the merged summaries of every translation
/// unit of the compile database to --output, for the clang-tidy plugin's
/// option torch-tidy.ProjectSummaries.
int runSummarizeCommand(int Argc, const char **Argv);

/// Both: the analysis, or with \p SummarizeOnly the summaries alone.
int runDriver(int Argc, const char **Argv, bool SummarizeOnly);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_ANALYZECOMMAND_H
