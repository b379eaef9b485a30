//===--- TorchCheckBase.cpp - What every torch- check shares --------------===//

#include "TorchCheckBase.h"

using namespace clang::ast_matchers;

namespace clang::tidy::torch {

void TorchCheckBase::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()),
                   unless(ast_matchers::isTemplateInstantiation()),
                   unless(cxxMethodDecl(ofClass(isLambda()))))
          .bind("function"),
      this);
}

void TorchCheckBase::check(const MatchFinder::MatchResult &Result) {
  const auto *Function = Result.Nodes.getNodeAs<FunctionDecl>("function");
  if (Function && Function->getBody() &&
      isUserCode(*Result.SourceManager, Function->getLocation()))
    checkFunction(Function, Result);
}

void TorchCheckBase::noteLoop(const Stmt *Loop, StringRef Message) {
  DiagnosticBuilder Note =
      diag(Loop->getBeginLoc(), Message, DiagnosticIDs::Note);
  if (LoopRangeInNote)
    Note << Loop->getSourceRange();
}

} // namespace clang::tidy::torch
