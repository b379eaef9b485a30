//===--- GradModeScopes.h - Is autograd on at a statement? ------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_MODEL_GRADMODESCOPES_H
#define TORCH_TIDY_RULES_MODEL_GRADMODESCOPES_H

#include "FunctionBodyIndex.h"

namespace clang::tidy::torch {

/// True when autograd is off where \p S runs because an enclosing block
/// declared a grad-off guard (`NoGradGuard`, `AutoGradMode(false)`,
/// `InferenceMode`) or called `GradMode::set_enabled(false)` before it, and
/// nothing closer turned it back on.
bool isGradDisabledAt(const Stmt *S, const FunctionBodyIndex &Index);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_GRADMODESCOPES_H
