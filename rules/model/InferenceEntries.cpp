//===--- InferenceEntries.cpp - Functions that only infer -----------------===//

#include "InferenceEntries.h"
#include "GradModeScopes.h"
#include "GraphFlow.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"

namespace clang::tidy::torch {

namespace {

const FunctionDecl *directCallee(const Stmt *S) {
  const auto *Call = llvm::dyn_cast<CallExpr>(S);
  return Call ? Call->getDirectCallee() : nullptr;
}

} // namespace

const Expr *unguardedInferenceForward(
    const FunctionBodyIndex &Index,
    const std::function<bool(const FunctionDecl &)> &IsUserFunction,
    llvm::function_ref<bool(const Stmt *)> IsForward) {
  GraphFlow Flow(IsUserFunction);
  // A function that hands a graph on, by returning it or passing it to
  // code this translation unit cannot see, may feed training elsewhere:
  // its callers are judged instead.
  if (llvm::any_of(Index.returnedValues(), [&](const Expr *Returned) {
        return Flow.carriesGraph(Returned, Index);
      }))
    return nullptr;
  for (const Stmt *S : Index.statements()) {
    const FunctionDecl *Callee = directCallee(S);
    if (Callee && !Callee->hasBody() && IsUserFunction(*Callee) &&
        llvm::any_of(
            llvm::cast<CallExpr>(S)->arguments(),
            [&](const Expr *Arg) { return Flow.carriesGraph(Arg, Index); }))
      return nullptr;
  }
  // A free function outside a loop is as often a one-off demo or a
  // set-up step as a serving path; a method of a (non-module) class, such
  // as `Backend::Execute`, is called per request. Constructors run once.
  const auto *Method = llvm::dyn_cast<CXXMethodDecl>(&Index.function());
  const bool CalledRepeatedly =
      Method && !llvm::isa<CXXConstructorDecl>(Method);
  for (const Stmt *S : Index.statements()) {
    if (isGradDisabledAt(S, Index) ||
        (!CalledRepeatedly && !Index.enclosingLoop(S)))
      continue;
    if (IsForward(S))
      return llvm::cast<Expr>(S);
    // A helper of this file that returns its forward pass's output.
    const FunctionDecl *Callee = directCallee(S);
    const FunctionDecl *Definition = nullptr;
    if (Callee && Callee->hasBody(Definition) && IsUserFunction(*Definition) &&
        Flow.carriesGraph(llvm::cast<Expr>(S), Index))
      return llvm::cast<Expr>(S);
  }
  return nullptr;
}

} // namespace clang::tidy::torch
