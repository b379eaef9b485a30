//===--- TensorHolders.h - Which types can hold a tensor --------*- C++ -*-===//
//
// Only a value that can hold a tensor can keep an autograd graph alive: a
// tensor, a container, tuple, optional, struct or module with a tensor
// inside, or a TorchScript IValue. A `std::string` read off a parameter's
// name, a number or a `TensorOptions` never does, whatever it was computed
// from.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_TENSORHOLDERS_H
#define TORCH_TIDY_RULES_MODEL_TENSORHOLDERS_H

#include "RecursiveMemo.h"

#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::torch {

class TensorHolders {
public:
  TensorHolders() : Records(Cycles) {}

  /// False only when \p Type certainly cannot hold a tensor; unknown types
  /// (dependent, incomplete, deduced later) may.
  bool mayHoldTensor(QualType Type);

private:
  bool recordMayHold(const CXXRecordDecl *Record, unsigned Depth);
  bool typeMayHold(QualType Type, unsigned Depth);

  // A self-referencing type (a list node) is decided by its other members.
  CycleTracker Cycles;
  RecursiveMemo<const CXXRecordDecl *, bool> Records;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_TENSORHOLDERS_H
