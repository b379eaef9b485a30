//===--- GradModeCallers.h - Called only with grad off? ---------*- C++ -*-===//
//
// The grad-off guard is often held by a caller (`torch::NoGradGuard g;
// evaluate(model);`). This records every call between functions of one
// translation unit with the grad mode at the call, and answers whether a
// function can only ever run with autograd off.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_GRADMODECALLERS_H
#define TORCH_TIDY_RULES_MODEL_GRADMODECALLERS_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace clang::tidy::torch {

class GradModeCallers {
public:
  /// \p Caller calls \p Callee; \p GradOff when a grad-off scope holds the
  /// call.
  void recordCall(const FunctionDecl *Caller, const FunctionDecl *Callee,
                  bool GradOff);

  /// \p Callee is referenced without being called (stored, passed on): it
  /// may run anywhere, so it counts as called with grad on.
  void recordEscape(const FunctionDecl *Callee);

  /// True when \p Function has callers in this translation unit and every
  /// path into it passes a grad-off call: no chain of calls with grad on
  /// reaches it from a function that nothing here calls. Diamonds (two
  /// paths into one function) and recursion are judged by all their
  /// entries.
  bool calledOnlyWithGradOff(const FunctionDecl *Function);

  /// A call of a function, seen from the callee.
  struct CallerSite {
    const FunctionDecl *Caller; // As callGraphKey() names it.
    bool GradOff;
  };
  /// Every recorded call of \p Function (escapes are not calls).
  llvm::ArrayRef<CallerSite> callersOf(const FunctionDecl *Function) const;

  /// Forgets everything (the end of a translation unit).
  void clear();

private:
  struct Edge {
    const FunctionDecl *Callee;
    bool GradOff;
  };
  void solve();

  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<Edge, 4>> Callees;
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<CallerSite, 2>>
      Callers;
  llvm::DenseSet<const FunctionDecl *> Escaped;
  // Filled by solve(): reached with grad on from an entry, and reached
  // through a grad-off call at all.
  std::optional<llvm::DenseSet<const FunctionDecl *>> ReachedWithGradOn;
  llvm::DenseSet<const FunctionDecl *> ReachedWithGradOff;
};

/// The declaration that stands for \p Function in call graphs: the
/// canonical declaration of its template pattern, if any.
const FunctionDecl *callGraphKey(const FunctionDecl *Function);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_GRADMODECALLERS_H
