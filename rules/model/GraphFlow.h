//===--- GraphFlow.h - Which values carry an autograd graph -----*- C++ -*-===//
//
// A value carries a graph when it was computed with autograd on from
// something that requires grad: a forward pass, a parameter, a tensor made
// with requires_grad, or any expression over such values. It stops carrying
// one through item(), detach() or data(), and when computed under a grad-off
// scope, and a value whose type cannot hold a tensor (a name, a number)
// carries none. Values are followed through local variables and through
// functions of the same translation unit.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_GRAPHFLOW_H
#define TORCH_TIDY_RULES_MODEL_GRAPHFLOW_H

#include "ExternalFunctions.h"
#include "FunctionBodyIndex.h"
#include "ReturnSummaries.h"
#include "TensorHolders.h"

#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <functional>
#include <memory>

namespace clang::tidy::torch {

/// Tensor methods whose result holds no graph: detach(), item(), data(),
/// grad(), sizes, integer and boolean results.
bool isGraphFreeTensorMethod(llvm::StringRef Name);

class GraphFlow {
public:
  /// \p IsUserFunction says which callees may be summarised from their
  /// bodies; library functions are judged by their arguments alone. A user
  /// function defined in another file is judged by its summary in
  /// \p External, when there is one.
  /// The indexes of function bodies come from \p Indexes when it is given
  /// (those of the translation unit), else are built here.
  explicit GraphFlow(std::function<bool(const FunctionDecl &)> IsUserFunction,
                     ExternalFunctions *External = nullptr,
                     BodyIndexes *Indexes = nullptr)
      : IsUserFunction(std::move(IsUserFunction)), External(External),
        Indexes(Indexes ? *Indexes : OwnIndexes), VariableResults(Cycles),
        GraphReturns(Cycles) {}

  /// True when \p E, evaluated inside \p Index's function, carries a graph.
  bool carriesGraph(const Expr *E, const FunctionBodyIndex &Index);

  /// Treats \p Var as carrying a graph whatever is stored into it: a
  /// helper's parameter, when asking what the helper does with a graph it
  /// is given.
  void assumeCarries(const VarDecl *Var) { VariableResults.set(Var, true); }

  /// True when a value that \p Function returns carries a graph it
  /// records itself.
  bool returnsGraph(const FunctionDecl *Function);

  /// The index of \p Function, built once.
  const FunctionBodyIndex &indexOf(const FunctionDecl &Function);

private:
  bool carries(const Expr *E, const FunctionBodyIndex &Index);
  bool variableCarries(const VarDecl *Var, const FunctionBodyIndex &Index);
  bool anyArgumentCarries(llvm::ArrayRef<const Expr *> Args,
                          const FunctionBodyIndex &Index);

  std::function<bool(const FunctionDecl &)> IsUserFunction;
  ExternalFunctions *External;
  BodyIndexes OwnIndexes;
  BodyIndexes &Indexes;
  // Cycles such as `h = f(h)`, through variables and returned values.
  CycleTracker Cycles;
  RecursiveMemo<const VarDecl *, bool> VariableResults;
  ReturnSummaries GraphReturns;
  TensorHolders Holders;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_GRAPHFLOW_H
