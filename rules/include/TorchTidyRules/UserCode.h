//===--- UserCode.h - Which declarations are the user's ---------*- C++ -*-===//
//
// Part of the rules' public interface: the torch-tidy driver restricts its
// traversal and its header cache to the same user code the checks look at.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_USERCODE_H
#define TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_USERCODE_H

#include "clang/Basic/SourceLocation.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"

namespace clang::tidy::torch {

/// Decides whether a location belongs to the user's code (the main file and
/// their own headers) rather than to system headers or an installed libtorch
/// included with -I. Answers are cached per file.
class UserCodeFilter {
public:
  bool isUserLocation(const SourceManager &SM, SourceLocation Loc);

private:
  llvm::DenseMap<FileID, bool> Cache;
};

/// True for a path inside a libtorch installation's headers.
bool isLibtorchHeaderPath(llvm::StringRef Path);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_USERCODE_H
