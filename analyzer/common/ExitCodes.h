//===--- ExitCodes.h - Exit codes of every torch-tidy command ---*- C++ -*-===//
//
// One table for the analysis, summarize, merge, confirm and fit, so that a
// script sees the same number for the same kind of failure whichever
// subcommand it ran (docs/usage.md, "Exit codes"). Some numbers mean
// different things in different commands; their names say which.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_COMMON_EXITCODES_H
#define TORCH_TIDY_ANALYZER_COMMON_EXITCODES_H

namespace torch_tidy {

enum ExitCode : int {
  ExitSuccess = 0,
  /// The analysis: findings promoted to errors (or any, with --fail-on).
  ExitFindingErrors = 1,
  /// fit: not even batch size 1 fits.
  ExitNothingFits = 1,
  /// Every command: bad arguments or configuration, input that cannot be
  /// read, output that cannot be written.
  ExitUsageError = 2,
  /// The analysis: a file could not be analysed (compiler errors, a crash,
  /// --timeout).
  ExitAnalysisError = 3,
  /// fit: a run of the command failed.
  ExitRunFailed = 3,
  /// fit: the runs give no answer.
  ExitNoAnswer = 4,
};

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_COMMON_EXITCODES_H
