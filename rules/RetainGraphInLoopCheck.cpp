//===--- RetainGraphInLoopCheck.cpp ---------------------------------------===//

#include "RetainGraphInLoopCheck.h"
#include "model/AutogradCalls.h"
#include "model/FunctionBodyIndex.h"
#include "model/GradientSteps.h"
#include "model/IterationLeaves.h"
#include "model/TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::torch {

namespace {

void collectNames(const Stmt *S, llvm::SmallVectorImpl<const Expr *> &Names) {
  if (!S)
    return;
  if (llvm::isa<DeclRefExpr, MemberExpr>(S)) {
    Names.push_back(llvm::cast<Expr>(S));
    if (llvm::isa<DeclRefExpr>(S))
      return;
  }
  for (const Stmt *Child : S->children())
    collectNames(Child, Names);
}

/// True when the graph that \p Backward walks is built in the current
/// iteration of \p Loop: every variable its roots name is declared in the
/// loop body and is not a copy of a tensor from outside it. A graph built
/// before the loop is walked again by the next iteration and needs
/// retain_graph.
bool graphBuiltInIteration(const Stmt *Backward, const Stmt *Loop,
                           const FunctionBodyIndex &Index) {
  const Stmt *Body = loopBody(Loop);
  llvm::SmallVector<const Expr *, 4> Names;
  collectNames(backwardRoots(Backward), Names);
  bool AnyVariable = false;
  for (const Expr *Name : Names) {
    if (const auto *Member = llvm::dyn_cast<MemberExpr>(Name)) {
      if (llvm::isa<FieldDecl>(Member->getMemberDecl()))
        return false; // A member outlives the iteration.
      continue;
    }
    const auto *Var =
        llvm::dyn_cast<VarDecl>(llvm::cast<DeclRefExpr>(Name)->getDecl());
    if (!Var)
      continue;
    if (!Index.declaresInside(Var, Body))
      return false;
    for (const Expr *Value : Index.valuesStoredInto(Var)) {
      const auto *Ref =
          llvm::dyn_cast_or_null<DeclRefExpr>(stripValueWrappers(Value));
      const auto *Source =
          Ref ? llvm::dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
      if (Source && !Index.declaresInside(Source, Body))
        return false;
    }
    AnyVariable = true;
  }
  return AnyVariable;
}

} // namespace

void RetainGraphInLoopCheck::checkFunction(
    const FunctionDecl *Function, const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;

  auto IsUser = [this, &SM](const FunctionDecl &Callee) {
    return isUserCode(SM, Callee.getLocation());
  };
  GradientSteps &Steps = analysis().gradientSteps(SM);
  const FunctionBodyIndex &Index = Steps.indexOf(*Function);

  for (const Stmt *S : Index.statements()) {
    std::optional<BackwardGraphOptions> Options = backwardGraphOptions(S);
    if (!Options || !Options->RetainGraph)
      continue;
    const Stmt *Loop = Index.enclosingLoop(S);
    if (!Loop)
      continue;
    const Stmt *Body = loopBody(Loop);

    if (Options->CreateGraph) {
      // A leaf made in this iteration is no optimizer's parameter:
      // zero_grad() leaves its gradient, and the cycle through it, alone.
      const VarDecl *LeafKeptAlive = nullptr;
      for (const VarDecl *Leaf : leavesMadeIn(Body, Index))
        if (llvm::none_of(Index.statements(), [&](const Stmt *T) {
              return Index.isWithin(T, Body) && resetsGradientOf(T, Leaf);
            })) {
          LeafKeptAlive = Leaf;
          break;
        }
      if (LeafKeptAlive) {
        diag(S->getBeginLoc(),
             "backward() with create_graph=true stores gradients that carry "
             "their own graph in '%0', a leaf made in this iteration; that "
             "graph refers back to '%0' and zero_grad() does not reset it, "
             "so the cycle '%0' -> '.grad' -> grad_fn -> '%0' keeps the "
             "graph of every iteration alive; compute the gradient with "
             "'torch::autograd::grad(..., /*create_graph=*/true)', or reset "
             "it each iteration ('%0.mutable_grad().reset()')")
            << LeafKeptAlive->getName();
        noteLoop(Loop, "gradient graphs pile up across the iterations of "
                       "this loop");
        continue;
      }
      // zero_grad() detaches the gradients (libtorch's optimizers and
      // modules do), which breaks the cycle once per iteration.
      bool Resets = llvm::any_of(Index.statements(), [&](const Stmt *T) {
        return Index.isWithin(T, Body) &&
               llvm::any_of(Steps.eventsOf(T), [](const GradEvent &E) {
                 return E.Kind == GradEventKind::Reset ||
                        E.Kind == GradEventKind::Opaque;
               });
      });
      if (Resets)
        continue;
      diag(S->getBeginLoc(),
           "backward() with create_graph=true stores gradients that carry "
           "their own graph, and nothing in this loop resets them, so the "
           "cycle parameter -> '.grad' -> grad_fn -> parameter keeps the "
           "graph of every iteration alive; compute gradient penalties with "
           "'torch::autograd::grad(..., /*create_graph=*/true)', or reset "
           "the gradients each iteration");
      noteLoop(Loop, "gradient graphs pile up across the iterations of this "
                     "loop");
      continue;
    }

    if (!graphBuiltInIteration(S, Loop, Index))
      continue;
    // A later backward pass over the same graph is what retain_graph is for;
    // any later one in the iteration counts.
    bool LaterBackward = llvm::any_of(Index.statements(), [&](const Stmt *T) {
      if (T == S || !Index.isWithin(T, Body) || Index.isWithin(T, S) ||
          !SM.isBeforeInTranslationUnit(S->getEndLoc(), T->getBeginLoc()))
        return false;
      if (isBackwardCall(T) ||
          llvm::any_of(Steps.eventsOf(T), [](const GradEvent &E) {
            return E.Kind == GradEventKind::Backward ||
                   E.Kind == GradEventKind::Opaque;
          }))
        return true;
      // A user function defined elsewhere that receives a tensor may run
      // backward itself.
      const auto *Call = llvm::dyn_cast<CallExpr>(T);
      const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
      return Callee && !Callee->hasBody() && IsUser(*Callee) &&
             llvm::any_of(Call->arguments(), [](const Expr *Arg) {
               return isTensorType(Arg->getType());
             });
    });
    if (LaterBackward)
      continue;
    diag(S->getBeginLoc(),
         "backward() with retain_graph=true keeps this iteration's graph and "
         "its saved tensors after the backward pass, until the last tensor "
         "of the graph is destroyed, yet no later backward() in the "
         "iteration uses them; remove retain_graph (for a gradient penalty "
         "use 'torch::autograd::grad(..., /*create_graph=*/true)')");
    noteLoop(Loop, "a new graph is built in each iteration of this loop");
  }
}

} // namespace clang::tidy::torch
