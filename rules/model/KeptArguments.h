//===--- KeptArguments.h - What helpers keep of their arguments -*- C++ -*-===//
//
// `record(history, loss)` in a loop keeps `loss` as surely as
// `history.push_back(loss)` does, when `record` appends its second argument
// to its first. This summarises, per user function (lambdas included), which
// tensor arguments it keeps beyond the call and where: in another argument
// passed by reference, in a member of its object, in a static or global, or,
// for a lambda, in a variable it captured by reference. A graph the function
// records and keeps so counts as well (a serving method that appends each
// output to a member). Helpers that call helpers are followed.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_KEPTARGUMENTS_H
#define TORCH_TIDY_RULES_MODEL_KEPTARGUMENTS_H

#include "ExternalFunctions.h"
#include "FunctionBodyIndex.h"
#include "IterationStorage.h"
#include "KeepSites.h"
#include "RecursiveMemo.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>
#include <vector>

namespace clang::tidy::torch {

class GraphFlow;

/// One argument that a function keeps beyond the call, or a graph that it
/// records itself and keeps (`results_.push_back(model_->forward(x))`).
struct KeptArgument {
  enum class Into { Argument, Member, Persistent, Captured };
  static constexpr unsigned OwnGraph = ~0u;
  unsigned ValueIndex = 0; // The kept parameter, or OwnGraph.
  Into Destination = Into::Persistent;
  unsigned DestinationIndex = 0;      // For Into::Argument.
  const ValueDecl *Storage = nullptr; // For the other destinations.
  KeepKind Kind = KeepKind::Appended;
  SourceLocation Store; // The statement that finally keeps it.
  /// For a function defined in another file: its summary's keep. Storage
  /// is then the function itself, standing for its static or global.
  const SummaryKeep *External = nullptr;
};

/// How a value is kept, as the project summaries write it, and back.
SummaryKeep::How summaryKindOf(KeepKind Kind);
KeepKind keepKindOf(SummaryKeep::How How);

/// The function a call runs, a lambda's call operator included.
const FunctionDecl *calledFunction(const CallExpr *Call);

/// The arguments of \p Call in the order of the callee's parameters (the
/// object of a member operator call left out).
llvm::SmallVector<const Expr *, 4> argumentsInParameterOrder(
    const CallExpr *Call);

/// Where the value that \p Kept describes lands, as seen by the caller of
/// \p Call (whose arguments, in parameter order, are \p Args); an empty
/// target when the call does not say.
StorageTarget storageAtCall(const KeptArgument &Kept, const CallExpr *Call,
                            llvm::ArrayRef<const Expr *> Args);

class KeptArguments {
public:
  /// The indexes of function bodies come from \p Indexes when it is given
  /// (those of the translation unit), else are built here.
  explicit KeptArguments(
      std::function<bool(const FunctionDecl &)> IsUserFunction,
      ExternalFunctions *External = nullptr, BodyIndexes *Indexes = nullptr)
      : IsUserFunction(std::move(IsUserFunction)), External(External),
        Indexes(Indexes ? *Indexes : OwnIndexes), Results(Cycles) {}

  /// What \p Callee keeps of its arguments: nothing for library functions,
  /// its summary in \p External for a function defined in another file.
  std::vector<KeptArgument> of(const FunctionDecl *Callee);

private:
  std::vector<KeptArgument> summarise(const FunctionDecl &Definition);
  /// Adds to \p Summary the stores of \p Definition, and of the helpers it
  /// calls, that keep a value \p Keeps accepts beyond the call.
  void summariseStores(const FunctionDecl &Definition,
                       const FunctionBodyIndex &Index, GraphFlow &Flow,
                       llvm::function_ref<bool(const Expr *)> Keeps,
                       unsigned ValueIndex,
                       std::vector<KeptArgument> &Summary);

  std::vector<KeptArgument> fromSummary(const FunctionDecl &Callee,
                                        const FunctionSummary &Summary);

  std::function<bool(const FunctionDecl &)> IsUserFunction;
  ExternalFunctions *External;
  BodyIndexes OwnIndexes;
  BodyIndexes &Indexes;
  // A recursive helper keeps nothing more through its own call.
  CycleTracker Cycles;
  RecursiveMemo<const FunctionDecl *, std::vector<KeptArgument>> Results;
  llvm::DenseMap<const FunctionDecl *, std::vector<KeptArgument>> FromSummaries;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_KEPTARGUMENTS_H
