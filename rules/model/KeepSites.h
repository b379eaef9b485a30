//===--- KeepSites.h - Stores that may carry a value onward -----*- C++ -*-===//
//
// A keep site is a store that adds a value to what a variable already holds:
// `total += loss`, `history.push_back(out)`, `avg = 0.9 * avg + 0.1 * x`,
// or writes it into part of a tensor in place (`stats[i] = loss`): autograd
// then links the value's graph into the tensor's history.
// Inside a loop, into storage that outlives the iteration, each one pins
// the value's autograd graph for as long as the storage lives.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_KEEPSITES_H
#define TORCH_TIDY_RULES_MODEL_KEEPSITES_H

#include "FunctionBodyIndex.h"
#include "IterationStorage.h"

#include "clang/AST/Expr.h"

#include <optional>

namespace clang::tidy::torch {

enum class KeepKind {
  Accumulated, // `total += loss`
  Appended,    // `history.push_back(out)`
  Chained,     // `avg = 0.9 * avg + 0.1 * x`
  Written,     // `stats.index_put_({i}, loss)`, `stats[i] = loss`
};

struct KeepSite {
  const Expr *Store = nullptr;  // The whole store expression.
  const Expr *Target = nullptr; // What is written to.
  const Expr *Value = nullptr;  // What is kept.
  KeepKind Kind = KeepKind::Accumulated;
};

/// The keep site that \p S, a statement of \p Index's function, is, if
/// any. A plain overwrite (`last = loss`) is none: it keeps one graph at a
/// time, unless the new value is computed from the old one, directly or
/// through local variables of the same iteration (or call).
std::optional<KeepSite> asKeepSite(const Stmt *S,
                                   const FunctionBodyIndex &Index);

class GraphFlow;

/// True when \p Scope (a loop, or a helper's body) itself bounds what
/// \p Target keeps: inside it, apart from \p Store, the target is
/// overwritten with a fresh value, cleared or detached, or fed to backward.
bool isResetWithin(const StorageTarget &Target, const Stmt *Scope,
                   const Expr *Store, const FunctionBodyIndex &Index,
                   GraphFlow &Flow);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_KEEPSITES_H
