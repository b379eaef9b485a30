//===--- ProjectQuestions.h - What checks read of the project --*- C++ -*-===//
//
// A file's findings depend on its own inputs and on the parts of the
// project's summaries that its checks read. The checks note here, by USR,
// each function of another file whose summary they read, and each function
// of the file whose callers in other files they looked at; the driver keeps
// both lists with the file's cached findings, which stay valid while the
// summaries they lead to are unchanged (ProjectSummaries::viewJson).
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_PROJECTQUESTIONS_H
#define TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_PROJECTQUESTIONS_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace clang::tidy::torch {

struct ProjectQuestions {
  /// Functions of other files whose summaries were read. Sorted.
  std::vector<std::string> SummariesRead;
  /// Functions whose callers in other files were looked at. Sorted.
  std::vector<std::string> CallersRead;
};

/// Notes that the checks of this process read the summary of \p Usr.
/// Process-wide: one process analyses one file at a time (a worker), and
/// what the plugin notes is never read.
void noteSummaryRead(llvm::StringRef Usr);

/// Notes that the checks of this process looked at the callers of \p Usr in
/// other files.
void noteCallersRead(llvm::StringRef Usr);

/// What was noted since the last call, and forgets it.
ProjectQuestions takeProjectQuestions();

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_PROJECTQUESTIONS_H
