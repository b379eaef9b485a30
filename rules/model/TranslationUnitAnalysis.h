//===--- TranslationUnitAnalysis.h - What the checks of a TU share -*- C++
//-*-===//
//
// clang-tidy makes new check objects for every translation unit. The
// torch- checks of one translation unit share one of these: the project's
// summaries, and one call graph with the grad mode of every call (the
// calls of this file, and those of other files that the summaries add), so
// that every rule judges a helper's callers the same way.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_TRANSLATIONUNITANALYSIS_H
#define TORCH_TIDY_RULES_MODEL_TRANSLATIONUNITANALYSIS_H

#include "DefectOverlaps.h"
#include "ExternalFunctions.h"
#include "FunctionBodyIndex.h"
#include "GradModeCallers.h"
#include "GradientSteps.h"
#include "GraphFlow.h"
#include "KeptArguments.h"
#include "OptimizerCalls.h"
#include "TorchTidyRules/UserCode.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace clang::tidy::torch {

/// The option naming optimizer classes beyond torch::optim::Optimizer's
/// subclasses, `;`-separated. Documented with torch-missing-zero-grad, it
/// applies to every torch- check; a global `ExtraOptimizerTypes` is read
/// when that check's option is not set.
inline constexpr llvm::StringLiteral ExtraOptimizerTypesOption =
    "torch-missing-zero-grad.ExtraOptimizerTypes";

class TranslationUnitAnalysis {
public:
  /// The analysis of the translation unit that \p Context checks now,
  /// made by its first torch- check. \p SummariesPath is the value of
  /// ProjectSummariesOption ("" for none).
  static std::shared_ptr<TranslationUnitAnalysis>
  forTranslationUnit(ClangTidyContext &Context, llvm::StringRef SummariesPath);

  /// Why the summaries file could not be used, once (to the first check
  /// that asks), else "".
  std::string takeLoadProblem() { return std::move(LoadProblem); }

  ExternalFunctions &external() { return External; }

  /// Records the calls and escapes of \p Function's body, once per
  /// function, whichever check sees it first.
  void recordFunction(const FunctionDecl &Function);

  /// The call graph of the translation unit, with the calls of other files
  /// from the project's summaries.
  GradModeCallers &callers();

  /// The first call of \p Function with grad on made in another file, or
  /// null.
  const GradModeCallers::CallerSite *
  externalCallWithGradOn(const FunctionDecl *Function);

  /// Whether \p Loc is in the user's code (not a system header, not
  /// libtorch), decided once per file.
  bool isUserCode(const SourceManager &SM, SourceLocation Loc) {
    return UserCode.isUserLocation(SM, Loc);
  }

  /// The index of each function body, built once for every check.
  BodyIndexes &bodyIndexes() { return Indexes; }

  /// The analyses of the translation unit, made by the first check that
  /// asks and shared by all: their answers depend on the code alone.
  /// \p SM is the translation unit's.
  GraphFlow &graphFlow(const SourceManager &SM);
  KeptArguments &keptArguments(const SourceManager &SM);
  GradientSteps &gradientSteps(const SourceManager &SM);

  /// The optimizer classes of every check: torch::optim::Optimizer's
  /// subclasses and those named by ExtraOptimizerTypesOption.
  const OptimizerTypes &optimizerTypes() const { return Types; }

  /// Where two checks would report one defect: which one reports it.
  DefectOverlaps &overlaps() { return Overlaps; }

private:
  TranslationUnitAnalysis(std::shared_ptr<const ProjectSummaries> Project,
                          OptimizerTypes Types)
      : External(std::move(Project)), Types(std::move(Types)) {}
  void importProjectCalls();

  /// Which callees are the user's: judged by their bodies.
  std::function<bool(const FunctionDecl &)>
  userFunctions(const SourceManager &SM);

  ExternalFunctions External;
  UserCodeFilter UserCode;
  BodyIndexes Indexes;
  std::unique_ptr<GraphFlow> Flow;
  std::unique_ptr<KeptArguments> Kept;
  OptimizerTypes Types;
  std::unique_ptr<GradientSteps> Steps;
  GradModeCallers Callers;
  DefectOverlaps Overlaps;
  llvm::SetVector<const FunctionDecl *> Recorded;
  bool Imported = false;
  llvm::StringSet<> UnknownFunctions; // Nodes for USRs nothing here knows.
  std::string LoadProblem;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_TRANSLATIONUNITANALYSIS_H
