//===--- UnguardedParameterUpdateCheck.cpp --------------------------------===//

#include "UnguardedParameterUpdateCheck.h"
#include "model/AutogradCalls.h"
#include "model/FunctionBodyIndex.h"
#include "model/GradModeScopes.h"
#include "model/GraphFlow.h"
#include "model/GuardInsertion.h"
#include "model/IterationStorage.h"
#include "model/KeptArguments.h"
#include "model/TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang::ast_matchers;

namespace clang::tidy::torch {

namespace {

using TargetKind = UnguardedParameterUpdateCheck::TargetKind;

/// A statement that writes into a tensor: `t op= v`, `t = v`, or a chain of
/// in-place methods `t.mul_(a).add_(b)`.
struct Update {
  const Expr *Target = nullptr;
  llvm::SmallVector<const Expr *, 2> Values;
  bool InPlace = true;
};

std::optional<Update> asUpdate(const Expr *E) {
  if (const auto *Cleanups = llvm::dyn_cast<ExprWithCleanups>(E))
    E = Cleanups->getSubExpr();
  E = E->IgnoreParenImpCasts();
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
    if (Op->getNumArgs() != 2 || !isTensorType(Op->getArg(0)->getType()))
      return std::nullopt;
    switch (Op->getOperator()) {
    case OO_PlusEqual:
    case OO_MinusEqual:
    case OO_StarEqual:
    case OO_SlashEqual:
      return Update{Op->getArg(0), {Op->getArg(1)}, true};
    case OO_Equal:
      return Update{Op->getArg(0), {Op->getArg(1)}, false};
    default:
      return std::nullopt;
    }
  }
  Update Chain;
  const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(E);
  while (Call && Call->getMethodDecl() &&
         Call->getMethodDecl()->getIdentifier() &&
         isInPlaceUpdateMethod(Call->getMethodDecl()->getName()) &&
         isTensorType(Call->getMethodDecl()
                          ->getParent()
                          ->getTypeForDecl()
                          ->getCanonicalTypeInternal())) {
    for (const Expr *Arg : Call->arguments())
      if (!llvm::isa<CXXDefaultArgExpr>(Arg))
        Chain.Values.push_back(Arg);
    Chain.Target = Call->getImplicitObjectArgument();
    Call = llvm::dyn_cast<CXXMemberCallExpr>(stripValueWrappers(Chain.Target));
  }
  if (!Chain.Target)
    return std::nullopt;
  return Chain;
}

/// The variable or member that holds the updated tensor: `ema` for
/// `ema[i]`, `*it` or `ema.at(i)`.
StorageTarget rootStorage(const Expr *E) {
  E = stripValueWrappers(E);
  while (E) {
    const Expr *Inner = nullptr;
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
      if ((Op->getOperator() == OO_Subscript || Op->getOperator() == OO_Arrow ||
           (Op->getOperator() == OO_Star && Op->getNumArgs() == 1)) &&
          Op->getNumArgs() > 0)
        Inner = Op->getArg(0);
    } else if (const auto *Subscript = llvm::dyn_cast<ArraySubscriptExpr>(E)) {
      Inner = Subscript->getBase();
    } else if (const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *Method = Call->getMethodDecl();
      if (Method && Method->getIdentifier() &&
          (Method->getName() == "at" || Method->getName() == "value" ||
           Method->getName() == "front" || Method->getName() == "back"))
        Inner = Call->getImplicitObjectArgument();
    }
    if (!Inner)
      return storageOf(E);
    E = stripValueWrappers(Inner);
  }
  return {};
}

/// `p.mutable_grad()`: the gradient slot itself, which an assignment
/// replaces.
bool isMutableGradAccess(const Expr *E) {
  const auto *Call = llvm::dyn_cast_or_null<CXXMemberCallExpr>(E);
  return Call && Call->getMethodDecl() &&
         Call->getMethodDecl()->getIdentifier() &&
         Call->getMethodDecl()->getName() == "mutable_grad";
}

bool containsBackwardCall(const Stmt *S) {
  if (!S)
    return false;
  if (isBackwardCall(S))
    return true;
  for (const Stmt *Child : S->children())
    if (containsBackwardCall(Child))
      return true;
  return false;
}

/// True when the storage an update writes to keeps its value from one
/// training step to the next: a member, a global or static, what a
/// function parameter refers to, or a local declared outside a loop that
/// runs backward passes.
bool persistsAcrossSteps(const StorageTarget &Target, bool InPlace,
                         const Stmt *S, const FunctionBodyIndex &Index) {
  if (!Target)
    return false;
  if (Target.IsMember)
    return true;
  const auto *Var = llvm::dyn_cast<VarDecl>(Target.Decl);
  if (!Var)
    return false;
  if (Var->hasGlobalStorage())
    return true;
  if (llvm::isa<ParmVarDecl>(Var))
    // A tensor handle shares its storage with the caller's; assigning a new
    // tensor to it reaches the caller only through a reference.
    return InPlace || Var->getType()->isReferenceType();
  for (const Stmt *Loop = Index.enclosingLoop(S); Loop;
       Loop = Index.enclosingLoop(Loop))
    if (!Index.declaresInside(Var, Loop) && containsBackwardCall(Loop))
      return true;
  return false;
}

/// True when \p S calls something that may need autograd on: a forward
/// pass, a backward pass, or a function of the user's that might run one.
template <typename IsUserFunction>
bool mayNeedGrad(const Stmt *S, IsUserFunction IsUser) {
  if (!S)
    return false;
  if (const auto *E = llvm::dyn_cast<Expr>(S); E && isForwardCall(E))
    return true;
  if (isBackwardCall(S))
    return true;
  if (const auto *Call = llvm::dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = Call->getDirectCallee();
        Callee && IsUser(*Callee))
      return true;
  for (const Stmt *Child : S->children())
    if (mayNeedGrad(Child, IsUser))
      return true;
  return false;
}

llvm::StringRef messageFor(TargetKind Kind) {
  switch (Kind) {
  case TargetKind::Parameter:
    return "parameter '%0' is updated in place with autograd on: for a "
           "parameter that requires grad this throws ('a leaf Variable that "
           "requires grad is being used in an in-place operation'), "
           "otherwise the update is recorded in the graph and links every "
           "step's graph to the one before; update parameters under "
           "'torch::NoGradGuard'";
  case TargetKind::GradFreeParameter:
    return "parameter '%0' is updated in place with autograd on, which "
           "throws for a parameter that requires grad ('a leaf Variable "
           "that requires grad is being used in an in-place operation'); "
           "update parameters under 'torch::NoGradGuard'";
  case TargetKind::Buffer:
    return "buffer '%0' is updated from a value computed with autograd on, "
           "so it keeps that value's graph and each step's update links to "
           "the one before: the graphs of all steps stay alive; update it "
           "under 'torch::NoGradGuard' or from a detached value";
  case TargetKind::Gradient:
    return "'%0' is a parameter's gradient and is updated in place with a "
           "value that carries an autograd graph, so the gradient keeps that "
           "graph and each step links to the one before; update it under "
           "'torch::NoGradGuard'";
  case TargetKind::Copy:
    break;
  }
  return "'%0' is updated from a parameter with autograd on, so it keeps "
         "the parameter's graph and each update links to the one before: "
         "the graphs of all steps stay alive; update it under "
         "'torch::NoGradGuard' (or from 'p.detach()')";
}

/// For a call of a function of the user's that returns one of its own
/// parameters unchanged (`assign(left, right)` that copies under a guard,
/// then `return left;`), the argument it returns; otherwise \p E.
const Expr *passedThrough(const Expr *E) {
  const auto *Call = llvm::dyn_cast_or_null<CallExpr>(stripValueWrappers(E));
  const FunctionDecl *Callee = Call ? calledFunction(Call) : nullptr;
  const FunctionDecl *Definition = nullptr;
  if (!Callee || !Callee->hasBody(Definition) || !Definition)
    return E;
  FunctionBodyIndex CalleeIndex(*Definition);
  std::optional<unsigned> Returned;
  for (const Expr *Value : CalleeIndex.returnedValues()) {
    const auto *Ref = llvm::dyn_cast<DeclRefExpr>(stripValueWrappers(Value));
    const auto *Param =
        Ref ? llvm::dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
    if (!Param || (Returned && *Returned != Param->getFunctionScopeIndex()))
      return E;
    Returned = Param->getFunctionScopeIndex();
  }
  llvm::SmallVector<const Expr *, 4> Args = argumentsInParameterOrder(Call);
  return Returned && *Returned < Args.size() ? Args[*Returned] : E;
}

/// What an update that runs with autograd on writes to, when that goes
/// wrong; none when it does not.
std::optional<TargetKind>
classifyUpdate(const Update &U, const Stmt *S, const FunctionBodyIndex &Index,
               GraphFlow &Flow, ParameterSources &Parameters,
               bool GradientsCarryGraph, bool IsForward) {
  const Expr *Target = stripValueWrappers(U.Target);
  StorageTarget Storage = rootStorage(Target);
  // `w_ = assign(w_, loaded)` hands the same tensor back: nothing computed.
  if (!U.InPlace && Storage && llvm::all_of(U.Values, [&](const Expr *V) {
        const Expr *Value = stripValueWrappers(passedThrough(V));
        return llvm::isa<MemberExpr, DeclRefExpr>(Value) &&
               rootStorage(Value).Decl == Storage.Decl;
      }))
    return std::nullopt;
  // Parameters require grad, so a value read from one carries a graph too;
  // so does a gradient once this function has updated it from one.
  const bool ValueCarries = llvm::any_of(U.Values, [&](const Expr *V) {
    return Flow.carriesGraph(V, Index) || Parameters.readsParameter(V, Index) ||
           (GradientsCarryGraph && Parameters.usesGradient(V, Index));
  });
  const bool IsMember = llvm::isa<MemberExpr>(Target);
  const bool RefersToItself =
      Storage && llvm::any_of(U.Values, [&](const Expr *V) {
        return refersTo(V, Storage);
      });

  switch (Parameters.kindOf(Target, Index)) {
  case ParameterKind::Parameter:
    if (U.InPlace && ValueCarries)
      return TargetKind::Parameter;
    if (U.InPlace && llvm::any_of(U.Values, [&](const Expr *V) {
          return Parameters.usesGradient(V, Index);
        }))
      return TargetKind::GradFreeParameter;
    if (!U.InPlace && IsMember && RefersToItself && ValueCarries)
      return TargetKind::Copy; // The member now holds a computed copy.
    return std::nullopt;
  case ParameterKind::Buffer:
    // Assigning to a loop variable over `buffers()` changes a copy of the
    // handle only; assigning to a registered member replaces the buffer.
    if (ValueCarries && (U.InPlace || (IsMember && RefersToItself)))
      return TargetKind::Buffer;
    return std::nullopt;
  case ParameterKind::Gradient:
    // `p.mutable_grad() = p.grad() + wd * p` replaces the gradient itself;
    // assigning to a local copy of the handle would not.
    if (ValueCarries && (U.InPlace || isMutableGradAccess(Target)))
      return TargetKind::Gradient;
    return std::nullopt;
  case ParameterKind::None:
    // A copy of the weights (EMA, SWA) that persists across steps and is
    // updated from the parameters themselves. Stateful members of a
    // module's forward are the graph-kept check's concern.
    if (!IsForward && (U.InPlace || RefersToItself) &&
        persistsAcrossSteps(Storage, U.InPlace, S, Index) &&
        llvm::any_of(U.Values, [&](const Expr *V) {
          return Parameters.readsParameter(V, Index) ||
                 (GradientsCarryGraph && Parameters.usesGradient(V, Index));
        }))
      return TargetKind::Copy;
    return std::nullopt;
  }
  return std::nullopt;
}

/// How the finding names the updated tensor. `kv->add_(...)` updates what
/// `kv` holds: name `kv`, not `kv->`.
std::string spellTarget(const Expr *Target, const SourceManager &SM,
                        const LangOptions &LangOpts) {
  const Expr *Named = Target;
  if (const auto *Arrow = llvm::dyn_cast<CXXOperatorCallExpr>(Target);
      Arrow && Arrow->getOperator() == OO_Arrow)
    Named = Arrow->getArg(0);
  return Lexer::getSourceText(
             CharSourceRange::getTokenRange(Named->getSourceRange()), SM,
             LangOpts)
      .str();
}

} // namespace

std::optional<FixItHint> UnguardedParameterUpdateCheck::planGuardFixIt(
    const Stmt *S, const FunctionDecl &Function, const FunctionBodyIndex &Index,
    llvm::function_ref<bool(const FunctionDecl &)> IsUser,
    const SourceManager &SM, FixItPlan &Plan) {
  // The guard goes before the loop over the parameters when that is a
  // statement of a block and nothing after it in the block (nor in the
  // loop) may need autograd on.
  const auto *ParamLoop =
      llvm::dyn_cast_or_null<CXXForRangeStmt>(Index.enclosingLoop(S));
  const auto *Block =
      ParamLoop
          ? llvm::dyn_cast_or_null<CompoundStmt>(Index.parentOf(ParamLoop))
          : nullptr;
  if (!Block || Plan.FixedLoops.contains(ParamLoop) ||
      Parameters.kindOf(ParamLoop->getRangeInit(), Index) ==
          ParameterKind::None)
    return std::nullopt;
  const Stmt *const *Position = llvm::find(Block->body(), ParamLoop);
  bool Safe = !mayNeedGrad(ParamLoop->getBody(), IsUser);
  for (auto It = Position; Safe && It != Block->body_end(); ++It)
    if (It != Position && mayNeedGrad(*It, IsUser))
      Safe = false;
  if (!Safe)
    return std::nullopt;
  if (!Plan.Names)
    Plan.Names.emplace(Function);
  std::optional<InsertedGuard> Guard =
      insertNoGradGuardBefore(ParamLoop, *Plan.Names, SM);
  if (!Guard)
    return std::nullopt;
  Plan.FixedLoops.insert(ParamLoop);
  return Guard->Fix;
}

void UnguardedParameterUpdateCheck::scanUpdates(
    const FunctionDecl &Function, const FunctionBodyIndex &Index,
    GraphFlow &Flow, ParameterSources &Sources,
    llvm::function_ref<bool(const FunctionDecl &)> IsUser,
    const SourceManager &SM, std::vector<Finding> &Out) {
  const bool IsForward =
      Function.getIdentifier() && Function.getName() == "forward";
  bool GradientsCarryGraph = false;
  FixItPlan Plan;

  for (const Stmt *S : Index.statements()) {
    // Only whole statements: the outermost call of `p.mul_(a).add_(b)`.
    const auto *E = llvm::dyn_cast<Expr>(S);
    const Stmt *Parent = Index.parentOf(S);
    if (!E || !Parent || llvm::isa<Expr>(Parent))
      continue;
    std::optional<Update> U = asUpdate(E);
    if (!U || isGradDisabledAt(S, Index))
      continue;

    std::optional<TargetKind> Kind = classifyUpdate(
        *U, S, Index, Flow, Sources, GradientsCarryGraph, IsForward);
    if (!Kind)
      continue;
    // Hand-written optimizers fold the gradient into their state next
    // (`exp_avg.mul_(b1).add_(p.grad(), 1 - b1)`): from here on it carries
    // the graph too.
    if (*Kind == TargetKind::Gradient)
      GradientsCarryGraph = true;

    Finding F;
    F.Function = Function.getCanonicalDecl();
    F.Location = E->getBeginLoc();
    F.Target = spellTarget(stripValueWrappers(U->Target), SM, getLangOpts());
    F.Kind = *Kind;
    for (const Stmt *Loop = Index.enclosingLoop(S); Loop;
         Loop = Index.enclosingLoop(Loop))
      F.Loop = Loop;
    F.Fix = planGuardFixIt(S, Function, Index, IsUser, SM, Plan);
    Out.push_back(std::move(F));
  }
}

void UnguardedParameterUpdateCheck::recordParameterArguments(
    const FunctionBodyIndex &Index,
    llvm::function_ref<bool(const FunctionDecl &)> IsUser) {
  for (const Stmt *S : Index.statements()) {
    const auto *Call = llvm::dyn_cast<CallExpr>(S);
    const FunctionDecl *Callee = Call ? calledFunction(Call) : nullptr;
    if (!Callee || !IsUser(*Callee))
      continue;
    llvm::SmallVector<const Expr *, 4> Args = argumentsInParameterOrder(Call);
    for (unsigned I = 0; I < Args.size(); ++I)
      if (Parameters.kindOf(Args[I], Index) == ParameterKind::Parameter)
        ParametersPassed.insert({Callee->getCanonicalDecl(), I});
  }
}

void UnguardedParameterUpdateCheck::checkFunction(
    const FunctionDecl *Function, const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;

  auto IsUser = [this, &SM](const FunctionDecl &Callee) {
    return isUserCode(SM, Callee.getLocation());
  };
  GraphFlow &Flow = analysis().graphFlow(SM);
  const FunctionBodyIndex &Index = Flow.indexOf(*Function);

  recordParameterArguments(Index, IsUser);

  const size_t First = Findings.size();
  scanUpdates(*Function, Index, Flow, Parameters, IsUser, SM, Findings);

  // A helper handed the model's parameters (`update_ema(ema, params)`):
  // its updates are judged as if its parameter held them, and reported
  // when a call in the file does pass them.
  for (unsigned I = 0; I < Function->getNumParams(); ++I) {
    const ParmVarDecl *Param = Function->getParamDecl(I);
    if (!isTensorOrStdOf(Param->getType(), {"vector"}))
      continue;
    ParameterSources Assumed;
    Assumed.assumeKind(Param, ParameterKind::Parameter);
    std::vector<Finding> IfPassed;
    GraphFlow AssumedFlow(IsUser, &analysis().external(),
                          &analysis().bodyIndexes());
    scanUpdates(*Function, AssumedFlow.indexOf(*Function), AssumedFlow, Assumed,
                IsUser, SM, IfPassed);
    for (Finding &F : IfPassed) {
      const bool Known = llvm::any_of(
          llvm::make_range(Findings.begin() + First, Findings.end()),
          [&](const Finding &Other) { return Other.Location == F.Location; });
      if (Known)
        continue;
      F.WhenParametersPassedAt = I;
      Findings.push_back(std::move(F));
    }
  }
}

bool UnguardedParameterUpdateCheck::parametersPassedFromElsewhere(
    const FunctionDecl *Function, unsigned Argument) {
  return llvm::any_of(
      analysis().callers().callersOf(Function),
      [&](const GradModeCallers::CallerSite &Site) {
        return Site.ExternalCall &&
               llvm::is_contained(Site.ExternalCall->ParametersAt, Argument);
      });
}

void UnguardedParameterUpdateCheck::onEndOfTranslationUnit() {
  for (const Finding &F : Findings) {
    // A helper whose callers all hold a guard is guarded too.
    if (analysis().callers().calledOnlyWithGradOff(F.Function))
      continue;
    if (F.WhenParametersPassedAt &&
        !ParametersPassed.contains({F.Function, *F.WhenParametersPassedAt}) &&
        !parametersPassedFromElsewhere(F.Function, *F.WhenParametersPassedAt))
      continue;
    {
      DiagnosticBuilder Diag = diag(F.Location, messageFor(F.Kind));
      Diag << F.Target;
      if (F.Fix)
        Diag << *F.Fix;
    }
    noteExternalCallerWithGradOn(F.Function);
    if (F.Loop)
      noteLoop(F.Loop, "the update runs in every iteration of this loop");
  }
  Findings.clear();
  ParametersPassed.clear();
}

} // namespace clang::tidy::torch
