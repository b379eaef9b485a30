//===--- AutogradCalls.h - backward() and friends ----------------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_MODEL_AUTOGRADCALLS_H
#define TORCH_TIDY_RULES_MODEL_AUTOGRADCALLS_H

#include "clang/AST/Expr.h"

namespace clang::tidy::torch {

/// True for `t.backward(...)`, `torch::autograd::backward(...)` and
/// `torch::autograd::grad(...)`: calls that consume a graph.
bool isBackwardCall(const Stmt *S);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_AUTOGRADCALLS_H
