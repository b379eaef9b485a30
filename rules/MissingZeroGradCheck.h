//===--- MissingZeroGradCheck.h ---------------------------------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_MISSINGZEROGRADCHECK_H
#define TORCH_TIDY_RULES_MISSINGZEROGRADCHECK_H

#include "TorchCheckBase.h"
#include "model/OptimizerCalls.h"

namespace clang::tidy::torch {

/// Finds training loops that run backward() and an optimizer's step() but
/// never reset the gradients, so every step applies the sum of all past
/// gradients; and resets placed between backward() and step(), which make
/// the step use zeros.
///
/// For the user-facing documentation see
/// docs/rules/torch-missing-zero-grad.md
class MissingZeroGradCheck : public TorchCheckBase {
public:
  MissingZeroGradCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void
  checkFunction(const FunctionDecl *Function,
                const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  std::string ExtraOptimizerTypes;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MISSINGZEROGRADCHECK_H
