//===--- IterationLeaves.h - Leaves that require grad, made per iteration -===//
//
// A tensor made to require grad inside a loop body (`auto x =
// batch.clone().requires_grad_(true);`) is a new leaf in every iteration.
// Optimizers and zero_grad() know nothing of it, so what its `.grad` holds
// is the loop's own business.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_ITERATIONLEAVES_H
#define TORCH_TIDY_RULES_MODEL_ITERATIONLEAVES_H

#include "FunctionBodyIndex.h"

#include "clang/AST/Decl.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::torch {

/// True when \p E makes a tensor that requires grad: `t.requires_grad_()`,
/// `t.set_requires_grad(true)`, or a factory given the `requires_grad`
/// option.
bool makesLeafRequiringGrad(const Expr *E);

/// The variables declared in \p Body (a loop body) that hold a leaf
/// requiring grad: initialised or assigned from such a value, or switched
/// to require grad by a statement of the body.
llvm::SmallVector<const VarDecl *, 2>
leavesMadeIn(const Stmt *Body, const FunctionBodyIndex &Index);

/// True when \p S resets or detaches the gradient of \p Leaf:
/// `x.mutable_grad().reset()`, `x.grad().detach_()`, `x.mutable_grad() =
/// torch::Tensor()`.
bool resetsGradientOf(const Stmt *S, const VarDecl *Leaf);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_ITERATIONLEAVES_H
