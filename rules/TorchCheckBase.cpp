//===--- TorchCheckBase.cpp - What every torch- check shares --------------===//

#include "TorchCheckBase.h"

#include "clang/AST/DeclTemplate.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::torch {

TorchCheckBase::TorchCheckBase(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      LoopRangeInNote(Options.getLocalOrGlobal(LoopRangeOption, "false") ==
                      "true"),
      LoopBodyInNote(Options.getLocalOrGlobal(LoopBodyOption, "false") ==
                     "true"),
      Analysis(TranslationUnitAnalysis::forTranslationUnit(
          *Context, Options.getLocalOrGlobal(ProjectSummariesOption, ""))) {
  if (std::string Problem = Analysis->takeLoadProblem(); !Problem.empty())
    configurationDiag("cannot use the project summaries of option '%0': %1")
        << ProjectSummariesOption << Problem;
}

void TorchCheckBase::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()),
                   unless(ast_matchers::isTemplateInstantiation()),
                   unless(cxxMethodDecl(ofClass(isLambda()))))
          .bind("function"),
      this);
}

namespace {

/// The definition, in a specialisation of \p Template, of the member
/// function instantiated from \p Pattern, if one was instantiated.
const FunctionDecl *instantiatedMember(const ClassTemplateDecl &Template,
                                       const FunctionDecl &Pattern) {
  for (const ClassTemplateSpecializationDecl *Spec : Template.specializations())
    for (const CXXMethodDecl *Method : Spec->methods()) {
      const FunctionDecl *From = Method->getInstantiatedFromMemberFunction();
      const FunctionDecl *Definition = nullptr;
      if (From && From->getCanonicalDecl() == Pattern.getCanonicalDecl() &&
          Method->hasBody(Definition) && Definition)
        return Definition;
    }
  return nullptr;
}

/// For the definition of a template (a function template, or a member of a
/// class template), its first instantiation with a body in this
/// translation unit, where every type is known: `model.forward(batch.data)`
/// in `template <typename Loader> void train(...)` resolves there. Null for
/// other functions and for templates nothing instantiates; those are
/// judged on their own text.
const FunctionDecl *firstInstantiation(const FunctionDecl &Function) {
  if (const FunctionTemplateDecl *Template =
          Function.getDescribedFunctionTemplate()) {
    for (const FunctionDecl *Spec : Template->specializations())
      if (Spec->getTemplateSpecializationKind() != TSK_ExplicitSpecialization &&
          Spec->getBody())
        return Spec;
    return nullptr;
  }
  const auto *Method = llvm::dyn_cast<CXXMethodDecl>(&Function);
  if (!Method || !Method->getParent()->isDependentContext())
    return nullptr;
  const ClassTemplateDecl *Template =
      Method->getParent()->getDescribedClassTemplate();
  return Template ? instantiatedMember(*Template, Function) : nullptr;
}

} // namespace

void TorchCheckBase::check(const MatchFinder::MatchResult &Result) {
  const auto *Function = Result.Nodes.getNodeAs<FunctionDecl>("function");
  if (Function)
    if (const FunctionDecl *Instance = firstInstantiation(*Function))
      Function = Instance;
  if (Function && Function->getBody() &&
      isUserCode(*Result.SourceManager, Function->getLocation())) {
    SM = Result.SourceManager;
    Analysis->recordFunction(*Function);
    checkFunction(Function, Result);
  }
}

SourceLocation TorchCheckBase::locationOf(const SummaryLocation &Where) {
  if (!SM || Where.File.empty() || Where.Line == 0)
    return {};
  // Loading another file for a note is what the preprocessor does for an
  // #include; the source manager is this translation unit's own.
  SourceManager &Sources = const_cast<SourceManager &>(*SM);
  llvm::Expected<FileEntryRef> File =
      Sources.getFileManager().getFileRef(Where.File);
  if (!File) {
    llvm::consumeError(File.takeError());
    return {};
  }
  FileID ID = Sources.getOrCreateFileID(*File, SrcMgr::C_User);
  return Sources.translateLineCol(ID, Where.Line, std::max(1u, Where.Column));
}

void TorchCheckBase::noteExternalCallerWithGradOn(
    const FunctionDecl *Function) {
  const GradModeCallers::CallerSite *Site =
      Analysis->externalCallWithGradOn(Function);
  if (!Site)
    return;
  const SummaryLocation &At = Site->ExternalCall->At;
  diag(Function->getLocation(),
       "%0 is called with autograd on from '%1' at %2:%3 (another file of "
       "the project)",
       DiagnosticIDs::Note)
      << Function << Site->ExternalCaller->Name << At.File << At.Line;
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
