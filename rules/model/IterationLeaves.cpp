//===--- IterationLeaves.cpp - Leaves that require grad, per iteration ----===//

#include "IterationLeaves.h"
#include "TorchApi.h"

#include "clang/AST/ExprCXX.h"

namespace clang::tidy::torch {

namespace {

llvm::StringRef calleeName(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  return Callee && Callee->getIdentifier() ? Callee->getName()
                                           : llvm::StringRef();
}

/// A literal `false` as the first argument turns the request off; no
/// argument, a default or anything else counts as on.
bool firstArgumentOn(const CallExpr *Call) {
  if (Call->getNumArgs() == 0 || llvm::isa<CXXDefaultArgExpr>(Call->getArg(0)))
    return true;
  return boolLiteralValue(Call->getArg(0)).value_or(true);
}

const VarDecl *variableOf(const Expr *E) {
  const auto *Ref = llvm::dyn_cast_or_null<DeclRefExpr>(stripValueWrappers(E));
  return Ref ? llvm::dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

/// For `x.grad()`, `x.mutable_grad()` (also through `.data()`), `x`.
const VarDecl *gradientOwner(const Expr *E) {
  const auto *Call =
      llvm::dyn_cast_or_null<CXXMemberCallExpr>(stripValueWrappers(E));
  if (!Call)
    return nullptr;
  llvm::StringRef Name = calleeName(Call);
  if (Name == "grad" || Name == "mutable_grad")
    return variableOf(Call->getImplicitObjectArgument());
  return nullptr;
}

/// `torch::requires_grad()`, `options.requires_grad(true)`, also at the end
/// of a chain (`torch::dtype(torch::kFloat).requires_grad(true)`).
bool isRequiresGradOption(const Expr *E) {
  const auto *Call = llvm::dyn_cast_or_null<CallExpr>(stripValueWrappers(E));
  if (!Call)
    return false;
  const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call);
  // Without arguments, `options.requires_grad()` is a query.
  if (calleeName(Call) == "requires_grad" &&
      (!Member || Call->getNumArgs() > 0))
    return firstArgumentOn(Call);
  return Member && isRequiresGradOption(Member->getImplicitObjectArgument());
}

} // namespace

bool makesLeafRequiringGrad(const Expr *E) {
  const auto *Call = llvm::dyn_cast_or_null<CallExpr>(stripValueWrappers(E));
  if (!Call)
    return false;
  llvm::StringRef Name = calleeName(Call);
  if (llvm::isa<CXXMemberCallExpr>(Call) &&
      (Name == "requires_grad_" || Name == "set_requires_grad"))
    return firstArgumentOn(Call);
  // `torch::ones({1}, torch::requires_grad())`: the option is an argument
  // of the factory.
  return llvm::any_of(Call->arguments(), isRequiresGradOption);
}

llvm::SmallVector<const VarDecl *, 2>
leavesMadeIn(const Stmt *Body, const FunctionBodyIndex &Index) {
  llvm::SmallVector<const VarDecl *, 2> Leaves;
  auto Add = [&](const VarDecl *Var) {
    if (Var && Index.declaresInside(Var, Body) &&
        isTensorType(Var->getType()) && !llvm::is_contained(Leaves, Var))
      Leaves.push_back(Var);
  };
  for (const Stmt *S : Index.statements()) {
    if (!Index.isWithin(S, Body))
      continue;
    if (const auto *Decls = llvm::dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : Decls->decls())
        if (const auto *Var = llvm::dyn_cast<VarDecl>(D);
            Var && Var->getInit() && makesLeafRequiringGrad(Var->getInit()))
          Add(Var);
      continue;
    }
    // `x.requires_grad_();` on a variable of the body.
    if (const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S);
        Call && makesLeafRequiringGrad(Call))
      Add(variableOf(Call->getImplicitObjectArgument()));
    // `x = t.clone().requires_grad_(true);`
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
        makesLeafRequiringGrad(Op->getArg(1)))
      Add(variableOf(Op->getArg(0)));
  }
  return Leaves;
}

bool resetsGradientOf(const Stmt *S, const VarDecl *Leaf) {
  if (const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S)) {
    llvm::StringRef Name = calleeName(Call);
    return (Name == "reset" || Name == "detach_") &&
           gradientOwner(Call->getImplicitObjectArgument()) == Leaf;
  }
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S))
    return Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
           gradientOwner(Op->getArg(0)) == Leaf;
  return false;
}

} // namespace clang::tidy::torch
