//===--- MissingNoGradCheck.cpp -------------------------------------------===//

#include "MissingNoGradCheck.h"
#include "model/AutogradCalls.h"
#include "model/EvalCode.h"
#include "model/GradModeScopes.h"
#include "model/InferenceEntries.h"
#include "model/KeptArguments.h"
#include "model/TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::torch {

namespace {

constexpr llvm::StringLiteral DefaultEvalFunctionRegex =
    "eval|evaluate|evaluation|valid|validate|validation|test|testing|infer|"
    "inference|predict|prediction";

/// Code after an `eval()` or `train(false)` call, in source order, up to the
/// next call that turns training back on.
struct EvalRegion {
  const Expr *EvalCall = nullptr;
  const Expr *TrainCall = nullptr; // Null when it runs to the function end.
  std::vector<const Stmt *> Statements;
};

/// The statement of a block that consists of \p Call alone, if any.
const Stmt *statementOfCall(const Expr *Call, const FunctionBodyIndex &Index) {
  const Stmt *S = Call;
  while (const Stmt *Parent = Index.parentOf(S)) {
    if (llvm::isa<CompoundStmt>(Parent))
      break;
    if (!llvm::isa<Expr>(Parent))
      return nullptr;
    S = Parent;
  }
  const auto *E = llvm::dyn_cast<Expr>(S);
  if (!E || !Index.parentOf(S) || stripValueWrappers(E) != Call)
    return nullptr;
  return S;
}

} // namespace

MissingNoGradCheck::MissingNoGradCheck(StringRef Name,
                                       ClangTidyContext *Context)
    : TorchCheckBase(Name, Context),
      EvalFunctionRegex(
          Options.get("EvalFunctionRegex", DefaultEvalFunctionRegex).str()),
      ExtraForwardFunctions(Options.get("ExtraForwardFunctions", "").str()) {
  // Each word of a function name must match the whole expression.
  EvalWord =
      llvm::Regex("^(" + EvalFunctionRegex + ")$", llvm::Regex::IgnoreCase);
  std::string Error;
  if (!EvalFunctionRegex.empty() && !EvalWord.isValid(Error)) {
    configurationDiag("invalid regular expression '%0' in option "
                      "'EvalFunctionRegex' of %1: %2; using the default")
        << EvalFunctionRegex << Name << Error;
    EvalWord = llvm::Regex(("^(" + DefaultEvalFunctionRegex + ")$").str(),
                           llvm::Regex::IgnoreCase);
  }
  llvm::SmallVector<StringRef, 4> Names;
  StringRef(ExtraForwardFunctions).split(Names, ';', -1, false);
  for (StringRef Extra : Names) {
    Extra = Extra.trim();
    Extra.consume_front("::");
    if (!Extra.empty())
      ExtraForwardNames.push_back(Extra.str());
  }
  analysis().overlaps().setForwardsProvider(
      [this] { return decideFindings(); });
}

void MissingNoGradCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "EvalFunctionRegex", EvalFunctionRegex);
  Options.store(Opts, "ExtraForwardFunctions", ExtraForwardFunctions);
}

bool MissingNoGradCheck::hasEvalName(const FunctionDecl &Function) const {
  if (!Function.getIdentifier() || EvalFunctionRegex.empty())
    return false;
  for (const std::string &Word : identifierWords(Function.getName()))
    if (EvalWord.match(Word))
      return true;
  return false;
}

bool MissingNoGradCheck::isForward(const Stmt *S) const {
  const auto *Call = llvm::dyn_cast<CallExpr>(S);
  if (!Call)
    return false;
  if (isForwardCall(Call) || isDependentForwardCall(Call))
    return true;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (ExtraForwardNames.empty() || !Callee || !Callee->getIdentifier())
    return false;
  std::string Qualified = Callee->getQualifiedNameAsString();
  for (const std::string &Extra : ExtraForwardNames)
    if (Extra == Callee->getName() || Extra == Qualified)
      return true;
  return false;
}

bool MissingNoGradCheck::consumesGrad(const Stmt *S, const SourceManager &SM) {
  if (isBackwardCall(S) || isStepCall(S))
    return true;
  // A helper of this translation unit that runs backward or a step, such as
  // `train_step(model, batch)`.
  const auto *Call = llvm::dyn_cast<CallExpr>(S);
  return Call && Call->getDirectCallee() &&
         runsBackward(Call->getDirectCallee(), SM);
}

bool MissingNoGradCheck::runsBackward(const FunctionDecl *Function,
                                      const SourceManager &SM) {
  const FunctionDecl *Definition = nullptr;
  if (!Function->hasBody(Definition) || !Definition) {
    // Defined in another file of the project.
    const FunctionSummary *Summary =
        isUserCode(SM, Function->getLocation())
            ? analysis().external().summaryOf(Function)
            : nullptr;
    return Summary && (Summary->Backward || Summary->OptimizerStep);
  }
  if (!isUserCode(SM, Definition->getLocation()))
    return false;
  // A function that calls itself runs backward only if some other
  // statement of it does.
  return BackwardSummaries.get(
      Definition->getCanonicalDecl(), /*Provisional=*/false, [&] {
        const FunctionBodyIndex &Index =
            analysis().bodyIndexes().of(*Definition);
        return llvm::any_of(Index.statements(),
                            [&](const Stmt *S) { return consumesGrad(S, SM); });
      });
}

bool MissingNoGradCheck::trainsDirectly(const FunctionDecl *Function) {
  const FunctionDecl *Definition = nullptr;
  if (!Function->hasBody(Definition) || !Definition)
    return false;
  auto [It, Inserted] = DirectTraining.try_emplace(Function, false);
  if (Inserted) {
    const FunctionBodyIndex &Index = analysis().bodyIndexes().of(*Definition);
    It->second = llvm::any_of(Index.statements(), [](const Stmt *S) {
      return isBackwardCall(S) || isStepCall(S);
    });
  }
  return It->second;
}

bool MissingNoGradCheck::drivesOwnTraining(const CXXRecordDecl &Record) {
  return llvm::any_of(Record.methods(), [this](const CXXMethodDecl *Method) {
    return trainsDirectly(Method);
  });
}

/// True when a function that returns a value may have that value trained
/// on: a caller runs backward or a step itself, or passes the result on
/// to its own callers that do (`predict` inside `compute_loss` inside a
/// training step).
bool MissingNoGradCheck::resultFeedsTraining(
    const FunctionDecl *Function,
    llvm::DenseSet<const FunctionDecl *> &Visiting) {
  QualType Result = Function->getReturnType();
  if (Result->isVoidType() || Result->isArithmeticType() ||
      !Visiting.insert(Function).second)
    return false;
  for (const GradModeCallers::CallerSite &Site :
       analysis().callers().callersOf(Function)) {
    if (Site.GradOff)
      continue;
    // A caller in another file trains when its summary says so.
    if (Site.ExternalCaller ? Site.ExternalCaller->Backward ||
                                  Site.ExternalCaller->OptimizerStep
                            : trainsDirectly(Site.Caller) ||
                                  resultFeedsTraining(Site.Caller, Visiting))
      return true;
  }
  return false;
}

std::optional<InsertedGuard> MissingNoGradCheck::guardInsertion(
    const Stmt *Before, const FunctionBodyIndex &Index, GuardNames &Names,
    const SourceManager &SM) const {
  if (!Before || !llvm::isa_and_nonnull<CompoundStmt>(Index.parentOf(Before)))
    return std::nullopt;
  return insertNoGradGuardBefore(Before, Names, SM);
}

std::function<bool(const FunctionDecl &)>
MissingNoGradCheck::userFunctions(const SourceManager &SM) {
  return [this, &SM](const FunctionDecl &Callee) {
    return isUserCode(SM, Callee.getLocation());
  };
}

void MissingNoGradCheck::checkFunction(const FunctionDecl *Function,
                                       const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;

  const FunctionBodyIndex &Index = analysis().bodyIndexes().of(*Function);
  const bool AsksForGrad = llvm::any_of(Index.statements(), requestsGrad);
  const bool Trains = llvm::any_of(
      Index.statements(), [&](const Stmt *S) { return consumesGrad(S, SM); });
  TranslationUnitTrains |= AsksForGrad || Trains;

  // Unit tests run a forward pass once on purpose; a module's own methods
  // run in whatever grad mode their caller chose, unless the module also
  // drives its own training (`Train` calling `ValidEpoch` between epochs).
  if (isUnitTestBody(*Function, SM, getLangOpts()))
    return;
  if (const auto *Method = llvm::dyn_cast<CXXMethodDecl>(Function);
      Method && isModuleClass(Method->getParent()) &&
      !drivesOwnTraining(*Method->getParent()))
    return;

  // Code that asks for gradients itself (inputs or a latent that require
  // grad, gradients read back, grad turned on) needs autograd.
  if (AsksForGrad)
    return;

  // Eval code by mode switch: from eval() to the next train().
  std::vector<EvalRegion> Regions;
  for (const Stmt *S : Index.statements()) {
    bool Open = !Regions.empty() && !Regions.back().TrainCall;
    switch (classifyModeSwitch(S)) {
    case ModeSwitch::ToEval:
      if (!Open)
        Regions.push_back({llvm::cast<Expr>(S), nullptr, {}});
      continue;
    case ModeSwitch::ToTrain:
      if (Open)
        Regions.back().TrainCall = llvm::cast<Expr>(S);
      continue;
    case ModeSwitch::None:
      if (Open)
        Regions.back().Statements.push_back(S);
      break;
    }
  }
  llvm::erase_if(Regions, [&](const EvalRegion &Region) {
    return llvm::any_of(Region.Statements,
                        [&](const Stmt *S) { return consumesGrad(S, SM); });
  });

  // Eval code by name: no backward pass or step anywhere in the function.
  const bool NamedEval = hasEvalName(*Function) && !Trains;

  const EvalRegion *ForwardRegion = nullptr;
  const Expr *Forward = nullptr;
  for (const Stmt *S : Index.statements()) {
    if (!isForward(S) || isGradDisabledAt(S, Index))
      continue;
    for (const EvalRegion &Region : Regions)
      if (llvm::is_contained(Region.Statements, S))
        ForwardRegion = &Region;
    if (ForwardRegion || NamedEval) {
      Forward = llvm::cast<Expr>(S);
      break;
    }
  }
  auto IsForward = [this](const Stmt *S) { return isForward(S); };
  // Inference code by what surrounds it: a function that runs a forward
  // pass and no backward, in a translation unit where nothing trains
  // (decided at its end), such as a serving method called per request.
  bool InferenceEntry = false;
  if (!Forward && !Trains) {
    Forward = unguardedInferenceForward(Index, userFunctions(SM), IsForward);
    InferenceEntry = Forward != nullptr;
  }
  // A loop whose graphs all die unused (a loss computed and never
  // backpropagated, outputs kept in a local) is inference code too, even
  // in a file that trains elsewhere.
  bool DiscardsGraphs = false;
  if ((!Forward || InferenceEntry) && !Trains) {
    if (const Expr *InLoop = forwardInLoopDiscardingGraphs(
            Index, userFunctions(SM), IsForward)) {
      DiscardsGraphs = true;
      if (!Forward) {
        Forward = InLoop;
        InferenceEntry = true;
      }
    }
  }
  if (!Forward)
    return;

  Candidate Found;
  Found.Index = &Index;
  for (const Stmt *S : Index.statements()) {
    if (!isForward(S) || isGradDisabledAt(S, Index))
      continue;
    // A loop that discards its graphs is about forward passes in loops.
    if (DiscardsGraphs && !Index.enclosingLoop(S))
      continue;
    if (NamedEval || InferenceEntry ||
        llvm::is_contained(ForwardRegion->Statements, S))
      Found.Covered.push_back(S);
  }
  Found.Function = Function->getCanonicalDecl();
  Found.Forward = Forward;
  Found.EvalCall = ForwardRegion ? ForwardRegion->EvalCall : nullptr;
  Found.Loop = Index.enclosingLoop(Forward);
  Found.InferenceEntry = InferenceEntry;
  Found.DiscardsGraphs = DiscardsGraphs;
  GuardNames Names(*Function);
  std::optional<InsertedGuard> Guard;
  if (NamedEval || InferenceEntry) {
    // The whole function is eval code: guard it from its first statement.
    if (const auto *Body = llvm::dyn_cast<CompoundStmt>(Function->getBody());
        Body && !Body->body_empty())
      Guard = guardInsertion(Body->body_front(), Index, Names, SM);
  } else if (const Stmt *EvalStmt =
                 statementOfCall(ForwardRegion->EvalCall, Index)) {
    // Guard the rest of the eval() call's block when that block holds every
    // unguarded forward pass of the region and no train() that ends it.
    const Stmt *Block = Index.parentOf(EvalStmt);
    bool Covers = !(ForwardRegion->TrainCall &&
                    Index.isWithin(ForwardRegion->TrainCall, Block)) &&
                  llvm::all_of(ForwardRegion->Statements, [&](const Stmt *S) {
                    return !isForward(S) || isGradDisabledAt(S, Index) ||
                           Index.isWithin(S, Block);
                  });
    if (Covers)
      Guard = guardInsertion(EvalStmt, Index, Names, SM);
  }
  Found.GuardName = Guard ? Guard->Name : Names.freeName(NoGradGuardName);
  if (Guard)
    Found.Fix = Guard->Fix;
  Candidates.push_back(std::move(Found));
}

UnguardedForwards MissingNoGradCheck::forwardsOf(const Candidate &Found) {
  return {Found.Function, Found.Index, Found.Covered};
}

std::vector<UnguardedForwards> MissingNoGradCheck::decideFindings() {
  std::vector<UnguardedForwards> Decided;
  for (Candidate &Found : Candidates) {
    const bool Discarding = Found.DiscardsGraphs && TranslationUnitTrains;
    if (Found.InferenceEntry && TranslationUnitTrains && !Discarding)
      continue;
    // The guard is often held by the caller: `NoGradGuard g; evaluate(m);`.
    if (analysis().callers().calledOnlyWithGradOff(Found.Function))
      continue;
    // `torch::Tensor predict(...)` may be the forward pass of a training
    // step elsewhere in the file.
    llvm::DenseSet<const FunctionDecl *> Visiting;
    if (resultFeedsTraining(Found.Function, Visiting))
      continue;
    Found.Reported = true;
    Decided.push_back(forwardsOf(Found));
  }
  return Decided;
}

const FunctionDecl *
MissingNoGradCheck::reportedCallee(const Stmt *Forward,
                                   const Candidate &Caller) const {
  const auto *Call = llvm::dyn_cast<CallExpr>(Forward);
  const FunctionDecl *Callee = Call ? calledFunction(Call) : nullptr;
  if (!Callee || Callee->getCanonicalDecl() == Caller.Function)
    return nullptr;
  Callee = Callee->getCanonicalDecl();
  return llvm::any_of(Candidates,
                      [&](const Candidate &C) {
                        return C.Reported && C.Function == Callee;
                      })
             ? Callee
             : nullptr;
}

void MissingNoGradCheck::onEndOfTranslationUnit() {
  DefectOverlaps &Overlaps = analysis().overlaps();
  // Marks the candidates that are findings (Candidate::Reported), once for
  // both checks, whichever of them finishes the translation unit first.
  Overlaps.reportedForwards();

  // What each finding reports: the first forward pass that no other
  // finding explains. Outputs kept in every iteration of a loop are the
  // kept graph's finding (the forward pass is its note); a call of a
  // function that is itself a finding is a path of that finding (a note
  // there, at the call).
  struct CallOfFinding {
    const Stmt *Call;
    const FunctionDecl *Caller;
  };
  llvm::DenseMap<const FunctionDecl *, std::vector<CallOfFinding>> CallsOf;
  std::vector<const Stmt *> ReportedAt(Candidates.size(), nullptr);
  for (size_t I = 0; I < Candidates.size(); ++I) {
    const Candidate &Found = Candidates[I];
    if (!Found.Reported)
      continue;
    const UnguardedForwards Forwards = forwardsOf(Found);
    auto Explained = [&](const Stmt *Forward) {
      return Overlaps.inKeptGraphLoop(Forwards, Forward) ||
             reportedCallee(Forward, Found);
    };
    // The reported forward pass may be a call of a helper that forwards,
    // which the guard covers without being a forward pass by name.
    std::vector<const Stmt *> All = Found.Covered;
    if (!llvm::is_contained(All, Found.Forward))
      All.insert(All.begin(), Found.Forward);
    for (const Stmt *Forward : All)
      if (const FunctionDecl *Callee = reportedCallee(Forward, Found))
        CallsOf[Callee].push_back({Forward, Found.Function});
    if (!Explained(Found.Forward))
      ReportedAt[I] = Found.Forward;
    else if (auto Left = llvm::find_if_not(Found.Covered, Explained);
             Left != Found.Covered.end())
      ReportedAt[I] = *Left;
  }

  for (size_t I = 0; I < Candidates.size(); ++I) {
    const Candidate &Found = Candidates[I];
    const Stmt *Forward = ReportedAt[I];
    if (!Forward)
      continue;
    const Stmt *Loop = Forward == Found.Forward
                           ? Found.Loop
                           : Found.Index->enclosingLoop(Forward);
    const bool Discarding = Found.DiscardsGraphs && TranslationUnitTrains;
    {
      DiagnosticBuilder Diag =
          Discarding
              ? diag(Forward->getBeginLoc(),
                     "forward pass in a loop that never runs backward records "
                     "a graph in every iteration that nothing uses, and it "
                     "keeps the activations alive as long as the outputs "
                     "live: declare 'torch::NoGradGuard %0;' before the "
                     "forward passes")
          : Found.InferenceEntry
              ? diag(Forward->getBeginLoc(),
                     "forward pass in inference code runs with autograd on, "
                     "so every call records a graph that keeps its "
                     "activations alive for as long as its output lives: "
                     "declare 'torch::NoGradGuard %0;' before the forward "
                     "passes")
              : diag(Forward->getBeginLoc(),
                     "forward pass in evaluation code runs with autograd on, "
                     "so it records a graph that keeps its activations alive "
                     "for as long as its output lives; 'eval()' does not "
                     "disable autograd: declare 'torch::NoGradGuard %0;' "
                     "before the forward passes");
      Diag << Found.GuardName;
      if (Found.Fix)
        Diag << *Found.Fix;
    }
    if (Found.EvalCall)
      diag(Found.EvalCall->getExprLoc(),
           "evaluation code starts here; this switches layers such as dropout "
           "and batch norm to inference behaviour but leaves autograd on",
           DiagnosticIDs::Note);
    else if (Discarding)
      diag(Found.Function->getLocation(),
           "%0 runs no backward pass or optimizer step, and no graph it "
           "records leaves it",
           DiagnosticIDs::Note)
          << Found.Function;
    else if (Found.InferenceEntry)
      diag(Found.Function->getLocation(),
           "%0 is inference code: nothing in this translation unit runs a "
           "backward pass or an optimizer step",
           DiagnosticIDs::Note)
          << Found.Function;
    else
      diag(Found.Function->getLocation(),
           "%0 is evaluation code by its name and runs no backward pass",
           DiagnosticIDs::Note)
          << Found.Function;
    noteExternalCallerWithGradOn(Found.Function);
    for (const CallOfFinding &Call : CallsOf.lookup(Found.Function))
      diag(Call.Call->getBeginLoc(),
           "%0 calls %1 here with autograd on, so this call records a graph "
           "too; the guard in %1 covers it %2",
           DiagnosticIDs::Note)
          << Call.Caller << Found.Function
          << includedFindingSuffix("torch-missing-no-grad");
    if (Loop)
      noteLoop(Loop, "a graph is recorded in every iteration of this "
                     "loop");
  }
  Candidates.clear();
  TranslationUnitTrains = false;
  BackwardSummaries.clear();
  DirectTraining.clear();
}

} // namespace clang::tidy::torch
