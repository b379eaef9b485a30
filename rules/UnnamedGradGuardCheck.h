//===--- UnnamedGradGuardCheck.h --------------------------------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_UNNAMEDGRADGUARDCHECK_H
#define TORCH_TIDY_RULES_UNNAMEDGRADGUARDCHECK_H

#include "TorchCheckBase.h"
#include "model/GuardInsertion.h"

#include <optional>

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
  /// \p InBlock: \p S is a statement of a block, where a declaration that
  /// replaces it keeps its scope.
  void checkStatement(const Stmt *S, bool InBlock, const SourceManager &SM);
  void visit(const Stmt *S, const SourceManager &SM);
  /// The guard names of the function being checked, collected on first use.
  GuardNames &guardNames();

  const FunctionDecl *CurrentFunction = nullptr;
  std::optional<GuardNames> CurrentNames;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_UNNAMEDGRADGUARDCHECK_H
