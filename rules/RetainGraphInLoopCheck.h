//===--- RetainGraphInLoopCheck.h -------------------------------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_RETAINGRAPHINLOOPCHECK_H
#define TORCH_TIDY_RULES_RETAINGRAPHINLOOPCHECK_H

#include "TorchCheckBase.h"
#include "model/OptimizerCalls.h"

namespace clang::tidy::torch {

/// Finds backward() calls inside a loop that keep their graph:
/// `create_graph=true` when nothing in the loop resets the gradients (the
/// gradients carry a graph that refers back to the parameters, a cycle that
/// keeps every iteration's graph), and `retain_graph=true` when no later
/// backward pass of the same iteration uses the retained graph.
///
/// For the user-facing documentation see
/// docs/rules/torch-retain-graph-in-loop.md
class RetainGraphInLoopCheck : public TorchCheckBase {
public:
  using TorchCheckBase::TorchCheckBase;
  void
  checkFunction(const FunctionDecl *Function,
                const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_RETAINGRAPHINLOOPCHECK_H
