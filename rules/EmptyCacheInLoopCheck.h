//===--- EmptyCacheInLoopCheck.h --------------------------------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_EMPTYCACHEINLOOPCHECK_H
#define TORCH_TIDY_RULES_EMPTYCACHEINLOOPCHECK_H

#include "TorchCheckBase.h"

namespace clang::tidy::torch {

/// Advisory: finds `c10::cuda::CUDACachingAllocator::emptyCache()` called in
/// a loop body. It frees no memory that live tensors hold; it hands the
/// allocator's cached blocks back to the driver, so the next iteration's
/// allocations go through cudaMalloc again and every step gets slower.
///
/// For the user-facing documentation see
/// docs/rules/torch-empty-cache-in-loop.md
class EmptyCacheInLoopCheck : public TorchCheckBase {
public:
  using TorchCheckBase::TorchCheckBase;
  void
  checkFunction(const FunctionDecl *Function,
                const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_EMPTYCACHEINLOOPCHECK_H
