//===--- AnalyzeCommand.h - `torch-tidy [options] files` --------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_ANALYZECOMMAND_H
#define TORCH_TIDY_ANALYZER_ANALYZECOMMAND_H

#include "ExitCodes.h" // The commands' exit codes, shared by every subcommand.

namespace torch_tidy {

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
