//===--- IterationStorage.h - Storage outliving an iteration ----*- C++ -*-===//

#ifndef TORCH_TIDY_RULES_MODEL_ITERATIONSTORAGE_H
#define TORCH_TIDY_RULES_MODEL_ITERATIONSTORAGE_H

#include "FunctionBodyIndex.h"

#include "clang/AST/Expr.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace clang::tidy::torch {

/// Where a store writes: the variable or member at the root of the target
/// expression (`total`, `this->history_`, `stats.losses`).
struct StorageTarget {
  /// A variable or member; or a function defined in another file, standing
  /// for the static or global it keeps values in.
  const ValueDecl *Decl = nullptr;
  bool IsMember = false; // Reached through `this`.

  explicit operator bool() const { return Decl != nullptr; }
};

/// The storage written through \p Target, or an empty target when it is not
/// a plain variable or member access.
StorageTarget storageOf(const Expr *Target);

/// True when \p Target keeps its value from one iteration of \p Loop to the
/// next: declared outside the loop body, a member, a static or a global.
bool outlivesIteration(const StorageTarget &Target, const Stmt *Loop,
                       const FunctionBodyIndex &Index);

/// True when \p E refers to \p Target anywhere inside it, not looking
/// inside the subexpressions that \p Skip accepts.
bool refersTo(const Stmt *E, const StorageTarget &Target,
              llvm::function_ref<bool(const Stmt *)> Skip = nullptr);

/// Like refersTo, but also through the local variables declared inside
/// \p Scope that \p E reads: `auto out = lstm->forward(x, {h, c});
/// h = std::get<0>(out);` computes `h` from its own previous value.
bool dependsOn(const Stmt *E, const StorageTarget &Target,
               const FunctionBodyIndex &Index, const Stmt *Scope,
               llvm::function_ref<bool(const Stmt *)> Skip = nullptr);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_ITERATIONSTORAGE_H
