//===--- FunctionUses.h - The functions a body calls or lets go --*- C++ -*-===//
//
// Who calls a helper, and in which grad mode, is decided from the uses of
// functions in every body: calls, and references that let a function run
// anywhere (passed on, stored). A local function pointer that names one
// function and is only called (`auto *predict_fn = &predict;
// predict_fn(model, x);`) is neither: each call through it is a call of
// that function, in the grad mode of that call.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_FUNCTIONUSES_H
#define TORCH_TIDY_RULES_MODEL_FUNCTIONUSES_H

#include "FunctionBodyIndex.h"

#include "clang/AST/Expr.h"

#include <vector>

namespace clang::tidy::torch {

struct FunctionUse {
  const FunctionDecl *Function;
  /// The call, or null for a reference that lets the function escape.
  const CallExpr *Call;
  /// The reference (for an escape) or the call itself.
  const Expr *At;
};

/// The uses of functions in \p Index's body, in source order.
std::vector<FunctionUse> functionUsesOf(const FunctionBodyIndex &Index);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_FUNCTIONUSES_H
