//===--- ModelTestSupport.h - Small ASTs on the stub headers ----*- C++ -*-===//

#ifndef TORCH_TIDY_TEST_MODEL_MODELTESTSUPPORT_H
#define TORCH_TIDY_TEST_MODEL_MODELTESTSUPPORT_H

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

#include <memory>
#include <string>

namespace clang::tidy::torch::test {

/// \p Code parsed as C++17 against the stub libtorch headers, as the file
/// \p Name (in the current directory).
inline std::unique_ptr<ASTUnit> parse(const std::string &Code,
                                      const std::string &Name = "input.cpp") {
  return tooling::buildASTFromCodeWithArgs(
      Code,
      {"-std=c++17", "-I", TORCH_TIDY_STUB_HEADERS,
       "-resource-dir=" TORCH_TIDY_CLANG_RESOURCE_DIR},
      Name);
}

/// The only node that \p Matcher binds as "x" in \p Unit.
template <typename Node, typename Matcher>
const Node *findOne(ASTUnit &Unit, Matcher M) {
  auto Found = ast_matchers::match(M.bind("x"), Unit.getASTContext());
  return Found.empty() ? nullptr : Found.front().template getNodeAs<Node>("x");
}

} // namespace clang::tidy::torch::test

#endif // TORCH_TIDY_TEST_MODEL_MODELTESTSUPPORT_H
