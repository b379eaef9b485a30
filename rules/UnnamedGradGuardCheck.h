//===--- UnnamedGradGuardCheck.h --------------------------------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_UNNAMEDGRADGUARDCHECK_H
#define TORCH_TIDY_RULES_UNNAMEDGRADGUARDCHECK_H

#include "TorchCheckBase.h"

namespace clang::tidy::torch {

/// Finds grad-mode guards written as temporaries: `torch::NoGradGuard();`,
/// `torch::InferenceMode();`, `torch::AutoGradMode(false);`. The temporary
/// is destroyed at the end of its statement, so the rest of the scope still
/// records autograd graphs and keeps activations alive.
///
/// For the user-facing documentation see
/// docs/rules/torch-unnamed-grad-guard.md
class UnnamedGradGuardCheck : public TorchCheckBase {
public:
  using TorchCheckBase::TorchCheckBase;
  void
  checkFunction(const FunctionDecl *Function,
                const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void checkStatement(const Stmt *S, const Stmt *FunctionBody,
                      const SourceManager &SM);
  void visit(const Stmt *S, const Stmt *FunctionBody, const SourceManager &SM);
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_UNNAMEDGRADGUARDCHECK_H
