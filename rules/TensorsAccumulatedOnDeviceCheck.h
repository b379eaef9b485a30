//===--- TensorsAccumulatedOnDeviceCheck.h ----------------------*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_TENSORSACCUMULATEDONDEVICECHECK_H
#define TORCH_TIDY_RULES_TENSORSACCUMULATEDONDEVICECHECK_H

#include "TorchCheckBase.h"

namespace clang::tidy::torch {

/// Finds tensors that are on a CUDA device and appended, inside a loop, to a
/// container that outlives the iteration (declared outside the loop, a
/// member, a static or a global). Each one keeps its device memory until
/// the container goes, so GPU memory grows with every iteration even when
/// the tensors are detached.
///
/// For the user-facing documentation see
/// docs/rules/torch-tensors-accumulated-on-device.md
class TensorsAccumulatedOnDeviceCheck : public TorchCheckBase {
public:
  TensorsAccumulatedOnDeviceCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void
  checkFunction(const FunctionDecl *Function,
                const ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  /// Stay silent on results reduced to a scalar or one value per row
  /// (`argmax(1)`, `sum()`, a loss): they are small.
  bool IgnoreReductions;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_TENSORSACCUMULATEDONDEVICECHECK_H
