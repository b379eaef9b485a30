//===--- ReturnSummaries.cpp - What user functions return -----------------===//

#include "ReturnSummaries.h"

namespace clang::tidy::torch {

const FunctionDecl *userDefinition(
    const FunctionDecl *Function,
    const std::function<bool(const FunctionDecl &)> &IsUserFunction) {
  const FunctionDecl *Definition = nullptr;
  if (!Function || !Function->hasBody(Definition) || !Definition ||
      !IsUserFunction(*Definition))
    return nullptr;
  return Definition;
}

bool ReturnSummaries::anyReturn(const FunctionDecl &Definition,
                                const FunctionBodyIndex &Index,
                                llvm::function_ref<bool(const Expr *)> Holds) {
  return Results.get(&Definition, false, [&] {
    return llvm::any_of(Index.returnedValues(), Holds);
  });
}

} // namespace clang::tidy::torch
