//===--- IterationStorage.cpp - Storage that outlives an iteration --------===//

#include "IterationStorage.h"
#include "TorchApi.h"

#include "clang/AST/ExprCXX.h"

namespace clang::tidy::torch {

StorageTarget storageOf(const Expr *Target) {
  const Expr *E = stripValueWrappers(Target);
  while (E) {
    if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E)) {
      if (llvm::isa<VarDecl>(Ref->getDecl()))
        return {Ref->getDecl(), false};
      return {};
    }
    const auto *Member = llvm::dyn_cast<MemberExpr>(E);
    if (!Member)
      return {};
    const Expr *Base = Member->getBase()->IgnoreParenImpCasts();
    if (llvm::isa<CXXThisExpr>(Base))
      return {Member->getMemberDecl(), true};
    E = stripValueWrappers(Base);
  }
  return {};
}

bool outlivesIteration(const StorageTarget &Target, const Stmt *Loop,
                       const FunctionBodyIndex &Index) {
  if (!Target)
    return false;
  if (Target.IsMember)
    return true;
  const auto *Var = llvm::dyn_cast<VarDecl>(Target.Decl);
  if (!Var)
    return false;
  if (Var->hasGlobalStorage())
    return true;
  return !Index.declaresInside(Var, Loop);
}

bool refersTo(const Stmt *S, const StorageTarget &Target) {
  if (!S)
    return false;
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(S))
    if (Ref->getDecl() == Target.Decl)
      return true;
  if (const auto *Member = llvm::dyn_cast<MemberExpr>(S))
    if (Member->getMemberDecl() == Target.Decl)
      return true;
  for (const Stmt *Child : S->children())
    if (refersTo(Child, Target))
      return true;
  return false;
}

} // namespace clang::tidy::torch
