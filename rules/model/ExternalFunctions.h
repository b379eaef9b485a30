//===--- ExternalFunctions.h - Functions defined in other files -*- C++ -*-===//
//
// A user function that this translation unit only declares is defined in
// another file of the project. When the driver (or a summaries file named
// by ProjectSummariesOption) gives the project's summaries, the model reads
// such a function by its summary instead of guessing.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_EXTERNALFUNCTIONS_H
#define TORCH_TIDY_RULES_MODEL_EXTERNALFUNCTIONS_H

#include "TorchTidyRules/ProjectSummaries.h"

#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

#include <memory>

namespace clang::tidy::torch {

class ExternalFunctions {
public:
  explicit ExternalFunctions(
      std::shared_ptr<const ProjectSummaries> Project = nullptr)
      : Project(std::move(Project)) {}

  /// The summary of \p Function when this translation unit has no body of
  /// it and the project has one; null otherwise (library functions, no
  /// project, or a function nothing in the project defines).
  const FunctionSummary *summaryOf(const FunctionDecl *Function);

  /// While set, every function asked about by summaryOf() that has no body
  /// here is added to \p Sink by USR, summarised or not: what an answer
  /// depends on, for a summary of this file's own functions.
  void recordQuestionsInto(llvm::StringSet<> *Sink) { Questions = Sink; }

  const ProjectSummaries *project() const { return Project.get(); }

  /// The USR of \p Function, computed once.
  llvm::StringRef usrOf(const FunctionDecl *Function);

private:
  std::shared_ptr<const ProjectSummaries> Project;
  llvm::DenseMap<const FunctionDecl *, std::string> Usrs;
  llvm::StringSet<> *Questions = nullptr;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_EXTERNALFUNCTIONS_H
