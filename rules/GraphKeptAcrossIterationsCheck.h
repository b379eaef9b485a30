//===--- GraphKeptAcrossIterationsCheck.h -----------------------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_GRAPHKEPTACROSSITERATIONSCHECK_H
#define TORCH_TIDY_RULES_GRAPHKEPTACROSSITERATIONSCHECK_H

#include "TorchCheckBase.h"
#include "model/FunctionBodyIndex.h"
#include "model/GradModeCallers.h"
#include "model/OptimizerCalls.h"
#include "model/ParameterSources.h"

#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::torch {

/// Finds tensors that carry an autograd graph and are stored, inside a loop,
/// where they outlive the iteration and accumulate: `total += loss`,
/// `total = total + loss`, `outputs.push_back(out)` into a container, member
/// or static declared outside the loop. Each kept value pins the graph of its
/// iteration, so memory grows with every iteration.
///
/// For the user-facing documentation see
/// docs/rules/torch-graph-kept-across-iterations.md
class GraphKeptAcrossIterationsCheck : public TorchCheckBase {
public:
  using TorchCheckBase::TorchCheckBase;
  void
  checkFunction(const FunctionDecl *Function,
                const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  /// A finding held back until the callers of its function are known.
  struct PendingFinding {
    const FunctionDecl *Function = nullptr;
    SourceLocation Location;
    unsigned Kind = 0; // KeepKind.
    std::string Target;
    const Stmt *Loop = nullptr;
    std::optional<FixItHint> Fix;
    SourceLocation HelperStore; // Set when a helper called in the loop keeps.
    // Set when the helper is defined in another file of the project.
    const SummaryKeep *ExternalKeep = nullptr;
    const FunctionDecl *Helper = nullptr;
    // The innermost loop builds one graph on purpose; an outer loop never
    // clears what it collected.
    bool NeverCleared = false;
  };

  /// True when \p S uses a parameter's handle somewhere inside it.
  bool mixesInParameter(const Stmt *S, const FunctionBodyIndex &Index);

  std::vector<PendingFinding> Pending;
  ParameterSources Parameters;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_GRAPHKEPTACROSSITERATIONSCHECK_H
