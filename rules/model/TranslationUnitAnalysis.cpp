//===--- TranslationUnitAnalysis.cpp - What the checks of a TU share ------===//

#include "TranslationUnitAnalysis.h"
#include "FunctionUses.h"
#include "GradModeScopes.h"
#include "TorchTidyRules/ProjectQuestions.h"

#include "clang/AST/Expr.h"
#include "llvm/ADT/StringMap.h"

#include <mutex>

namespace clang::tidy::torch {

std::shared_ptr<TranslationUnitAnalysis>
TranslationUnitAnalysis::forTranslationUnit(ClangTidyContext &Context,
                                            llvm::StringRef SummariesPath) {
  // The checks of one translation unit are made one after another, after
  // the context names the file; they hold the analysis, and it dies with
  // the last of them.
  struct Current {
    const ClangTidyContext *Context = nullptr;
    std::string File;
    std::weak_ptr<TranslationUnitAnalysis> Analysis;
  };
  static std::mutex Lock;
  static Current Shared;
  std::lock_guard<std::mutex> Guard(Lock);
  if (auto Existing = Shared.Analysis.lock();
      Existing && Shared.Context == &Context &&
      Shared.File == Context.getCurrentFile())
    return Existing;

  std::shared_ptr<const ProjectSummaries> Project;
  std::string Problem;
  if (!SummariesPath.empty()) {
    if (auto Loaded = ProjectSummaries::load(SummariesPath))
      Project = std::move(*Loaded);
    else
      Problem = llvm::toString(Loaded.takeError());
  }
  const ClangTidyOptions::OptionMap &Options =
      Context.getOptions().CheckOptions;
  auto Extra = Options.find(ExtraOptimizerTypesOption);
  if (Extra == Options.end())
    Extra = Options.find("ExtraOptimizerTypes");
  std::shared_ptr<TranslationUnitAnalysis> Analysis(new TranslationUnitAnalysis(
      std::move(Project),
      OptimizerTypes(splitQualifiedNames(
          Extra == Options.end() ? ""
                                 : llvm::StringRef(Extra->second.Value)))));
  Analysis->LoadProblem = std::move(Problem);
  Shared = {&Context, Context.getCurrentFile().str(), Analysis};
  return Analysis;
}

std::function<bool(const FunctionDecl &)>
TranslationUnitAnalysis::userFunctions(const SourceManager &SM) {
  return [this, &SM](const FunctionDecl &Callee) {
    return isUserCode(SM, Callee.getLocation());
  };
}

GraphFlow &TranslationUnitAnalysis::graphFlow(const SourceManager &SM) {
  if (!Flow)
    Flow = std::make_unique<GraphFlow>(userFunctions(SM), &External, &Indexes);
  return *Flow;
}

KeptArguments &TranslationUnitAnalysis::keptArguments(const SourceManager &SM) {
  if (!Kept)
    Kept =
        std::make_unique<KeptArguments>(userFunctions(SM), &External, &Indexes);
  return *Kept;
}

GradientSteps &TranslationUnitAnalysis::gradientSteps(const SourceManager &SM) {
  if (!Steps)
    Steps = std::make_unique<GradientSteps>(Types, userFunctions(SM), &External,
                                            &Indexes);
  return *Steps;
}

void TranslationUnitAnalysis::recordFunction(const FunctionDecl &Function) {
  if (!Recorded.insert(callGraphKey(&Function)))
    return;
  const FunctionBodyIndex &Index = Indexes.of(Function);
  for (const FunctionUse &Use : functionUsesOf(Index)) {
    if (Use.Call)
      Callers.recordCall(&Function, Use.Function,
                         isGradDisabledAt(Use.Call, Index));
    else // Passed on or stored, it may run anywhere: an unguarded use.
      Callers.recordEscape(GradModeCallers::nodeOf(Use.Function));
  }
}

void TranslationUnitAnalysis::importProjectCalls() {
  Imported = true;
  const ProjectSummaries *Project = External.project();
  if (!Project)
    return;
  // The functions of this file by USR: calls from elsewhere into them meet
  // the calls recorded here. The calls of the functions defined here are
  // recorded already, from their bodies.
  llvm::StringMap<const FunctionDecl *> Local;
  for (const FunctionDecl *Function : Recorded) {
    llvm::StringRef Usr = External.usrOf(Function);
    Local.try_emplace(Usr, Function);
    // The callers of these functions in other files count from now on.
    if (!Usr.empty())
      noteCallersRead(Usr);
  }
  auto NodeOf = [&](llvm::StringRef Usr) -> GradModeCallers::Node {
    if (const FunctionDecl *Function = Local.lookup(Usr))
      return GradModeCallers::nodeOf(Function);
    if (const FunctionSummary *Summary = Project->find(Usr))
      return Summary;
    return UnknownFunctions.insert(Usr).first->getKeyData();
  };
  for (const FunctionSummary &Summary : Project->functions()) {
    if (Local.count(Summary.Usr))
      continue;
    for (const SummaryCall &Call : Summary.Calls) {
      if (Call.Escape)
        Callers.recordEscape(NodeOf(Call.Callee));
      else
        Callers.recordProjectCall(NodeOf(Summary.Usr), NodeOf(Call.Callee),
                                  Summary, Call);
    }
  }
}

GradModeCallers &TranslationUnitAnalysis::callers() {
  if (!Imported)
    importProjectCalls();
  return Callers;
}

const GradModeCallers::CallerSite *
TranslationUnitAnalysis::externalCallWithGradOn(const FunctionDecl *Function) {
  for (const GradModeCallers::CallerSite &Site : callers().callersOf(Function))
    if (Site.ExternalCaller && !Site.GradOff)
      return &Site;
  return nullptr;
}

} // namespace clang::tidy::torch
