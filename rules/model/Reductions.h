//===--- Reductions.h - Tensors reduced to a few elements -------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_MODEL_REDUCTIONS_H
#define TORCH_TIDY_RULES_MODEL_REDUCTIONS_H

#include "FunctionBodyIndex.h"

#include "clang/AST/Expr.h"

namespace clang::tidy::torch {

/// True when \p E is the result of a reduction: a scalar or one value per
/// sample (`argmax(1)`, `sum()`, `mean()`, `max()`, `item()`, a loss),
/// possibly detached, compared, moved or reshaped afterwards, and followed
/// through local variables. Such results are orders of magnitude smaller
/// than the activations they were computed from.
bool isReduction(const Expr *E, const FunctionBodyIndex &Index);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_REDUCTIONS_H
