//===--- MissingNoGradCheck.h -----------------------------------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_MISSINGNOGRADCHECK_H
#define TORCH_TIDY_RULES_MISSINGNOGRADCHECK_H

#include "TorchCheckBase.h"
#include "model/FunctionBodyIndex.h"
#include "model/GradModeCallers.h"
#include "model/GuardInsertion.h"
#include "model/RecursiveMemo.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Regex.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::torch {

/// Finds forward passes in evaluation and inference code that run with
/// autograd on: after `model->eval()` or `train(false)`, in a function
/// named like evaluation code, or in a function of a translation unit that
/// never trains (an inference entry point such as a serving method), with
/// no backward pass or optimizer step and no grad-off scope around them (in
/// the function or at every call of it in the translation unit). The recorded
/// graph keeps every activation alive for as long as the outputs live.
///
/// For the user-facing documentation see docs/rules/torch-missing-no-grad.md
class MissingNoGradCheck : public TorchCheckBase {
public:
  MissingNoGradCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void
  checkFunction(const FunctionDecl *Function,
                const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  /// The first unguarded forward pass of one function of eval code.
  struct Candidate {
    const FunctionDecl *Function = nullptr; // Canonical declaration.
    const Expr *Forward = nullptr;
    const Expr *EvalCall = nullptr; // Null when the name made it eval code.
    const Stmt *Loop = nullptr;
    /// Found as an inference entry point: stands only when nothing in the
    /// translation unit trains.
    bool InferenceEntry = false;
    /// The forward pass lies in a loop of a function that runs no backward
    /// and lets no graph out: it stands even where the file trains.
    bool DiscardsGraphs = false;
    std::string GuardName; // The free name the message suggests.
    std::optional<FixItHint> Fix;
    const FunctionBodyIndex *Index = nullptr;
    /// Every unguarded forward pass that the suggested guard covers.
    std::vector<const Stmt *> Covered;
    bool Reported = false; // Decided at the end of the translation unit.
  };
  /// Decides which candidates are findings, before any is left to
  /// torch-graph-kept-across-iterations (DefectOverlaps).
  std::vector<UnguardedForwards> decideFindings();
  static UnguardedForwards forwardsOf(const Candidate &Found);
  /// The function that \p Forward calls, when it is itself a finding of
  /// this check (not \p Caller's own function).
  const FunctionDecl *reportedCallee(const Stmt *Forward,
                                     const Candidate &Caller) const;
  bool hasEvalName(const FunctionDecl &Function) const;
  bool isForward(const Stmt *S) const;
  bool consumesGrad(const Stmt *S, const SourceManager &SM);
  bool runsBackward(const FunctionDecl *Function, const SourceManager &SM);
  bool resultFeedsTraining(const FunctionDecl *Function,
                           llvm::DenseSet<const FunctionDecl *> &Visiting);
  bool trainsDirectly(const FunctionDecl *Function);
  /// True when a method of \p Record runs a backward pass or an optimizer
  /// step: the module is its own training driver.
  bool drivesOwnTraining(const CXXRecordDecl &Record);
  /// The first forward pass with grad on in \p Function, or call of a
  /// helper that returns one, when the function keeps the graph to itself;
  /// null otherwise.
  /// Which functions are the user's, for the model's helper summaries.
  std::function<bool(const FunctionDecl &)>
  userFunctions(const SourceManager &SM);
  std::optional<InsertedGuard> guardInsertion(const Stmt *Before,
                                              const FunctionBodyIndex &Index,
                                              GuardNames &Names,
                                              const SourceManager &SM) const;

  std::string EvalFunctionRegex;
  std::string ExtraForwardFunctions;
  llvm::Regex EvalWord;
  std::vector<std::string> ExtraForwardNames;

  // Per translation unit.
  std::vector<Candidate> Candidates;
  bool TranslationUnitTrains = false;
  CycleTracker BackwardCycles;
  RecursiveMemo<const FunctionDecl *, bool> BackwardSummaries{BackwardCycles};
  llvm::DenseMap<const FunctionDecl *, bool> DirectTraining;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MISSINGNOGRADCHECK_H
