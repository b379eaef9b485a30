//===--- UnguardedParameterUpdateCheck.h ------------------------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_UNGUARDEDPARAMETERUPDATECHECK_H
#define TORCH_TIDY_RULES_UNGUARDEDPARAMETERUPDATECHECK_H

#include "TorchCheckBase.h"
#include "model/GradModeCallers.h"
#include "model/GuardInsertion.h"
#include "model/ParameterSources.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::torch {

class GraphFlow;

/// Finds hand-written updates of parameters, buffers (running statistics),
/// gradients and parameter copies (EMA weights) that run with autograd on:
/// `p.add_(...)` over `model->parameters()`, `running_mean_ = m *
/// running_mean_ + (1 - m) * mean`, `ema.mul_(d).add_(p, 1 - d)`,
/// `update += wd * p` on a gradient. Each update is recorded in the autograd
/// graph and links every step's graph to the one before, so the graphs of
/// all steps stay alive (on a parameter that requires grad it throws).
///
/// Findings wait for the end of the translation unit: a helper whose every
/// caller in the file holds a no-grad guard is fine.
///
/// For the user-facing documentation see
/// docs/rules/torch-unguarded-parameter-update.md
class UnguardedParameterUpdateCheck : public TorchCheckBase {
public:
  using TorchCheckBase::TorchCheckBase;
  void
  checkFunction(const FunctionDecl *Function,
                const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

  /// What is updated, which decides what goes wrong.
  enum class TargetKind {
    Parameter,
    GradFreeParameter,
    Buffer,
    Gradient,
    Copy
  };

private:
  struct Finding {
    const FunctionDecl *Function = nullptr;
    SourceLocation Location;
    std::string Target;
    TargetKind Kind = TargetKind::Parameter;
    const Stmt *Loop = nullptr;
    std::optional<FixItHint> Fix;
    // For an update in a helper that reads its own parameter: reported only
    // when a call in the file passes the model's parameters there.
    std::optional<unsigned> WhenParametersPassedAt;
  };

  /// The updates of \p Function that go wrong when what \p Sources says
  /// about the tensors holds.
  void scanUpdates(const FunctionDecl &Function, const FunctionBodyIndex &Index,
                   GraphFlow &Flow, ParameterSources &Sources,
                   llvm::function_ref<bool(const FunctionDecl &)> IsUser,
                   const SourceManager &SM, std::vector<Finding> &Out);

  /// Records, for each call in \p Index's function of a function of the
  /// user's, which arguments are the model's parameters.
  void recordParameterArguments(
      const FunctionBodyIndex &Index,
      llvm::function_ref<bool(const FunctionDecl &)> IsUser);
  /// True when a call in another file of the project passes the model's
  /// parameters to \p Function at \p Argument.
  bool parametersPassedFromElsewhere(const FunctionDecl *Function,
                                     unsigned Argument);
  /// The fix-its planned so far in one function: each loop gets one guard,
  /// and the guard's names are collected once.
  struct FixItPlan {
    llvm::SmallPtrSet<const Stmt *, 4> FixedLoops;
    std::optional<GuardNames> Names;
  };
  /// The guard before the loop over the parameters that the update \p S
  /// runs in, when it is safe there and that loop has none yet.
  std::optional<FixItHint>
  planGuardFixIt(const Stmt *S, const FunctionDecl &Function,
                 const FunctionBodyIndex &Index,
                 llvm::function_ref<bool(const FunctionDecl &)> IsUser,
                 const SourceManager &SM, FixItPlan &Plan);

  ParameterSources Parameters;
  std::vector<Finding> Findings;
  // (callee, parameter index) pairs some call passes parameters to.
  llvm::DenseSet<std::pair<const FunctionDecl *, unsigned>> ParametersPassed;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_UNGUARDEDPARAMETERUPDATECHECK_H
