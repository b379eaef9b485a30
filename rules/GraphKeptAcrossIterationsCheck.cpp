//===--- GraphKeptAcrossIterationsCheck.cpp -------------------------------===//

#include "GraphKeptAcrossIterationsCheck.h"
#include "model/AutogradCalls.h"
#include "model/FunctionBodyIndex.h"
#include "model/GradModeScopes.h"
#include "model/GradientSteps.h"
#include "model/GraphFlow.h"
#include "model/IterationStorage.h"
#include "model/ParameterSources.h"
#include "model/TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::torch {

namespace {

enum class KeepKind { Accumulated, Appended, Chained };

/// A store inside a loop body that may carry a value into later iterations.
struct KeepSite {
  const Expr *Store = nullptr;  // The whole store expression.
  const Expr *Target = nullptr; // What is written to.
  const Expr *Value = nullptr;  // What is kept.
  KeepKind Kind = KeepKind::Accumulated;
};

bool isInPlaceAccumulation(llvm::StringRef Name) {
  return Name == "add_" || Name == "sub_" || Name == "mul_" || Name == "div_";
}

/// For `target = a + b` where one operand is the target, the other operand.
const Expr *otherAddend(const Expr *Rhs, const StorageTarget &Target) {
  const Expr *E = stripValueWrappers(Rhs);
  const Expr *Lhs = nullptr, *RhsOperand = nullptr;
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
    if ((Op->getOperator() != OO_Plus && Op->getOperator() != OO_Minus) ||
        Op->getNumArgs() != 2)
      return nullptr;
    Lhs = Op->getArg(0);
    RhsOperand = Op->getArg(1);
  } else {
    return nullptr;
  }
  StorageTarget LhsStorage = storageOf(Lhs);
  if (LhsStorage.Decl == Target.Decl)
    return RhsOperand;
  StorageTarget RhsStorage = storageOf(RhsOperand);
  if (RhsStorage.Decl == Target.Decl)
    return Lhs;
  return nullptr;
}

std::optional<KeepSite> asKeepSite(const Stmt *S) {
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S)) {
    if (Op->getNumArgs() != 2 || !isTensorType(Op->getArg(0)->getType()))
      return std::nullopt;
    switch (Op->getOperator()) {
    case OO_PlusEqual:
    case OO_MinusEqual:
    case OO_StarEqual:
    case OO_SlashEqual:
      return KeepSite{Op, Op->getArg(0), Op->getArg(1), KeepKind::Accumulated};
    case OO_Equal: {
      StorageTarget Target = storageOf(Op->getArg(0));
      if (!Target || !refersTo(Op->getArg(1), Target))
        return std::nullopt; // A plain overwrite keeps one graph only.
      if (const Expr *Addend = otherAddend(Op->getArg(1), Target))
        return KeepSite{Op, Op->getArg(0), Addend, KeepKind::Accumulated};
      return KeepSite{Op, Op->getArg(0), Op->getArg(1), KeepKind::Chained};
    }
    default:
      return std::nullopt;
    }
  }
  const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S);
  if (!Call || !Call->getMethodDecl() ||
      !Call->getMethodDecl()->getIdentifier() || Call->getNumArgs() == 0)
    return std::nullopt;
  llvm::StringRef Name = Call->getMethodDecl()->getName();
  const Expr *Object = Call->getImplicitObjectArgument();
  if (isContainerAppendMethod(Name))
    return KeepSite{Call, Object, Call->getArg(Call->getNumArgs() - 1),
                    KeepKind::Appended};
  if (isInPlaceAccumulation(Name) && isTensorType(Object->getType()))
    return KeepSite{Call, Object, Call->getArg(0), KeepKind::Accumulated};
  return std::nullopt;
}

/// True when the loop itself bounds what \p Target keeps: it is overwritten
/// with a fresh value, cleared or detached, or fed to backward, in the same
/// iteration.
bool isResetInLoop(const StorageTarget &Target, const Stmt *Loop,
                   const Expr *Store, const FunctionBodyIndex &Index,
                   GraphFlow &Flow) {
  for (const Stmt *S : Index.statements()) {
    if (S == Store || !Index.isWithin(S, Loop))
      continue;
    if (isBackwardCall(S) && refersTo(S, Target))
      return true;
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
        storageOf(Op->getArg(0)).Decl == Target.Decl &&
        (!refersTo(Op->getArg(1), Target) ||
         !Flow.carriesGraph(Op->getArg(1), Index)))
      return true;
    if (const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S);
        Call && Call->getMethodDecl() &&
        Call->getMethodDecl()->getIdentifier() &&
        storageOf(Call->getImplicitObjectArgument()).Decl == Target.Decl) {
      llvm::StringRef Name = Call->getMethodDecl()->getName();
      if (Name == "clear" || Name == "detach_" || Name == "reset")
        return true;
    }
  }
  return false;
}

/// True when the loop builds one graph on purpose: after it, the function
/// returns a value that carries a graph (a module's forward, an unrolled
/// sequence), or runs a backward pass (per-timestep losses summed, then one
/// backward). Only a loop that runs no backward or step of its own can do
/// that: when every iteration ends its own graph, whatever it also keeps is
/// dead weight, returned or not (measured: +6 KiB/iteration of graph nodes
/// for a returned `hist.push_back(loss)`).
bool buildsOneGraphOnPurpose(const Stmt *Loop, const FunctionBodyIndex &Index,
                             GraphFlow &Flow, GradientSteps &Steps,
                             const SourceManager &SM) {
  if (trainsEachIteration(Loop, Index, Steps))
    return false;
  for (const Stmt *S : Index.statements()) {
    if (Index.isWithin(S, Loop) ||
        !SM.isBeforeInTranslationUnit(Loop->getEndLoc(), S->getBeginLoc()))
      continue;
    if (const auto *Return = llvm::dyn_cast<ReturnStmt>(S))
      if (Return->getRetValue() &&
          Flow.carriesGraph(Return->getRetValue(), Index))
        return true;
    if (isBackwardCall(S))
      return true;
  }
  return false;
}

StringRef targetName(const Expr *Target, const SourceManager &SM,
                     const LangOptions &LangOpts) {
  return Lexer::getSourceText(
      CharSourceRange::getTokenRange(Target->getSourceRange()), SM, LangOpts);
}

} // namespace

void GraphKeptAcrossIterationsCheck::checkFunction(
    const FunctionDecl *Function, const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;

  auto IsUser = [this, &SM](const FunctionDecl &Callee) {
    return isUserCode(SM, Callee.getLocation());
  };
  GraphFlow Flow(IsUser);
  GradientSteps Steps(Types, IsUser);
  const FunctionBodyIndex &Index = Flow.indexOf(*Function);

  for (const Stmt *S : Index.statements()) {
    std::optional<KeepSite> Keep = asKeepSite(S);
    if (!Keep)
      continue;
    const Stmt *Loop = Index.enclosingLoop(S);
    if (!Loop)
      continue;
    StorageTarget Target = storageOf(Keep->Target);
    if (!outlivesIteration(Target, Loop, Index))
      continue;
    // A parameter itself is a leaf: keeping the handle (a list of
    // parameters for an optimizer) keeps no iteration's graph.
    if (!Flow.carriesGraph(Keep->Value, Index) ||
        Parameters.kindOf(Keep->Value, Index) == ParameterKind::Parameter)
      continue;
    if (isResetInLoop(Target, Loop, Keep->Store, Index, Flow) ||
        buildsOneGraphOnPurpose(Loop, Index, Flow, Steps, SM))
      continue;

    PendingFinding F;
    F.Function = Function->getCanonicalDecl();
    F.Location = Keep->Store->getBeginLoc();
    F.Kind = static_cast<unsigned>(Keep->Kind);
    F.Target = targetName(Keep->Target, SM, getLangOpts()).str();
    F.Loop = Loop;
    // Appending .detach() to a named value is exact; other expressions
    // would need parentheses and a judgement about intent.
    const Expr *Value = stripValueWrappers(Keep->Value);
    if (Keep->Kind != KeepKind::Chained && llvm::isa<DeclRefExpr>(Value) &&
        !Value->getBeginLoc().isMacroID()) {
      SourceLocation End =
          Lexer::getLocForEndOfToken(Value->getEndLoc(), 0, SM, getLangOpts());
      if (End.isValid())
        F.Fix = FixItHint::CreateInsertion(End, ".detach()");
    }
    Pending.push_back(std::move(F));
  }

  // A loop whose function every caller runs under a grad-off guard records
  // no graph at all: findings wait for the whole translation unit.
  for (const Stmt *S : Index.statements())
    if (const auto *Call = llvm::dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = Call->getDirectCallee();
          Callee && IsUser(*Callee))
        Callers.recordCall(Function, Callee, isGradDisabledAt(S, Index));
}

void GraphKeptAcrossIterationsCheck::onEndOfTranslationUnit() {
  for (const PendingFinding &F : Pending) {
    if (Callers.calledOnlyWithGradOff(F.Function))
      continue;
    {
      DiagnosticBuilder Diag = [&] {
        switch (static_cast<KeepKind>(F.Kind)) {
        case KeepKind::Accumulated:
          return diag(F.Location,
                      "'%0' accumulates a tensor that carries an autograd "
                      "graph, so the graph of every iteration stays alive; "
                      "accumulate a detached value ('.detach()', or "
                      "'.item<float>()' for a scalar)");
        case KeepKind::Appended:
          return diag(F.Location,
                      "'%0' outlives the loop iteration and each appended "
                      "tensor carries its autograd graph, so the graph of "
                      "every iteration stays alive; append '.detach()' or "
                      "compute it under 'torch::NoGradGuard'");
        case KeepKind::Chained:
          break;
        }
        return diag(F.Location,
                    "'%0' is computed from its own previous value with "
                    "autograd on, so the graphs of all iterations stay "
                    "chained and alive; detach it once per iteration "
                    "('.detach_()')");
      }();
      Diag << F.Target;
      if (F.Fix)
        Diag << *F.Fix;
    }
    noteLoop(F.Loop, "graphs pile up across the iterations of this loop");
  }
  Pending.clear();
  Callers.clear();
}

} // namespace clang::tidy::torch
