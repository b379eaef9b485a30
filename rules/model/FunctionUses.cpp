//===--- FunctionUses.cpp - The functions a body calls or lets go ---------===//

#include "FunctionUses.h"

#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::torch {

namespace {

/// \p E without parentheses, implicit casts and one \p Operator (`&f`,
/// `*fn`).
const Expr *bare(const Expr *E, UnaryOperatorKind Operator) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Unary = llvm::dyn_cast<UnaryOperator>(E);
      Unary && Unary->getOpcode() == Operator)
    E = Unary->getSubExpr()->IgnoreParenImpCasts();
  return E;
}

/// The function \p E names (`f`, `&f`), or null.
const FunctionDecl *namedFunction(const Expr *E, const DeclRefExpr **Ref) {
  if (!E)
    return nullptr;
  const auto *Named = llvm::dyn_cast<DeclRefExpr>(bare(E, UO_AddrOf));
  const auto *Function =
      Named ? llvm::dyn_cast<FunctionDecl>(Named->getDecl()) : nullptr;
  if (!Function || llvm::isa<CXXMethodDecl>(Function))
    return nullptr;
  *Ref = Named;
  return Function;
}

/// The variable a call goes through (`fn(x)`, `(*fn)(x)`), or null.
const VarDecl *calledThrough(const CallExpr &Call) {
  if (!Call.getCallee())
    return nullptr;
  const auto *Ref = llvm::dyn_cast<DeclRefExpr>(bare(Call.getCallee(), UO_Deref));
  return Ref ? llvm::dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

} // namespace

std::vector<FunctionUse> functionUsesOf(const FunctionBodyIndex &Index) {
  // Local pointers that hold one function: the reference that initialises
  // each, and how often it is named other than as a callee.
  struct Alias {
    const FunctionDecl *Target = nullptr;
    const DeclRefExpr *Source = nullptr;
    unsigned OtherUses = 0;
  };
  llvm::DenseMap<const VarDecl *, Alias> Aliases;
  llvm::DenseSet<const Expr *> CalleeRefs;
  for (const Stmt *S : Index.statements()) {
    if (const auto *Call = llvm::dyn_cast<CallExpr>(S)) {
      if (const Expr *Callee = Call->getCallee())
        CalleeRefs.insert(bare(Callee, UO_Deref));
      continue;
    }
    const auto *Decl = llvm::dyn_cast<DeclStmt>(S);
    if (!Decl)
      continue;
    for (const class Decl *D : Decl->decls()) {
      const auto *Var = llvm::dyn_cast<VarDecl>(D);
      if (!Var || !Var->isLocalVarDecl() || Var->isStaticLocal() ||
          !Var->getType()->isFunctionPointerType())
        continue;
      llvm::ArrayRef<const Expr *> Stored = Index.valuesStoredInto(Var);
      const DeclRefExpr *Source = nullptr;
      if (Stored.size() == 1)
        if (const FunctionDecl *Target = namedFunction(Stored[0], &Source))
          Aliases[Var] = {Target, Source, 0};
    }
  }
  // A pointer named other than as a callee (passed on, copied) lets its
  // function escape after all.
  for (const Stmt *S : Index.statements())
    if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(S))
      if (const auto *Var = llvm::dyn_cast<VarDecl>(Ref->getDecl()))
        if (auto It = Aliases.find(Var);
            It != Aliases.end() && !CalleeRefs.contains(Ref))
          ++It->second.OtherUses;
  llvm::DenseSet<const Expr *> AliasSources;
  for (const auto &[Var, A] : Aliases)
    if (A.OtherUses == 0)
      AliasSources.insert(A.Source);

  std::vector<FunctionUse> Uses;
  for (const Stmt *S : Index.statements()) {
    if (const auto *Call = llvm::dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (!Callee)
        if (const VarDecl *Through = calledThrough(*Call))
          if (auto It = Aliases.find(Through);
              It != Aliases.end() && It->second.OtherUses == 0)
            Callee = It->second.Target;
      if (Callee)
        Uses.push_back({Callee, Call, Call});
      continue;
    }
    const auto *Ref = llvm::dyn_cast<DeclRefExpr>(S);
    const auto *Referenced =
        Ref ? llvm::dyn_cast<FunctionDecl>(Ref->getDecl()) : nullptr;
    if (Referenced && !CalleeRefs.contains(Ref) && !AliasSources.contains(Ref))
      Uses.push_back({Referenced, nullptr, Ref});
  }
  return Uses;
}

} // namespace clang::tidy::torch
