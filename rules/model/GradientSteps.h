//===--- GradientSteps.h - backward, step and zero_grad events --*- C++ -*-===//
//
// What a statement does to accumulated gradients: runs a backward pass,
// steps an optimizer or resets gradients. Calls of user functions of the
// same translation unit are summarised from their bodies, with the callee's
// parameters replaced by the caller's arguments, so a training step written
// as a helper (`train_step(model, optimizer, batch)`) counts in the loop
// that calls it.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_GRADIENTSTEPS_H
#define TORCH_TIDY_RULES_MODEL_GRADIENTSTEPS_H

#include "ExternalFunctions.h"
#include "FunctionBodyIndex.h"
#include "OptimizerCalls.h"
#include "RecursiveMemo.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <functional>
#include <memory>

namespace clang::tidy::torch {

enum class GradEventKind {
  Backward, // A backward pass (IntoGrad: it adds to `.grad`).
  Step,     // Target: the optimizer.
  Reset,    // Reset (kind) of Target's gradients.
  Opaque,   // A user function without a body in this translation unit that
            // receives an optimizer or a module: may do anything.
};

struct GradEvent {
  GradEventKind Kind;
  /// The optimizer stepped or reset, or the module reset; null if unknown.
  const ValueDecl *Target = nullptr;
  GradResetKind Reset = GradResetKind::None;
  bool IntoGrad = false;
  /// True for a step that passes a closure (LBFGS): the closure may run
  /// backward and zero_grad itself.
  bool WithClosure = false;
  /// True when the event happens inside a loop of a called function: that
  /// loop is analysed on its own.
  bool InCalleeLoop = false;
};

class GradientSteps {
public:
  /// The indexes of function bodies come from \p Indexes when it is given
  /// (those of the translation unit), else are built here.
  GradientSteps(const OptimizerTypes &Types,
                std::function<bool(const FunctionDecl &)> IsUserFunction,
                ExternalFunctions *External = nullptr,
                BodyIndexes *Indexes = nullptr)
      : Types(Types), IsUserFunction(std::move(IsUserFunction)),
        External(External), Indexes(Indexes ? *Indexes : OwnIndexes),
        Events(Cycles), Summaries(Cycles) {}

  /// The events of \p S itself (not of its children): a backward, step or
  /// reset call, or everything a called user function does.
  std::vector<GradEvent> eventsOf(const Stmt *S);

  /// The index of \p Function, built once.
  const FunctionBodyIndex &indexOf(const FunctionDecl &Function);

  const OptimizerTypes &types() const { return Types; }

private:
  std::vector<GradEvent> computeEvents(const Stmt *S);
  std::vector<GradEvent> summaryOf(const FunctionDecl &Function);
  std::vector<GradEvent> computeSummary(const FunctionDecl &Function);

  const OptimizerTypes &Types;
  std::function<bool(const FunctionDecl &)> IsUserFunction;
  ExternalFunctions *External;
  BodyIndexes OwnIndexes;
  BodyIndexes &Indexes;
  // A function that calls itself, directly or through others, sees no
  // events of its own call while they are being collected.
  CycleTracker Cycles;
  RecursiveMemo<const Stmt *, std::vector<GradEvent>> Events;
  RecursiveMemo<const FunctionDecl *, std::vector<GradEvent>> Summaries;
};

/// True when each iteration of \p Loop ends its own graph: it runs a
/// backward pass or steps an optimizer, directly or in a helper of this
/// translation unit (not in a loop of that helper, which has iterations of
/// its own).
bool trainsEachIteration(const Stmt *Loop, const FunctionBodyIndex &Index,
                         GradientSteps &Steps);

/// True when \p Reset may reset the gradients that optimizer \p Optimizer
/// steps with; unknown targets count as yes.
bool mayResetGradientsOf(const GradEvent &Reset, const ValueDecl *Optimizer);

/// True when \p Reset certainly resets the gradients that \p Optimizer
/// steps with: its own zero_grad(), or zero_grad() of the module it was
/// constructed from.
bool surelyResetsGradientsOf(const GradEvent &Reset,
                             const ValueDecl *Optimizer);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_GRADIENTSTEPS_H
