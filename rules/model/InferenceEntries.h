//===--- InferenceEntries.h - Functions that only infer ---------*- C++ -*-===//
//
// Inference is the most common use of libtorch, and its entry points often
// look like nothing in particular: a serving method `Execute(batch)`, a
// real-time `process(block)` callback. In a translation unit that never
// trains, a function that runs a forward pass with autograd on and keeps
// the graph to itself records that graph for nothing.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_INFERENCEENTRIES_H
#define TORCH_TIDY_RULES_MODEL_INFERENCEENTRIES_H

#include "FunctionBodyIndex.h"

#include "clang/AST/Expr.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <functional>

namespace clang::tidy::torch {

/// The first forward pass with autograd on in the function of \p Index (as
/// \p IsForward tells), or the first call of a user function defined here
/// that returns a forward pass's output; null when there is none, or when
/// the function hands a graph on: it returns a graph-carrying value, or
/// passes one to a user function defined elsewhere (either may train on
/// it). In free functions (`main()` included) and constructors only
/// forward passes in loops count: outside a loop they are one-off demos
/// and set-up steps as often as serving code; a method runs per call.
/// Whether the translation unit trains is the caller's question.
const Expr *unguardedInferenceForward(
    const FunctionBodyIndex &Index,
    const std::function<bool(const FunctionDecl &)> &IsUserFunction,
    llvm::function_ref<bool(const Stmt *)> IsForward);

/// The first forward pass with autograd on inside a loop of \p Index's
/// function, when that function runs no backward pass or step itself (the
/// caller's question) and no graph it records can leave it: nothing that
/// carries a graph is returned, written where it outlives the call (a
/// member, a static or global, a parameter, a variable captured by
/// reference; helpers that keep their arguments followed), or passed to a
/// user function defined elsewhere. Such a loop throws every graph away,
/// whatever the rest of the translation unit does. A loop that also keeps
/// its graphs past the iteration, in storage it never resets, is left to
/// the graph-kept rule (one finding per loop, with the same advice).
const Expr *forwardInLoopDiscardingGraphs(
    const FunctionBodyIndex &Index,
    const std::function<bool(const FunctionDecl &)> &IsUserFunction,
    llvm::function_ref<bool(const Stmt *)> IsForward);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_INFERENCEENTRIES_H
