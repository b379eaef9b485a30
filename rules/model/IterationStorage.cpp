//===--- IterationStorage.cpp - Storage that outlives an iteration --------===//

#include "IterationStorage.h"
#include "TorchApi.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::torch {

namespace {

/// For an element access on a container that is not a tensor (a map's or a
/// vector's `operator[]`, `at`, `front`, `back`), the container.
const Expr *containerOfElement(const Expr *E) {
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
    if (Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2 &&
        !isTensorType(Op->getArg(0)->getType()))
      return Op->getArg(0);
    return nullptr;
  }
  const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(E);
  if (!Call || !Call->getMethodDecl() ||
      !Call->getMethodDecl()->getIdentifier())
    return nullptr;
  llvm::StringRef Name = Call->getMethodDecl()->getName();
  if (Name != "at" && Name != "front" && Name != "back")
    return nullptr;
  const Expr *Object = Call->getImplicitObjectArgument();
  return Object && !isTensorType(Object->getType()) ? Object : nullptr;
}

/// For a call of a function that returns a reference to its own static or
/// to a global (`history().push_back(loss)`, a registry's accessor), that
/// variable: every call hands out the same storage.
const VarDecl *persistentStorageReturned(const Expr *E) {
  const auto *Call = llvm::dyn_cast<CallExpr>(E);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  const FunctionDecl *Definition = nullptr;
  if (!Callee || !Callee->getReturnType()->isLValueReferenceType() ||
      llvm::isa<CXXMethodDecl>(Callee) || !Callee->hasBody(Definition))
    return nullptr;
  const auto *Body =
      llvm::dyn_cast_or_null<CompoundStmt>(Definition->getBody());
  if (!Body)
    return nullptr;
  const VarDecl *Returned = nullptr;
  for (const Stmt *S : Body->body()) {
    const auto *Return = llvm::dyn_cast<ReturnStmt>(S);
    if (!Return)
      continue;
    const auto *Ref = llvm::dyn_cast_or_null<DeclRefExpr>(
        stripValueWrappers(Return->getRetValue()));
    const auto *Var = Ref ? llvm::dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    if (!Var || !Var->hasGlobalStorage() || (Returned && Returned != Var))
      return nullptr;
    Returned = Var;
  }
  return Returned;
}

} // namespace

StorageTarget storageOf(const Expr *Target) {
  const Expr *E = stripValueWrappers(Target);
  while (E) {
    if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E)) {
      if (llvm::isa<VarDecl>(Ref->getDecl()))
        return {Ref->getDecl(), false};
      return {};
    }
    if (const VarDecl *Persistent = persistentStorageReturned(E))
      return {Persistent, false};
    // An element of a container lives as long as the container:
    // `history["loss"]`, `stats.at(k)`, `buffers.back()`.
    if (const Expr *Container = containerOfElement(E)) {
      E = stripValueWrappers(Container);
      continue;
    }
    // `net->forward(x)` on a module holder or a shared_ptr: the module
    // lives as long as the holder.
    if (const auto *Arrow = llvm::dyn_cast<CXXOperatorCallExpr>(E);
        Arrow && Arrow->getOperator() == OO_Arrow && Arrow->getNumArgs() == 1) {
      E = stripValueWrappers(Arrow->getArg(0));
      continue;
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
  // A function stands for the static or global that a function defined in
  // another file keeps values in (ExternalFunctions).
  if (llvm::isa<FunctionDecl>(Target.Decl))
    return true;
  const auto *Var = llvm::dyn_cast<VarDecl>(Target.Decl);
  if (!Var)
    return false;
  if (Var->hasGlobalStorage())
    return true;
  return !Index.declaresInside(Var, Loop);
}

namespace {

/// The local variable that \p Ref names, a structured binding's
/// underlying variable included.
const VarDecl *localVariable(const DeclRefExpr *Ref) {
  const ValueDecl *Decl = Ref->getDecl();
  if (const auto *Binding = llvm::dyn_cast<BindingDecl>(Decl))
    Decl = Binding->getDecomposedDecl();
  const auto *Var = llvm::dyn_cast_or_null<VarDecl>(Decl);
  return Var && Var->hasLocalStorage() && !llvm::isa<ParmVarDecl>(Var)
             ? Var
             : nullptr;
}

/// Without \p Index, a syntactic search; with it, local variables declared
/// inside \p Scope are followed to the values stored into them.
bool dependsOnVisiting(const Stmt *S, const StorageTarget &Target,
                       const FunctionBodyIndex *Index, const Stmt *Scope,
                       llvm::function_ref<bool(const Stmt *)> Skip,
                       llvm::SmallPtrSetImpl<const VarDecl *> &Visited) {
  if (!S || (Skip && Skip(S)))
    return false;
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(S)) {
    if (Ref->getDecl() == Target.Decl)
      return true;
    const VarDecl *Var = Index ? localVariable(Ref) : nullptr;
    if (!Var || Var == Target.Decl || !Index->declaresInside(Var, Scope) ||
        !Visited.insert(Var).second)
      return false;
    for (const Expr *Value : Index->valuesStoredInto(Var))
      if (dependsOnVisiting(Value, Target, Index, Scope, Skip, Visited))
        return true;
    return false;
  }
  if (const auto *Member = llvm::dyn_cast<MemberExpr>(S))
    if (Member->getMemberDecl() == Target.Decl)
      return true;
  for (const Stmt *Child : S->children())
    if (dependsOnVisiting(Child, Target, Index, Scope, Skip, Visited))
      return true;
  return false;
}

} // namespace

bool refersTo(const Stmt *S, const StorageTarget &Target,
              llvm::function_ref<bool(const Stmt *)> Skip) {
  llvm::SmallPtrSet<const VarDecl *, 1> Visited;
  return dependsOnVisiting(S, Target, nullptr, nullptr, Skip, Visited);
}

bool dependsOn(const Stmt *E, const StorageTarget &Target,
               const FunctionBodyIndex &Index, const Stmt *Scope,
               llvm::function_ref<bool(const Stmt *)> Skip) {
  llvm::SmallPtrSet<const VarDecl *, 8> Visited;
  return dependsOnVisiting(E, Target, &Index, Scope, Skip, Visited);
}

} // namespace clang::tidy::torch
