//===--- GradModeScopes.cpp - Is autograd on at a statement? --------------===//

#include "GradModeScopes.h"
#include "TorchApi.h"

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

namespace clang::tidy::torch {

namespace {

/// The effect of one statement of a block on the grad mode of the
/// statements after it.
GradGuardEffect effectOf(const Stmt *S) {
  if (const auto *Decls = llvm::dyn_cast<DeclStmt>(S)) {
    GradGuardEffect Effect = GradGuardEffect::None;
    for (const Decl *D : Decls->decls())
      if (auto VarEffect = classifyGradGuard(llvm::dyn_cast<VarDecl>(D));
          VarEffect != GradGuardEffect::None)
        Effect = VarEffect;
    return Effect;
  }
  if (const auto *E = llvm::dyn_cast<Expr>(S))
    if (const auto *Call = llvm::dyn_cast<CallExpr>(stripValueWrappers(E)))
      return classifyGradModeCall(Call);
  return GradGuardEffect::None;
}

} // namespace

bool isGradDisabledAt(const Stmt *S, const FunctionBodyIndex &Index) {
  const Stmt *Child = S;
  for (const Stmt *Parent = Index.parentOf(S); Parent;
       Child = Parent, Parent = Index.parentOf(Parent)) {
    const auto *Block = llvm::dyn_cast<CompoundStmt>(Parent);
    if (!Block)
      continue;
    // The closest guard before the statement decides.
    const Stmt *const *Position = llvm::find(Block->body(), Child);
    while (Position != Block->body_begin()) {
      --Position;
      switch (effectOf(*Position)) {
      case GradGuardEffect::DisablesGrad:
        return true;
      case GradGuardEffect::EnablesGrad:
        return false;
      case GradGuardEffect::None:
        break;
      }
    }
  }
  return false;
}

} // namespace clang::tidy::torch
