//===--- InferenceEntries.cpp - Functions that only infer -----------------===//

#include "InferenceEntries.h"
#include "GradModeScopes.h"
#include "GraphFlow.h"
#include "IterationStorage.h"
#include "KeepSites.h"
#include "KeptArguments.h"
#include "TorchApi.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

#include <optional>

namespace clang::tidy::torch {

namespace {

const FunctionDecl *directCallee(const Stmt *S) {
  const auto *Call = llvm::dyn_cast<CallExpr>(S);
  return Call ? Call->getDirectCallee() : nullptr;
}

/// True when a value written through \p Target is still reachable after
/// the function of \p Index returns.
bool outlivesCall(const StorageTarget &Target, const FunctionBodyIndex &Index) {
  if (!Target || Target.IsMember)
    return Target.IsMember;
  const auto *Var = llvm::dyn_cast<VarDecl>(Target.Decl);
  if (!Var || Var->hasGlobalStorage())
    return true;
  if (llvm::isa<ParmVarDecl>(Var))
    return Var->getType()->isReferenceType() ||
           Var->getType()->isPointerType() || isTensorType(Var->getType());
  return !Index.declaresInside(Var, Index.body());
}

/// The storage that \p S writes \p Value into, for the writes a graph can
/// leave a function by: assignments, and method calls on an object
/// (`buffer.copy_(out)`, `history_.push_back(out)`).
const Expr *writtenObject(const Stmt *S) {
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S)) {
    switch (Op->getOperator()) {
    case OO_Equal:
    case OO_PlusEqual:
    case OO_MinusEqual:
    case OO_StarEqual:
    case OO_SlashEqual:
      return Op->getNumArgs() == 2 ? Op->getArg(0) : nullptr;
    default:
      return nullptr;
    }
  }
  if (const auto *Assign = llvm::dyn_cast<BinaryOperator>(S))
    return Assign->isAssignmentOp() ? Assign->getLHS() : nullptr;
  if (const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S))
    return Call->getImplicitObjectArgument();
  return nullptr;
}

/// True when \p Call hands a graph to a helper that keeps it beyond the
/// call of the function of \p Index.
bool helperKeepsGraph(const CallExpr *Call, KeptArguments &Kept,
                      GraphFlow &Flow, const FunctionBodyIndex &Index) {
  std::vector<KeptArgument> Summary = Kept.of(calledFunction(Call));
  if (Summary.empty())
    return false;
  llvm::SmallVector<const Expr *, 4> Args = argumentsInParameterOrder(Call);
  for (const KeptArgument &K : Summary) {
    if (K.ValueIndex >= Args.size() ||
        !Flow.carriesGraph(Args[K.ValueIndex], Index))
      continue;
    if (K.Destination != KeptArgument::Into::Argument ||
        outlivesCall(storageAtCall(K, Call, Args), Index))
      return true;
  }
  return false;
}

bool handsGraphOn(const FunctionBodyIndex &Index,
                  const std::function<bool(const FunctionDecl &)> &IsUser,
                  GraphFlow &Flow) {
  if (llvm::any_of(Index.returnedValues(), [&](const Expr *Returned) {
        return Flow.carriesGraph(Returned, Index);
      }))
    return true;
  KeptArguments Kept(IsUser);
  for (const Stmt *S : Index.statements()) {
    const auto *Call = llvm::dyn_cast<CallExpr>(S);
    auto AnyArgumentCarries = [&] {
      return Call && llvm::any_of(Call->arguments(), [&](const Expr *Arg) {
               return Flow.carriesGraph(Arg, Index);
             });
    };
    if (const Expr *Object = writtenObject(S);
        Object && outlivesCall(storageOf(Object), Index)) {
      if (const auto *Assign = llvm::dyn_cast<BinaryOperator>(S)) {
        if (Flow.carriesGraph(Assign->getRHS(), Index))
          return true;
      } else if (AnyArgumentCarries()) {
        return true;
      }
    }
    if (!Call)
      continue;
    const FunctionDecl *Callee = calledFunction(Call);
    if (Callee && !Callee->hasBody() && IsUser(*Callee) && AnyArgumentCarries())
      return true;
    if (helperKeepsGraph(Call, Kept, Flow, Index))
      return true;
  }
  return false;
}

} // namespace

const Expr *forwardInLoopDiscardingGraphs(
    const FunctionBodyIndex &Index,
    const std::function<bool(const FunctionDecl &)> &IsUserFunction,
    llvm::function_ref<bool(const Stmt *)> IsForward) {
  const Expr *Forward = nullptr;
  for (const Stmt *S : Index.statements())
    if (Index.enclosingLoop(S) && IsForward(S) && !isGradDisabledAt(S, Index)) {
      Forward = llvm::cast<Expr>(S);
      break;
    }
  if (!Forward)
    return nullptr;
  GraphFlow Flow(IsUserFunction);
  if (handsGraphOn(Index, IsUserFunction, Flow))
    return nullptr;
  // A loop that keeps its graphs past the iteration, in storage it never
  // resets, is reported by torch-graph-kept-across-iterations, whose advice
  // covers this one: one finding per loop. A container cleared each
  // iteration keeps nothing, so the recorded graphs are this rule's again.
  for (const Stmt *S : Index.statements()) {
    std::optional<KeepSite> Keep = asKeepSite(S, Index);
    const Stmt *Loop = Keep ? Index.enclosingLoop(S) : nullptr;
    if (!Loop)
      continue;
    StorageTarget Target = storageOf(Keep->Target);
    if (outlivesIteration(Target, Loop, Index) &&
        Flow.carriesGraph(Keep->Value, Index) &&
        !isResetWithin(Target, Loop, Keep->Store, Index, Flow))
      return nullptr;
  }
  return Forward;
}

namespace {

/// `module.forward(inputs)` on a `torch::jit::Module`.
bool isScriptModuleForward(const Stmt *S) {
  const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S);
  const CXXMethodDecl *Method = Call ? Call->getMethodDecl() : nullptr;
  return Method && Method->getIdentifier() && Method->getName() == "forward" &&
         isScriptModuleClass(Method->getParent());
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
  // A TorchScript model is deployed for inference: even one forward pass
  // of it records a graph that holds every activation until the output
  // dies (pytorch/pytorch#17095: CUDA out of memory on one image in main,
  // fixed by NoGradGuard).
  const auto *Method = llvm::dyn_cast<CXXMethodDecl>(&Index.function());
  const bool CalledRepeatedly =
      Method && !llvm::isa<CXXConstructorDecl>(Method);
  for (const Stmt *S : Index.statements()) {
    if (isGradDisabledAt(S, Index) ||
        (!CalledRepeatedly && !Index.enclosingLoop(S) &&
         !isScriptModuleForward(S)))
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
