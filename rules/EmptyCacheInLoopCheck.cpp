//===--- EmptyCacheInLoopCheck.cpp ----------------------------------------===//

#include "EmptyCacheInLoopCheck.h"
#include "model/DeviceFlow.h"
#include "model/FunctionBodyIndex.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::torch {

void EmptyCacheInLoopCheck::checkFunction(
    const FunctionDecl *Function, const MatchFinder::MatchResult &Result) {

  const FunctionBodyIndex &Index = analysis().bodyIndexes().of(*Function);
  for (const Stmt *S : Index.statements()) {
    const auto *Call = llvm::dyn_cast<CallExpr>(S);
    if (!Call || !isEmptyCacheCall(Call))
      continue;
    const Stmt *Loop = Index.enclosingLoop(Call);
    if (!Loop)
      continue;
    diag(Call->getBeginLoc(),
         "'emptyCache()' in a loop frees no memory that live tensors hold; "
         "it returns the allocator's cached blocks to the driver, so the "
         "next iteration must cudaMalloc them again and every step slows "
         "down; call it once after the loop, if at all");
    noteLoop(Loop, "the cache is emptied on every iteration of this loop");
  }
}

} // namespace clang::tidy::torch
