//===--- GradModeCallers.h - Called only with grad off? ---------*- C++ -*-===//
//
// The grad-off guard is often held by a caller (`torch::NoGradGuard g;
// evaluate(model);`), and that caller may be in another file. This records
// every call between functions, with the grad mode at the call, and answers
// whether a function can only ever run with autograd off. A node is a
// function of this translation unit (its callGraphKey()) or, for calls that
// the project's summaries add, the summary of a function defined elsewhere.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_GRADMODECALLERS_H
#define TORCH_TIDY_RULES_MODEL_GRADMODECALLERS_H

#include "TorchTidyRules/ProjectSummaries.h"

#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace clang::tidy::torch {

/// The declaration that stands for \p Function in call graphs: the
/// canonical declaration of its template pattern, if any.
const FunctionDecl *callGraphKey(const FunctionDecl *Function);

class GradModeCallers {
public:
  /// A function: of this translation unit, or summarised from another.
  using Node = const void *;
  static Node nodeOf(const FunctionDecl *Function) {
    return callGraphKey(Function);
  }

  /// A call of a function, seen from the callee.
  struct CallerSite {
    /// The calling function of this translation unit, or null.
    const FunctionDecl *Caller = nullptr;
    bool GradOff = false;
    /// For a call in another file: its caller's summary and the call.
    const FunctionSummary *ExternalCaller = nullptr;
    const SummaryCall *ExternalCall = nullptr;
  };

  /// \p Caller calls \p Callee; \p GradOff when a grad-off scope holds the
  /// call.
  void recordCall(const FunctionDecl *Caller, const FunctionDecl *Callee,
                  bool GradOff);
  /// A call that the project's summaries know of, made in another file.
  void recordProjectCall(Node Caller, Node Callee, const FunctionSummary &From,
                         const SummaryCall &Call);

  /// \p Callee is referenced without being called (stored, passed on): it
  /// may run anywhere, so it counts as called with grad on.
  void recordEscape(Node Callee);

  /// True when \p Function has callers and every path into it passes a
  /// grad-off call: no chain of calls with grad on reaches it from a
  /// function that nothing calls. Diamonds (two paths into one function)
  /// and recursion are judged by all their entries.
  bool calledOnlyWithGradOff(const FunctionDecl *Function);

  /// Every recorded call of \p Function (escapes are not calls).
  llvm::ArrayRef<CallerSite> callersOf(const FunctionDecl *Function) const;

  /// Forgets everything (the end of a translation unit).
  void clear();

private:
  struct Edge {
    Node Callee;
    bool GradOff;
  };
  void addEdge(Node Caller, Node Callee, CallerSite Site);
  void solve();

  llvm::DenseMap<Node, llvm::SmallVector<Edge, 4>> Callees;
  llvm::DenseMap<Node, llvm::SmallVector<CallerSite, 2>> Callers;
  llvm::DenseSet<Node> Escaped;
  // Filled by solve(): reached with grad on from an entry, and reached
  // through a grad-off call at all.
  std::optional<llvm::DenseSet<Node>> ReachedWithGradOn;
  llvm::DenseSet<Node> ReachedWithGradOff;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_GRADMODECALLERS_H
