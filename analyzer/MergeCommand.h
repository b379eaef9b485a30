//===--- MergeCommand.h - `torch-tidy merge` --------------------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_MERGECOMMAND_H
#define TORCH_TIDY_ANALYZER_MERGECOMMAND_H

namespace torch_tidy {

/// `merge [--format=F] [--output=FILE] [--source-root=DIR] a.json b.json...`:
/// joins findings files (e.g. of CI shards) into one report in any format.
/// Argv[0] is "merge". Exit codes: 0 done, 2 bad arguments or input.
int runMergeCommand(int Argc, const char **Argv);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_MERGECOMMAND_H
