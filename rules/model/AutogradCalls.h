//===--- AutogradCalls.h - backward() and friends ---------------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_MODEL_AUTOGRADCALLS_H
#define TORCH_TIDY_RULES_MODEL_AUTOGRADCALLS_H

#include "clang/AST/Expr.h"

#include <optional>

namespace clang::tidy::torch {

/// True for `t.backward(...)`, `torch::autograd::backward(...)` and
/// `torch::autograd::grad(...)`: calls that consume a graph.
bool isBackwardCall(const Stmt *S);

/// True for the backward calls that add to the leaves' `.grad`:
/// `t.backward(...)` and `torch::autograd::backward(...)`, not
/// `torch::autograd::grad(...)`, which returns the gradients instead.
bool accumulatesIntoGrad(const Stmt *S);

/// What a backward call asks of its graph, from literal arguments only
/// (`loss.backward({}, true)`, `torch::autograd::backward(ts, {}, true,
/// true)`); a flag that is not a literal `true` counts as false.
struct BackwardGraphOptions {
  bool RetainGraph = false; // retain_graph=true, or implied by create_graph.
  bool CreateGraph = false;
};

/// The options of a `t.backward(...)` or `torch::autograd::backward(...)`
/// call; nullopt for other statements, `torch::autograd::grad` included.
std::optional<BackwardGraphOptions> backwardGraphOptions(const Stmt *S);

/// The tensors a backward call starts from: the object of `t.backward()`,
/// the first argument of `torch::autograd::backward`.
const Expr *backwardRoots(const Stmt *S);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_AUTOGRADCALLS_H
