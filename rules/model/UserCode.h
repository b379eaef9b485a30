//===--- UserCode.h - Which declarations are the user's ----------*- C++
//-*-===//

#ifndef TORCH_TIDY_RULES_MODEL_USERCODE_H
#define TORCH_TIDY_RULES_MODEL_USERCODE_H

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

#endif // TORCH_TIDY_RULES_MODEL_USERCODE_H
