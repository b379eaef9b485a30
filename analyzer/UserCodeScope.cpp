//===--- UserCodeScope.cpp - Match only the user's declarations -----------===//

#include "UserCodeScope.h"

#include "TorchTidyRules/UserCode.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclBase.h"
#include "clang/AST/DeclGroup.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/MultiplexConsumer.h"

namespace torch_tidy {

namespace {

std::unique_ptr<llvm::Regex>
compileFilter(const std::optional<std::string> &Pattern) {
  if (!Pattern || Pattern->empty())
    return nullptr;
  return std::make_unique<llvm::Regex>(*Pattern);
}

} // namespace

UserCodeScope::UserCodeScope(
    const clang::SourceManager &SM,
    const std::optional<std::string> &HeaderFilter,
    const std::optional<std::string> &ExcludeHeaderFilter)
    : SM(SM), HeaderFilter(compileFilter(HeaderFilter)),
      ExcludeHeaderFilter(compileFilter(ExcludeHeaderFilter)) {}

bool UserCodeScope::isUserDecl(const clang::Decl *D) {
  clang::SourceLocation Loc = SM.getExpansionLoc(D->getLocation());
  if (Loc.isInvalid())
    return false;
  if (SM.isWrittenInMainFile(Loc))
    return true;
  // Headers: as clang-tidy decides which findings to show.
  if (!HeaderFilter || SM.isInSystemHeader(Loc))
    return false;
  clang::OptionalFileEntryRef Entry =
      SM.getFileEntryRefForID(SM.getFileID(Loc));
  if (!Entry)
    return false;
  llvm::StringRef Name = Entry->getName();
  return !clang::tidy::torch::isLibtorchHeaderPath(Name) &&
         HeaderFilter->match(Name) &&
         !(ExcludeHeaderFilter && ExcludeHeaderFilter->match(Name));
}

bool UserCodeScope::HandleTopLevelDecl(clang::DeclGroupRef Group) {
  for (clang::Decl *D : Group)
    if (isUserDecl(D))
      Scope.push_back(D);
  return true;
}

void UserCodeScope::HandleTranslationUnit(clang::ASTContext &Context) {
  Context.setTraversalScope(Scope);
}

std::unique_ptr<clang::ASTConsumer>
scopedToUserCode(std::unique_ptr<clang::ASTConsumer> Checks,
                 const clang::SourceManager &SM,
                 const std::optional<std::string> &HeaderFilter,
                 const std::optional<std::string> &ExcludeHeaderFilter) {
  std::vector<std::unique_ptr<clang::ASTConsumer>> Consumers;
  Consumers.push_back(
      std::make_unique<UserCodeScope>(SM, HeaderFilter, ExcludeHeaderFilter));
  Consumers.push_back(std::move(Checks));
  return std::make_unique<clang::MultiplexConsumer>(std::move(Consumers));
}

} // namespace torch_tidy
