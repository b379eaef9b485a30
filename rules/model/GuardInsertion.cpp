//===--- GuardInsertion.cpp - Declaring a named grad guard ----------------===//

#include "GuardInsertion.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

namespace clang::tidy::torch {

namespace {

/// Collects the identifiers that a function's text declares or refers to.
class UsedNames : public RecursiveASTVisitor<UsedNames> {
public:
  explicit UsedNames(llvm::StringSet<> &Names) : Names(Names) {}

  bool VisitNamedDecl(NamedDecl *D) { return add(D); }
  bool VisitDeclRefExpr(DeclRefExpr *E) { return add(E->getDecl()); }
  bool VisitMemberExpr(MemberExpr *E) { return add(E->getMemberDecl()); }
  // Names in templates that lookup resolves only on instantiation.
  bool VisitOverloadExpr(OverloadExpr *E) { return add(E->getName()); }
  bool VisitDependentScopeDeclRefExpr(DependentScopeDeclRefExpr *E) {
    return add(E->getDeclName());
  }
  bool VisitCXXDependentScopeMemberExpr(CXXDependentScopeMemberExpr *E) {
    return add(E->getMember());
  }
  bool VisitLambdaExpr(LambdaExpr *E) {
    for (const LambdaCapture &Capture : E->captures())
      if (Capture.capturesVariable())
        add(Capture.getCapturedVar());
    return true;
  }
  // A variable hides a type of the same name too.
  bool VisitTagTypeLoc(TagTypeLoc Loc) { return add(Loc.getDecl()); }
  bool VisitTypedefTypeLoc(TypedefTypeLoc Loc) {
    return add(Loc.getTypedefNameDecl());
  }
  bool VisitUsingTypeLoc(UsingTypeLoc Loc) { return add(Loc.getFoundDecl()); }
  bool VisitTemplateTypeParmTypeLoc(TemplateTypeParmTypeLoc Loc) {
    return add(Loc.getDecl());
  }
  bool VisitTemplateSpecializationTypeLoc(TemplateSpecializationTypeLoc Loc) {
    return add(Loc.getTypePtr()->getTemplateName().getAsTemplateDecl());
  }

  bool add(const NamedDecl *D) {
    if (D)
      add(D->getDeclName());
    return true;
  }
  bool add(DeclarationName Name) {
    if (const IdentifierInfo *Identifier = Name.getAsIdentifierInfo())
      Names.insert(Identifier->getName());
    return true;
  }

private:
  llvm::StringSet<> &Names;
};

/// Adds the names of the template parameters in scope in \p Function: a
/// variable may not redeclare one, even in a nested block.
void addTemplateParameters(const FunctionDecl &Function, UsedNames &Names) {
  auto AddList = [&](const TemplateParameterList *Params) {
    if (Params)
      for (const NamedDecl *Param : *Params)
        Names.add(Param);
  };
  for (unsigned I = 0; I < Function.getNumTemplateParameterLists(); ++I)
    AddList(Function.getTemplateParameterList(I));
  for (const DeclContext *Context = &Function; Context;
       Context = Context->getParent())
    if (const auto *D = llvm::dyn_cast<Decl>(Context))
      AddList(D->getDescribedTemplateParams());
}

} // namespace

GuardNames::GuardNames(const FunctionDecl &Function)
    : Context(Function.getASTContext()) {
  // A fix-it edits the text the user wrote: the template, not an
  // instantiation of it.
  const FunctionDecl *Written = &Function;
  if (const FunctionDecl *Pattern = Function.getTemplateInstantiationPattern())
    Written = Pattern;
  UsedNames Collector(Used);
  Collector.TraverseDecl(const_cast<FunctionDecl *>(Written));
  addTemplateParameters(*Written, Collector);
}

bool GuardNames::isFree(llvm::StringRef Name) const {
  if (Used.contains(Name))
    return false;
  auto Identifier = Context.Idents.find(Name);
  return Identifier == Context.Idents.end() ||
         !Identifier->second->hasMacroDefinition();
}

std::string GuardNames::freeName(llvm::StringRef Preferred) const {
  if (isFree(Preferred))
    return Preferred.str();
  std::string Fallback = (Preferred + "_guard").str();
  for (unsigned Number = 2; !isFree(Fallback); ++Number)
    Fallback = (Preferred + "_guard" + llvm::Twine(Number)).str();
  return Fallback;
}

std::string GuardNames::take(llvm::StringRef Preferred) {
  std::string Name = freeName(Preferred);
  Used.insert(Name);
  return Name;
}

std::optional<InsertedGuard> insertNoGradGuardBefore(const Stmt *S,
                                                     GuardNames &Names,
                                                     const SourceManager &SM) {
  SourceLocation Begin = S ? S->getBeginLoc() : SourceLocation();
  if (Begin.isInvalid() || Begin.isMacroID())
    return std::nullopt;
  auto [File, Offset] = SM.getDecomposedLoc(Begin);
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(File, &Invalid);
  if (Invalid || Offset > Buffer.size())
    return std::nullopt;
  // Only blanks may precede \p S on its line: they become the guard's
  // indentation, and the guard gets a line of its own.
  llvm::StringRef Preceding = Buffer.take_front(Offset);
  size_t LineStart = Preceding.find_last_of("\r\n") + 1;
  llvm::StringRef Indent = Preceding.drop_front(LineStart);
  if (Indent.find_first_not_of(" \t") != llvm::StringRef::npos)
    return std::nullopt;
  llvm::StringRef LineBreak =
      Preceding.take_front(LineStart).ends_with("\r\n") ? "\r\n" : "\n";
  std::string Name = Names.take(NoGradGuardName);
  std::string Text =
      ("torch::NoGradGuard " + Name + ";" + LineBreak + Indent).str();
  return InsertedGuard{std::move(Name),
                       FixItHint::CreateInsertion(Begin, Text)};
}

} // namespace clang::tidy::torch
