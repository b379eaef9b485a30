//===--- TorchCheckBase.cpp - What every torch- check shares --------------===//

#include "TorchCheckBase.h"

#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"

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
      isUserCode(*Result.SourceManager, Function->getLocation())) {
    SM = Result.SourceManager;
    checkFunction(Function, Result);
  }
}

void TorchCheckBase::noteLoop(const Stmt *Loop, StringRef Message) {
  DiagnosticBuilder Note =
      diag(Loop->getBeginLoc(), Message, DiagnosticIDs::Note);
  if (LoopRangeInNote || LoopBodyInNote)
    Note << Loop->getSourceRange();
  if (LoopBodyInNote)
    if (CharSourceRange Body = loopBodyRange(Loop); Body.isValid())
      Note << Body;
}

CharSourceRange TorchCheckBase::loopBodyRange(const Stmt *Loop) const {
  const Stmt *Body = nullptr;
  SourceLocation HeaderEnd; // The ')' of the header, or 'do'.
  if (const auto *For = dyn_cast<ForStmt>(Loop)) {
    Body = For->getBody();
    HeaderEnd = For->getRParenLoc();
  } else if (const auto *RangeFor = dyn_cast<CXXForRangeStmt>(Loop)) {
    Body = RangeFor->getBody();
    HeaderEnd = RangeFor->getRParenLoc();
  } else if (const auto *While = dyn_cast<WhileStmt>(Loop)) {
    Body = While->getBody();
    HeaderEnd = While->getRParenLoc();
  } else if (const auto *Do = dyn_cast<DoStmt>(Loop)) {
    Body = Do->getBody();
    HeaderEnd = Do->getDoLoc();
  }
  if (!SM || !Body || HeaderEnd.isMacroID() ||
      Body->getBeginLoc().isMacroID() || Body->getEndLoc().isMacroID() ||
      SM->getFileID(HeaderEnd) != SM->getFileID(Body->getEndLoc()))
    return {};
  if (isa<CompoundStmt>(Body))
    return CharSourceRange::getTokenRange(Body->getSourceRange());
  // A statement's range stops before its ';'; the wrapping braces go after.
  SourceLocation End = Lexer::findLocationAfterToken(
      Body->getEndLoc(), tok::semi, *SM, getLangOpts(),
      /*SkipTrailingWhitespaceAndNewLine=*/false);
  if (End.isInvalid())
    End = Lexer::getLocForEndOfToken(Body->getEndLoc(), 0, *SM, getLangOpts());
  SourceLocation Begin =
      Lexer::getLocForEndOfToken(HeaderEnd, 0, *SM, getLangOpts());
  if (Begin.isInvalid() || End.isInvalid())
    return {};
  return CharSourceRange::getCharRange(Begin, End);
}

} // namespace clang::tidy::torch
