//===--- ParameterSources.h - Which tensors are parameters ------*- C++ -*-===//
//
// Which expressions denote a module's parameters, its buffers (running
// statistics and other registered state), or a parameter's gradient:
// elements of `model->parameters()`, `named_parameters()`, `buffers()`,
// `named_buffers()` (through range-for variables, OrderedDict items and
// copies of the handle), and members a class initialises from
// `register_parameter` / `register_buffer` or from those accessors. A
// member's name alone (`running_mean_`) is not evidence.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_PARAMETERSOURCES_H
#define TORCH_TIDY_RULES_MODEL_PARAMETERSOURCES_H

#include "FunctionBodyIndex.h"
#include "RecursiveMemo.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::torch {

enum class ParameterKind { None, Parameter, Buffer, Gradient };

class ParameterSources {
public:
  ParameterSources() : Variables(Cycles) {}

  /// What the tensors \p E denotes are: a module's parameters or buffers (a
  /// single tensor, or a container or OrderedDict of them), a parameter's
  /// gradient (`p.grad()`), or None. `p.data()` and `p.detach()` are None:
  /// they bypass autograd.
  ParameterKind kindOf(const Expr *E, const FunctionBodyIndex &Index);

  /// The kind of a member field, from what its class stores into it:
  /// `register_parameter(...)`, `register_buffer(...)`, or a module's
  /// `parameters()` (an optimizer of the user's keeping the parameters).
  ParameterKind registeredKind(const FieldDecl *Field);

  /// True when \p E reads a parameter other than through a graph-free
  /// accessor (`p.detach()`, `p.data()`, `p.grad()`): `decay * ema + (1 -
  /// decay) * p`. With autograd on, such a value carries a graph, because
  /// parameters require grad. Local variables are followed.
  bool readsParameter(const Expr *E, const FunctionBodyIndex &Index);

  /// Treats \p Var as holding \p Kind: a helper's parameter, when asking
  /// what the helper does if its callers pass the model's parameters.
  void assumeKind(const VarDecl *Var, ParameterKind Kind) {
    Variables.set(Var, Kind);
  }

  /// True when \p E uses a parameter's gradient anywhere:
  /// `lr * p.grad()`.
  bool usesGradient(const Stmt *E, const FunctionBodyIndex &Index);

private:
  ParameterKind variableKind(const VarDecl *Var,
                             const FunctionBodyIndex &Index);

  // Cycles such as `p = p.add_(x)`.
  CycleTracker Cycles;
  RecursiveMemo<const VarDecl *, ParameterKind> Variables;
  llvm::DenseMap<const FieldDecl *, ParameterKind> Fields;
  // Breaks cycles of readsParameter, which caches nothing.
  llvm::DenseSet<const VarDecl *> InProgress;
};

/// True for the in-place arithmetic methods of a tensor (`add_`, `mul_`,
/// `copy_`, `lerp_`, ...), which return the tensor they update.
bool isInPlaceUpdateMethod(llvm::StringRef Name);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_PARAMETERSOURCES_H
