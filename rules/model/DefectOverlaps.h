//===--- DefectOverlaps.h - Where two checks see one defect -----*- C++ -*-===//
//
// Evaluation code that keeps its outputs across a loop is one defect seen
// by two checks: torch-missing-no-grad sees the forward pass that runs with
// autograd on, torch-graph-kept-across-iterations sees the store that keeps
// each iteration's graph. The store is the finding (it is what grows, and
// what `torch-tidy confirm` measures); the forward pass becomes its note.
// Either check may finish the translation unit first, so each publishes
// here what it found while matching, and the forward passes are decided
// once, by whichever check asks first.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_DEFECTOVERLAPS_H
#define TORCH_TIDY_RULES_MODEL_DEFECTOVERLAPS_H

#include "FunctionBodyIndex.h"
#include "TorchTidyRules/IncludedFindings.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"

#include <functional>
#include <optional>
#include <vector>

namespace clang::tidy::torch {

/// The unguarded forward passes of one torch-missing-no-grad finding: all
/// that its guard would cover, in source order.
struct UnguardedForwards {
  const FunctionDecl *Function = nullptr; // Canonical declaration.
  const FunctionBodyIndex *Index = nullptr;
  std::vector<const Stmt *> Covered;
};

class DefectOverlaps {
public:
  /// A graph kept in every iteration of \p Loop in \p Function.
  void addKeptGraph(const FunctionDecl *Function, const Stmt *Loop);

  /// Whether \p Forward, one of \p Forwards, lies in a loop of its
  /// function whose graphs are kept: then the kept graph is the defect.
  bool inKeptGraphLoop(const UnguardedForwards &Forwards,
                       const Stmt *Forward) const;

  /// How torch-missing-no-grad decides its findings; set by that check
  /// when it is enabled.
  void setForwardsProvider(std::function<std::vector<UnguardedForwards>()>);

  /// The forward passes torch-missing-no-grad reports before it leaves
  /// any to the kept graphs, decided once; empty when it is not enabled.
  const std::vector<UnguardedForwards> &reportedForwards();

  /// The first forward pass inside \p Loop of \p Function that
  /// torch-missing-no-grad leaves to the graphs kept there, if that check
  /// is enabled.
  const Stmt *absorbedForwardIn(const FunctionDecl *Function, const Stmt *Loop);

private:
  struct KeptGraph {
    const FunctionDecl *Function;
    const Stmt *Loop;
  };
  std::vector<KeptGraph> KeptGraphs;
  std::function<std::vector<UnguardedForwards>()> ForwardsProvider;
  std::optional<std::vector<UnguardedForwards>> Forwards;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_DEFECTOVERLAPS_H
