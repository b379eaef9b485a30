//===--- ParameterSources.h - Which tensors are parameters ------*- C++ -*-===//
//
// Which expressions denote a module's parameters, its buffers (running
// statistics and other registered state), or a parameter's gradient:
// elements of `model->parameters()`, `named_parameters()`, `buffers()`,
// `named_buffers()` (through range-for variables, OrderedDict items and
// copies of the handle), and members a module initialises from its own
// `register_parameter` / `register_buffer` calls. A member's name alone
// (`running_mean_`) is not evidence.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_PARAMETERSOURCES_H
#define TORCH_TIDY_RULES_MODEL_PARAMETERSOURCES_H

#include "FunctionBodyIndex.h"
#include "GraphFlow.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::torch {

enum class ParameterKind { None, Parameter, Buffer, Gradient };

class ParameterSources {
public:
  /// What the tensors \p E denotes are: a module's parameters or buffers (a
  /// single tensor, or a container or OrderedDict of them), a parameter's
  /// gradient (`p.grad()`), or None. `p.data()` and `p.detach()` are None:
  /// they bypass autograd.
  ParameterKind kindOf(const Expr *E, const FunctionBodyIndex &Index);

  /// The kind of a member field, from the `register_parameter` and
  /// `register_buffer` calls its class stores into it.
  ParameterKind registeredKind(const FieldDecl *Field);

  /// True when \p E carries an autograd graph that comes, at least in part,
  /// from a parameter: `decay * ema + (1 - decay) * p`.
  bool isComputedFromParameter(const Expr *E, const FunctionBodyIndex &Index,
                               GraphFlow &Flow);

  /// True when \p E uses a parameter's gradient anywhere:
  /// `lr * p.grad()`.
  bool usesGradient(const Stmt *E, const FunctionBodyIndex &Index);

private:
  ParameterKind variableKind(const VarDecl *Var,
                             const FunctionBodyIndex &Index);

  llvm::DenseMap<const VarDecl *, ParameterKind> Variables;
  llvm::DenseMap<const FieldDecl *, ParameterKind> Fields;
  // Breaks cycles such as `p = p.add_(x)`.
  llvm::DenseSet<const VarDecl *> InProgress;
};

/// True for the in-place arithmetic methods of a tensor (`add_`, `mul_`,
/// `copy_`, `lerp_`, ...), which return the tensor they update.
bool isInPlaceUpdateMethod(llvm::StringRef Name);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_PARAMETERSOURCES_H
