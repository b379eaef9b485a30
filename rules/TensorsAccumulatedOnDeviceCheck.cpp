//===--- TensorsAccumulatedOnDeviceCheck.cpp ------------------------------===//

#include "TensorsAccumulatedOnDeviceCheck.h"
#include "model/AutogradCalls.h"
#include "model/DeviceFlow.h"
#include "model/FunctionBodyIndex.h"
#include "model/IterationStorage.h"
#include "model/Reductions.h"
#include "model/TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringSwitch.h"

#include <optional>

using namespace clang::ast_matchers;

namespace clang::tidy::torch {

namespace {

/// Container methods that drop elements: a container that calls one of them
/// in every iteration is bounded.
bool isShrinkingMethod(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("clear", "erase", "pop_back", "pop_front", "pop", true)
      .Cases("resize", "swap", "reset", true)
      .Default(false);
}

/// True when the same iteration of \p Loop empties or replaces \p Target.
bool isShrunkInLoop(const StorageTarget &Target, const Stmt *Loop,
                    const Expr *Append, const FunctionBodyIndex &Index) {
  for (const Stmt *S : Index.statements()) {
    if (S == Append || !Index.isWithin(S, Loop))
      continue;
    if (const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S);
        Call && Call->getMethodDecl() &&
        Call->getMethodDecl()->getIdentifier() &&
        isShrinkingMethod(Call->getMethodDecl()->getName()) &&
        storageOf(Call->getImplicitObjectArgument()).Decl == Target.Decl)
      return true;
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
        storageOf(Op->getArg(0)).Decl == Target.Decl &&
        !refersTo(Op->getArg(1), Target))
      return true;
  }
  return false;
}

/// A module's forward collects per-step outputs on purpose and returns them;
/// they live for one call, not for the training loop.
bool isModuleForward(const FunctionDecl &Function) {
  const auto *Method = llvm::dyn_cast<CXXMethodDecl>(&Function);
  return Method && Method->getIdentifier() && Method->getName() == "forward" &&
         isModuleClass(Method->getParent());
}

/// Any other method of a module that returns what it collected (an encoder's
/// `features()`, one map per stage) is bounded by the model, not the data.
bool isReturnedByModuleMethod(const StorageTarget &Target,
                              const FunctionBodyIndex &Index) {
  const auto *Method = llvm::dyn_cast<CXXMethodDecl>(&Index.function());
  return Method && isModuleClass(Method->getParent()) &&
         llvm::any_of(Index.returnedValues(), [&](const Expr *Returned) {
           return refersTo(Returned, Target);
         });
}

/// True when \p Target is declared in the body of a loop around \p Loop
/// that runs a backward pass after \p Loop: per-sample outputs collected
/// for one batch's loss, freed with each batch.
bool isConsumedPerOuterIteration(const StorageTarget &Target, const Stmt *Loop,
                                 const FunctionBodyIndex &Index,
                                 const SourceManager &SM) {
  const auto *Var = llvm::dyn_cast_or_null<VarDecl>(Target.Decl);
  if (!Var || Target.IsMember || Var->hasGlobalStorage())
    return false;
  for (const Stmt *Outer = Index.enclosingLoop(Loop); Outer;
       Outer = Index.enclosingLoop(Outer)) {
    if (!Index.declaresInside(Var, loopBody(Outer)))
      continue;
    return llvm::any_of(Index.statements(), [&](const Stmt *S) {
      return isBackwardCall(S) && Index.isWithin(S, Outer) &&
             SM.isBeforeInTranslationUnit(Loop->getEndLoc(), S->getBeginLoc());
    });
  }
  return false;
}

std::optional<bool> parseBoolOption(StringRef Value) {
  if (Value.equals_insensitive("true") || Value == "1")
    return true;
  if (Value.equals_insensitive("false") || Value == "0")
    return false;
  return std::nullopt;
}

} // namespace

TensorsAccumulatedOnDeviceCheck::TensorsAccumulatedOnDeviceCheck(
    StringRef Name, ClangTidyContext *Context)
    : TorchCheckBase(Name, Context) {
  // Read as a string: libclangTidy does not export the bool overloads.
  StringRef Value = Options.get("IgnoreReductions", "true");
  std::optional<bool> Parsed = parseBoolOption(Value);
  if (!Parsed)
    configurationDiag("invalid value '%0' of option 'IgnoreReductions' of %1: "
                      "expected true or false; using the default (true)")
        << Value << Name;
  IgnoreReductions = Parsed.value_or(true);
}

void TensorsAccumulatedOnDeviceCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "IgnoreReductions", IgnoreReductions ? "true" : "false");
}

void TensorsAccumulatedOnDeviceCheck::checkFunction(
    const FunctionDecl *Function, const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;
  if (isModuleForward(*Function))
    return;

  DeviceFlow Flow([this, &SM](const FunctionDecl &Callee) {
    return isUserCode(SM, Callee.getLocation());
  });
  const FunctionBodyIndex &Index = Flow.indexOf(*Function);

  for (const Stmt *S : Index.statements()) {
    const auto *Append = llvm::dyn_cast<CXXMemberCallExpr>(S);
    if (!Append || !Append->getMethodDecl() ||
        !Append->getMethodDecl()->getIdentifier() ||
        !isContainerAppendMethod(Append->getMethodDecl()->getName()) ||
        Append->getNumArgs() == 0)
      continue;
    const Expr *Value = Append->getArg(Append->getNumArgs() - 1);
    if (!isTensorType(Value->getType()))
      continue;
    const Stmt *Loop = Index.enclosingLoop(Append);
    if (!Loop)
      continue;
    const Expr *Container = Append->getImplicitObjectArgument();
    StorageTarget Target = storageOf(Container);
    if (!outlivesIteration(Target, Loop, Index) ||
        !Flow.isModuleOutput(Value, Index) || !Flow.isOnCuda(Value, Index) ||
        (IgnoreReductions && isReduction(Value, Index)) ||
        isShrunkInLoop(Target, Loop, Append, Index) ||
        isReturnedByModuleMethod(Target, Index) ||
        isConsumedPerOuterIteration(Target, Loop, Index, SM))
      continue;

    {
      DiagnosticBuilder Diag =
          diag(Append->getBeginLoc(),
               "'%0' outlives the loop iteration and each appended tensor "
               "stays on the CUDA device, so GPU memory grows with every "
               "iteration; move it to the host first ('.cpu()', or "
               "'.item()' for a scalar)")
          << Lexer::getSourceText(
                 CharSourceRange::getTokenRange(Container->getSourceRange()),
                 SM, getLangOpts());
      // Appending .cpu() to a named value is exact; other expressions would
      // need parentheses.
      const Expr *Named = stripValueWrappers(Value);
      if (llvm::isa<DeclRefExpr>(Named) && !Named->getBeginLoc().isMacroID()) {
        SourceLocation End = Lexer::getLocForEndOfToken(Named->getEndLoc(), 0,
                                                        SM, getLangOpts());
        if (End.isValid())
          Diag << FixItHint::CreateInsertion(End, ".cpu()");
      }
    }
    noteLoop(Loop, "device memory piles up across the iterations of this loop");
  }
}

} // namespace clang::tidy::torch
