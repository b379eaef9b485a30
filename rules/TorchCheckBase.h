//===--- TorchCheckBase.h - What every torch- check shares ------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_TORCHCHECKBASE_H
#define TORCH_TIDY_RULES_TORCHCHECKBASE_H

#include "TorchTidyRules/LoopNoteOptions.h"
#include "TorchTidyRules/ProjectSummaries.h"
#include "TorchTidyRules/UserCode.h"
#include "model/TranslationUnitAnalysis.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

namespace clang::tidy::torch {

class TorchCheckBase : public ClangTidyCheck {
public:
  TorchCheckBase(StringRef Name, ClangTidyContext *Context);

  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus17;
  }
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override {}

  /// Every check looks at the bodies of user function definitions, walking
  /// them itself: matching statements directly would also visit every
  /// declaration of libtorch's headers. Lambdas are analysed inside the
  /// function that writes them; template instantiations repeat their
  /// pattern.
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

protected:
  /// Called once for each function definition with a body in user code.
  virtual void
  checkFunction(const FunctionDecl *Function,
                const ast_matchers::MatchFinder::MatchResult &Result) = 0;

  /// Points a note at \p Loop, the loop whose iterations the finding is
  /// about; `torch-tidy confirm` matches probe sites inside its range.
  void noteLoop(const Stmt *Loop, StringRef Message);

  bool isUserCode(const SourceManager &SM, SourceLocation Loc) {
    return Analysis->isUserCode(SM, Loc);
  }

  /// What the torch- checks of this translation unit share: the project's
  /// summaries, the call graph, the user-code filter and the analyses.
  TranslationUnitAnalysis &analysis() { return *Analysis; }

  /// \p Where, a place in another file of the project, as a location of
  /// this translation unit (the file is loaded for the note); invalid when
  /// the file cannot be read.
  SourceLocation locationOf(const SummaryLocation &Where);

  /// When \p Function is called with grad on from another file, a note at
  /// \p Function naming that call: the reason a finding in a helper stands.
  void noteExternalCallerWithGradOn(const FunctionDecl *Function);

private:
  /// The body of \p Loop as a character range (see LoopBodyOption); an
  /// invalid range when the loop comes from a macro.
  CharSourceRange loopBodyRange(const Stmt *Loop) const;

  bool LoopRangeInNote;
  bool LoopBodyInNote;
  /// Of the function being checked; noteLoop needs it to find the body's
  /// trailing ';'.
  const SourceManager *SM = nullptr;
  std::shared_ptr<TranslationUnitAnalysis> Analysis;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_TORCHCHECKBASE_H
