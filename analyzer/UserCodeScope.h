//===--- UserCodeScope.h - Match only the user's declarations ---*- C++ -*-===//
//
// clang-tidy's matchers walk the whole translation unit, libtorch's headers
// included, which costs about as much as parsing them. The consumer here runs
// before clang-tidy's own and narrows the AST's traversal scope to the
// top-level declarations of the user's code, so that matchers (and any parent
// map they build) see only those.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_USERCODESCOPE_H
#define TORCH_TIDY_ANALYZER_USERCODESCOPE_H

#include "clang/AST/ASTConsumer.h"
#include "llvm/Support/Regex.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class Decl;
class SourceManager;
} // namespace clang

namespace torch_tidy {

/// Collects the top-level declarations parsed in this translation unit that
/// are the user's: in the main file, or in a header that is neither a system
/// header nor libtorch's and that passes the header filter (and not the
/// exclude filter). At the end of the translation unit it makes them the
/// ASTContext's traversal scope. Declarations read from a precompiled header
/// never reach HandleTopLevelDecl, so they stay outside the scope too.
class UserCodeScope : public clang::ASTConsumer {
public:
  UserCodeScope(const clang::SourceManager &SM,
                const std::optional<std::string> &HeaderFilter,
                const std::optional<std::string> &ExcludeHeaderFilter);

  bool HandleTopLevelDecl(clang::DeclGroupRef Group) override;
  void HandleTranslationUnit(clang::ASTContext &Context) override;

private:
  bool isUserDecl(const clang::Decl *D);

  const clang::SourceManager &SM;
  std::unique_ptr<llvm::Regex> HeaderFilter;
  std::unique_ptr<llvm::Regex> ExcludeHeaderFilter;
  std::vector<clang::Decl *> Scope;
};

/// \p Checks (clang-tidy's consumer) behind a UserCodeScope with the given
/// header filters, so that the scope is set before the checks walk the AST.
std::unique_ptr<clang::ASTConsumer>
scopedToUserCode(std::unique_ptr<clang::ASTConsumer> Checks,
                 const clang::SourceManager &SM,
                 const std::optional<std::string> &HeaderFilter,
                 const std::optional<std::string> &ExcludeHeaderFilter);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_USERCODESCOPE_H
