//===--- GraphKeptAcrossIterationsCheck.cpp -------------------------------===//

#include "GraphKeptAcrossIterationsCheck.h"
#include "model/AutogradCalls.h"
#include "model/EvalCode.h"
#include "model/FunctionBodyIndex.h"
#include "model/GradModeScopes.h"
#include "model/GradientSteps.h"
#include "model/GraphFlow.h"
#include "model/IterationStorage.h"
#include "model/KeepSites.h"
#include "model/KeptArguments.h"
#include "model/ParameterSources.h"
#include "model/TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::torch {

namespace {

/// True when the loop builds one graph on purpose: after it, the function
/// returns a value that carries a graph or that holds what the loop stored
/// into \p Target (a module's forward, an unrolled sequence written step by
/// step into a tensor), or runs a backward pass (per-timestep losses
/// summed, then one backward; style transfer's losses over feature maps).
/// Only a loop that runs no backward or step of its own can do that: when
/// every iteration ends its own graph, whatever it also keeps is dead
/// weight, returned or not (measured: +6 KiB/iteration of graph nodes for a
/// returned `hist.push_back(loss)`). Outputs returned by a function that
/// switched its model to `eval()` are predictions, not a graph for later
/// (measured: 76 KiB/iteration kept).
bool buildsOneGraphOnPurpose(const Stmt *Loop, const StorageTarget &Target,
                             const FunctionBodyIndex &Index, GraphFlow &Flow,
                             GradientSteps &Steps, const SourceManager &SM) {
  if (trainsEachIteration(Loop, Index, Steps))
    return false;
  for (const Stmt *S : Index.statements()) {
    if (Index.isWithin(S, Loop) ||
        !SM.isBeforeInTranslationUnit(Loop->getEndLoc(), S->getBeginLoc()))
      continue;
    if (const auto *Return = llvm::dyn_cast<ReturnStmt>(S);
        Return && Return->getRetValue() &&
        (Flow.carriesGraph(Return->getRetValue(), Index) ||
         dependsOn(Return->getRetValue(), Target, Index, Index.body())))
      return llvm::none_of(Index.statements(), [](const Stmt *S) {
        return classifyModeSwitch(S) == ModeSwitch::ToEval;
      });
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

namespace {

/// A value kept in a loop, by a store of the loop body or by a helper that
/// the loop calls.
struct KeptInLoop {
  const Expr *Store = nullptr; // The store, or the call of the helper.
  StorageTarget Target;
  std::string TargetText;
  const Expr *Value = nullptr; // Null for a graph the helper records itself.
  KeepKind Kind = KeepKind::Accumulated;
  SourceLocation HelperStore; // Where the helper keeps it, if through one.
  /// The keep of a helper defined in another file, if through one.
  const SummaryKeep *ExternalKeep = nullptr;
};

std::optional<KeptInLoop> directKeep(const Stmt *S,
                                     const FunctionBodyIndex &Index,
                                     const SourceManager &SM,
                                     const LangOptions &LangOpts) {
  std::optional<KeepSite> Keep = asKeepSite(S, Index);
  if (!Keep)
    return std::nullopt;
  return KeptInLoop{Keep->Store,
                    storageOf(Keep->Target),
                    targetName(Keep->Target, SM, LangOpts).str(),
                    Keep->Value,
                    Keep->Kind,
                    SourceLocation()};
}

/// The values that a call of a helper keeps beyond the call.
std::vector<KeptInLoop> keptThroughHelper(const Stmt *S, KeptArguments &Kept,
                                          const SourceManager &SM,
                                          const LangOptions &LangOpts) {
  std::vector<KeptInLoop> Result;
  const auto *Call = llvm::dyn_cast<CallExpr>(S);
  if (!Call)
    return Result;
  std::vector<KeptArgument> Summary = Kept.of(calledFunction(Call));
  if (Summary.empty())
    return Result;
  llvm::SmallVector<const Expr *, 4> Args = argumentsInParameterOrder(Call);
  for (const KeptArgument &K : Summary) {
    const bool OwnGraph = K.ValueIndex == KeptArgument::OwnGraph;
    if (!OwnGraph && K.ValueIndex >= Args.size())
      continue;
    KeptInLoop Found{Call,   storageAtCall(K, Call, Args),
                     "",     OwnGraph ? nullptr : Args[K.ValueIndex],
                     K.Kind, K.Store};
    if (!Found.Target)
      continue;
    Found.TargetText =
        K.Destination == KeptArgument::Into::Argument
            ? targetName(Args[K.DestinationIndex], SM, LangOpts).str()
        : K.External ? K.External->StorageName
                     : K.Storage->getName().str();
    Found.ExternalKeep = K.External;
    Result.push_back(std::move(Found));
  }
  return Result;
}

/// The loop across whose iterations what \p Keep stores piles up, starting
/// at the innermost \p Loop: an inner loop that builds one graph on purpose
/// (rollout values collected for one backward after it) still leaks across
/// the outer loop when nothing there clears what it kept.
const Stmt *loopWherePilingUp(const KeptInLoop &Keep, const Stmt *Loop,
                              const FunctionBodyIndex &Index, GraphFlow &Flow,
                              GradientSteps &Steps, const SourceManager &SM) {
  for (; Loop && outlivesIteration(Keep.Target, Loop, Index);
       Loop = Index.enclosingLoop(Loop)) {
    if (isResetWithin(Keep.Target, Loop, Keep.Store, Index, Flow))
      return nullptr;
    if (!buildsOneGraphOnPurpose(Loop, Keep.Target, Index, Flow, Steps, SM))
      return Loop;
  }
  return nullptr;
}

} // namespace

bool GraphKeptAcrossIterationsCheck::mixesInParameter(
    const Stmt *S, const FunctionBodyIndex &Index) {
  if (const auto *E = llvm::dyn_cast_or_null<Expr>(S);
      E && Parameters.kindOf(E, Index) == ParameterKind::Parameter)
    return true;
  for (const Stmt *Child :
       S ? S->children()
         : Stmt::const_child_range(Stmt::const_child_iterator(),
                                   Stmt::const_child_iterator()))
    if (mixesInParameter(Child, Index))
      return true;
  return false;
}

void GraphKeptAcrossIterationsCheck::checkFunction(
    const FunctionDecl *Function, const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;

  GraphFlow &Flow = analysis().graphFlow(SM);
  GradientSteps &Steps = analysis().gradientSteps(SM);
  KeptArguments &Kept = analysis().keptArguments(SM);
  const FunctionBodyIndex &Index = Flow.indexOf(*Function);

  for (const Stmt *S : Index.statements()) {
    const Stmt *Loop = Index.enclosingLoop(S);
    if (!Loop)
      continue;
    std::vector<KeptInLoop> Candidates;
    if (std::optional<KeptInLoop> Direct =
            directKeep(S, Index, SM, getLangOpts()))
      Candidates.push_back(std::move(*Direct));
    else
      Candidates = keptThroughHelper(S, Kept, SM, getLangOpts());

    for (KeptInLoop &Keep : Candidates) {
      // A parameter itself is a leaf: keeping the handle (a list of
      // parameters for an optimizer) keeps no iteration's graph. A helper
      // records its own graph only when called with autograd on.
      if (Keep.Value ? !Flow.carriesGraph(Keep.Value, Index) ||
                           Parameters.kindOf(Keep.Value, Index) ==
                               ParameterKind::Parameter
                     : isGradDisabledAt(Keep.Store, Index))
        continue;
      // State folded from a parameter (`ema[k] = d * ema[k] + (1 - d) *
      // p`) is torch-unguarded-parameter-update's finding.
      if (Keep.Kind == KeepKind::Chained && Keep.Value &&
          mixesInParameter(Keep.Value, Index))
        continue;
      const Stmt *PilingLoop =
          loopWherePilingUp(Keep, Loop, Index, Flow, Steps, SM);
      if (!PilingLoop)
        continue;

      PendingFinding F;
      F.Function = Function->getCanonicalDecl();
      F.Location = Keep.Store->getBeginLoc();
      F.Kind = static_cast<unsigned>(Keep.Kind);
      F.Target = std::move(Keep.TargetText);
      F.Loop = PilingLoop;
      F.HelperStore = Keep.HelperStore;
      F.ExternalKeep = Keep.ExternalKeep;
      if (Keep.ExternalKeep)
        F.Helper = calledFunction(llvm::cast<CallExpr>(Keep.Store));
      F.NeverCleared = PilingLoop != Loop;
      // Appending .detach() to a named value is exact; other expressions
      // would need parentheses and a judgement about intent.
      const Expr *Value = stripValueWrappers(Keep.Value);
      if (Keep.Kind != KeepKind::Chained && !F.NeverCleared && Value &&
          llvm::isa<DeclRefExpr>(Value) && !Value->getBeginLoc().isMacroID()) {
        SourceLocation End = Lexer::getLocForEndOfToken(Value->getEndLoc(), 0,
                                                        SM, getLangOpts());
        if (End.isValid())
          F.Fix = FixItHint::CreateInsertion(End, ".detach()");
      }
      // A store that runs only in some iterations (the first batch kept as
      // a reference) may keep a bounded number of graphs: the unguarded
      // forward pass stays a finding of its own.
      if (Index.runsInEveryIteration(Keep.Store, F.Loop))
        analysis().overlaps().addKeptGraph(F.Function, F.Loop);
      Pending.push_back(std::move(F));
    }
  }

  // A loop whose function every caller runs under a grad-off guard records
  // no graph at all: findings wait for the whole translation unit.
}

void GraphKeptAcrossIterationsCheck::onEndOfTranslationUnit() {
  for (const PendingFinding &F : Pending) {
    if (analysis().callers().calledOnlyWithGradOff(F.Function))
      continue;
    {
      DiagnosticBuilder Diag = [&] {
        if (F.NeverCleared &&
            static_cast<KeepKind>(F.Kind) == KeepKind::Chained)
          return diag(F.Location,
                      "'%0' is computed from its own previous value with "
                      "autograd on and carried into the next round of the "
                      "enclosing loop, so the graphs of all rounds stay "
                      "chained and alive; detach it once per round "
                      "('.detach_()' after the backward pass)");
        if (F.NeverCleared)
          return diag(F.Location,
                      "'%0' collects tensors that carry their autograd "
                      "graphs for one backward pass, but nothing clears it "
                      "between rounds of the enclosing loop, so the graphs "
                      "of all rounds stay alive; clear it after each "
                      "backward pass (or declare it inside that loop)");
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
        case KeepKind::Written:
          return diag(F.Location,
                      "'%0' is written in place with a tensor that carries "
                      "an autograd graph, which links that graph into the "
                      "history of '%0', so the graph of every iteration "
                      "stays alive; write a detached value ('.detach()')");
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
    if (F.HelperStore.isValid())
      diag(F.HelperStore, "the called function keeps the value here",
           DiagnosticIDs::Note);
    if (F.ExternalKeep) {
      // The finding rests on another file's summary: point at its store.
      SourceLocation Store = locationOf(F.ExternalKeep->Store);
      diag(Store.isValid() ? Store : F.Helper->getLocation(),
           "%0, defined in another file of the project, keeps the value "
           "here (project summaries)",
           DiagnosticIDs::Note)
          << F.Helper;
    }
    // torch-missing-no-grad leaves this defect to the kept graph.
    if (const Stmt *Forward =
            analysis().overlaps().absorbedForwardIn(F.Function, F.Loop))
      diag(Forward->getBeginLoc(),
           "this forward pass runs with autograd on, which gives the kept "
           "tensors their graphs; declare 'torch::NoGradGuard' before it to "
           "record none %0",
           DiagnosticIDs::Note)
          << includedFindingSuffix("torch-missing-no-grad");
    noteExternalCallerWithGradOn(F.Function);
    noteLoop(F.Loop, "graphs pile up across the iterations of this loop");
  }
  Pending.clear();
}

} // namespace clang::tidy::torch
