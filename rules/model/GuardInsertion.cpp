//===--- GuardInsertion.cpp - Writing a named grad guard ------------------===//

#include "GuardInsertion.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

namespace clang::tidy::torch {

namespace {

bool isNamed(const NamedDecl *D, llvm::StringRef Name) {
  return D && D->getIdentifier() && D->getName() == Name;
}

} // namespace

bool declaresOrUsesName(const Stmt *S, llvm::StringRef Name) {
  if (!S)
    return false;
  if (const auto *Decls = llvm::dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : Decls->decls())
      if (isNamed(llvm::dyn_cast<NamedDecl>(D), Name))
        return true;
  } else if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(S)) {
    if (isNamed(Ref->getDecl(), Name))
      return true;
  } else if (const auto *Member = llvm::dyn_cast<MemberExpr>(S)) {
    if (isNamed(Member->getMemberDecl(), Name))
      return true;
  }
  for (const Stmt *Child : S->children())
    if (declaresOrUsesName(Child, Name))
      return true;
  return false;
}

std::optional<FixItHint> insertNoGradGuardBefore(const Stmt *S,
                                                 const SourceManager &SM) {
  SourceLocation Begin = S->getBeginLoc();
  if (Begin.isInvalid() || Begin.isMacroID())
    return std::nullopt;
  auto [File, Offset] = SM.getDecomposedLoc(Begin);
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(File, &Invalid);
  if (Invalid)
    return std::nullopt;
  size_t LineStart = Buffer.rfind('\n', Offset == 0 ? 0 : Offset - 1);
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  if (Offset < LineStart)
    return std::nullopt;
  llvm::StringRef Indent = Buffer.slice(LineStart, Offset);
  if (Indent.find_first_not_of(" \t") != llvm::StringRef::npos)
    return std::nullopt;
  return FixItHint::CreateInsertion(
      Begin, ("torch::NoGradGuard no_grad;\n" + Indent).str());
}

} // namespace clang::tidy::torch
