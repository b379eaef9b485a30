//===--- ReturnSummaries.h - What user functions return ---------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_MODEL_RETURNSUMMARIES_H
#define TORCH_TIDY_RULES_MODEL_RETURNSUMMARIES_H

#include "FunctionBodyIndex.h"
#include "RecursiveMemo.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <functional>

namespace clang::tidy::torch {

/// The definition of \p Function when it has a body in user code (as judged
/// by \p IsUserFunction), else null: library functions are not summarised.
const FunctionDecl *
userDefinition(const FunctionDecl *Function,
               const std::function<bool(const FunctionDecl &)> &IsUserFunction);

/// Per-function answers to "does a value this function returns have the
/// property?", computed once; a function that (indirectly) asks about itself
/// gets "no" for the inner question (RecursiveMemo's policy, shared with the
/// questions of \p Tracker).
class ReturnSummaries {
public:
  explicit ReturnSummaries(CycleTracker &Tracker) : Results(Tracker) {}

  bool anyReturn(const FunctionDecl &Definition, const FunctionBodyIndex &Index,
                 llvm::function_ref<bool(const Expr *)> Holds);

private:
  RecursiveMemo<const FunctionDecl *, bool> Results;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_RETURNSUMMARIES_H
