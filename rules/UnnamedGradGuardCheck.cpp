//===--- UnnamedGradGuardCheck.cpp ----------------------------------------===//

#include "UnnamedGradGuardCheck.h"
#include "model/FunctionBodyIndex.h"
#include "model/TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::torch {

namespace {

/// A guard object built as the whole of an expression statement.
struct GuardTemporary {
  const CXXConstructExpr *Construct = nullptr;
  TypeLoc WrittenType;
};

std::optional<GuardTemporary> asGuardTemporary(const Expr *E) {
  if (const auto *Cleanups = llvm::dyn_cast<ExprWithCleanups>(E))
    E = Cleanups->getSubExpr();
  GuardTemporary Guard;
  // `T(arg)` is a functional cast around the construction; `T()`, `T{}` and
  // `T{arg}` are temporary-object expressions that spell the type
  // themselves.
  if (const auto *Cast = llvm::dyn_cast<CXXFunctionalCastExpr>(E)) {
    if (!Cast->getTypeInfoAsWritten())
      return std::nullopt;
    Guard.WrittenType = Cast->getTypeInfoAsWritten()->getTypeLoc();
    E = Cast->getSubExpr();
  }
  if (const auto *Bind = llvm::dyn_cast<CXXBindTemporaryExpr>(E))
    E = Bind->getSubExpr();
  if (Guard.WrittenType.isNull()) {
    const auto *Temporary = llvm::dyn_cast<CXXTemporaryObjectExpr>(E);
    if (!Temporary || !Temporary->getTypeSourceInfo())
      return std::nullopt;
    Guard.WrittenType = Temporary->getTypeSourceInfo()->getTypeLoc();
  }
  Guard.Construct = llvm::dyn_cast<CXXConstructExpr>(E);
  if (!Guard.Construct || !Guard.Construct->getConstructor() ||
      !isGradGuardClass(Guard.Construct->getConstructor()->getParent()))
    return std::nullopt;
  return Guard;
}

/// Where \p Loc is spelled in the user's file: itself, or for a token passed
/// as a macro argument, the argument's text. Invalid for text that comes
/// from a macro's definition.
SourceLocation fileSpelling(SourceLocation Loc, const SourceManager &SM) {
  if (Loc.isFileID())
    return Loc;
  if (!SM.isMacroArgExpansion(Loc))
    return {};
  SourceLocation Spelled = SM.getImmediateSpellingLoc(Loc);
  return Spelled.isFileID() ? Spelled : SourceLocation();
}

bool hasWrittenArguments(const CXXConstructExpr *Construct) {
  return llvm::any_of(Construct->arguments(), [](const Expr *Arg) {
    return !llvm::isa<CXXDefaultArgExpr>(Arg);
  });
}

/// The variable name the fix-it prefers for each kind of guard.
llvm::StringRef guardVariableName(const CXXConstructExpr *Construct) {
  llvm::StringRef Class = Construct->getConstructor()->getParent()->getName();
  if (Class == "NoGradGuard")
    return NoGradGuardName;
  if (Class == "InferenceMode")
    return "inference_mode";
  return "grad_mode";
}

/// True for the positions where an expression is a statement of its own
/// whose value is discarded: directly in a block, or the body of a control
/// statement.
bool isStatementPosition(const Stmt *Child, const Stmt *Parent) {
  if (llvm::isa<CompoundStmt>(Parent))
    return true;
  if (const auto *If = llvm::dyn_cast<IfStmt>(Parent))
    return Child == If->getThen() || Child == If->getElse();
  if (isLoop(Parent))
    return Child == loopBody(Parent);
  if (const auto *Case = llvm::dyn_cast<SwitchCase>(Parent))
    return Child == Case->getSubStmt();
  if (const auto *Label = llvm::dyn_cast<LabelStmt>(Parent))
    return Child == Label->getSubStmt();
  return false;
}

} // namespace

void UnnamedGradGuardCheck::checkFunction(
    const FunctionDecl *Function, const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;
  CurrentFunction = Function;
  CurrentNames.reset();
  visit(Function->getBody(), SM);
}

GuardNames &UnnamedGradGuardCheck::guardNames() {
  if (!CurrentNames)
    CurrentNames.emplace(*CurrentFunction);
  return *CurrentNames;
}

void UnnamedGradGuardCheck::visit(const Stmt *S, const SourceManager &SM) {
  for (const Stmt *Child : S->children()) {
    if (!Child)
      continue;
    if (isStatementPosition(Child, S))
      checkStatement(Child, llvm::isa<CompoundStmt>(S), SM);
    visit(Child, SM);
  }
}

void UnnamedGradGuardCheck::checkStatement(const Stmt *S, bool InBlock,
                                           const SourceManager &SM) {
  const auto *E = llvm::dyn_cast<Expr>(S);
  std::optional<GuardTemporary> Guard = E ? asGuardTemporary(E) : std::nullopt;
  if (!Guard)
    return;

  // Only statements the user wrote out, semicolon included: not text that
  // a macro's definition supplies.
  const LangOptions &LangOpts = getLangOpts();
  SourceLocation Begin = fileSpelling(E->getBeginLoc(), SM);
  SourceLocation Last = fileSpelling(E->getEndLoc(), SM);
  SourceLocation TypeLast =
      fileSpelling(Guard->WrittenType.getSourceRange().getEnd(), SM);
  if (Begin.isInvalid() || Last.isInvalid() || TypeLast.isInvalid() ||
      SM.getFileID(Begin) != SM.getFileID(Last) || !isUserCode(SM, Begin))
    return;
  std::optional<Token> Next = Lexer::findNextToken(Last, SM, LangOpts);
  if (!Next || !Next->is(tok::semi))
    return;

  SourceLocation End = Lexer::getLocForEndOfToken(Last, 0, SM, LangOpts);
  SourceLocation TypeEnd =
      Lexer::getLocForEndOfToken(TypeLast, 0, SM, LangOpts);
  llvm::StringRef Written = Lexer::getSourceText(
      CharSourceRange::getCharRange(Begin, End), SM, LangOpts);
  llvm::StringRef TypeText = Lexer::getSourceText(
      CharSourceRange::getCharRange(Begin, TypeEnd), SM, LangOpts);
  llvm::StringRef Arguments = Lexer::getSourceText(
      CharSourceRange::getCharRange(TypeEnd, End), SM, LangOpts);
  if (Written.empty() || TypeText.empty())
    return;

  const bool WithArguments = hasWrittenArguments(Guard->Construct);
  // A declaration is only useful directly in a block (the body of an `if`
  // without braces would end its scope at once); there its name must
  // neither clash with nor hide a name the function uses.
  llvm::StringRef Preferred = guardVariableName(Guard->Construct);
  std::string Name =
      InBlock ? guardNames().take(Preferred) : guardNames().freeName(Preferred);
  // `T()` and `T{}` lose their parentheses: `T name();` declares a function.
  std::string Named = (TypeText + " " + Name).str();
  if (WithArguments)
    Named += Arguments.str();

  auto Diag = [&] {
    switch (classifyGradGuardConstruction(Guard->Construct)) {
    case GradGuardEffect::DisablesGrad:
      return diag(E->getBeginLoc(),
                  "'%0' is a temporary destroyed at the end of this "
                  "statement, so it protects nothing: the rest of the scope "
                  "still records autograd graphs and keeps their activations "
                  "alive; declare a named guard ('%1;')");
    case GradGuardEffect::EnablesGrad:
      return diag(E->getBeginLoc(),
                  "'%0' is a temporary destroyed at the end of this "
                  "statement, so autograd is not turned back on for the rest "
                  "of the scope; declare a named guard ('%1;')");
    case GradGuardEffect::None:
      break;
    }
    return diag(E->getBeginLoc(),
                "'%0' is a temporary destroyed at the end of this statement, "
                "so it sets the grad mode of nothing after it; declare a "
                "named guard ('%1;')");
  }();
  Diag << Written << Named;

  if (!InBlock)
    return;
  if (WithArguments)
    Diag << FixItHint::CreateInsertion(TypeEnd, " " + Name);
  else
    Diag << FixItHint::CreateReplacement(
        CharSourceRange::getCharRange(TypeEnd, End), " " + Name);
}

} // namespace clang::tidy::torch
