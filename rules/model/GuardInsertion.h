//===--- GuardInsertion.h - Declaring a named grad guard --------*- C++ -*-===//
//
// Fix-its that declare a grad-mode guard variable (`torch::NoGradGuard
// no_grad;`) must compile: the variable's name may neither clash with nor
// hide a name the function uses, and the declaration must land on a line of
// its own in the user's file.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_GUARDINSERTION_H
#define TORCH_TIDY_RULES_MODEL_GUARDINSERTION_H

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSet.h"

#include <optional>
#include <string>

namespace clang::tidy::torch {

/// The name a fix-it gives a `torch::NoGradGuard` when it is free.
inline constexpr llvm::StringLiteral NoGradGuardName = "no_grad";

/// Names for new guard variables of one function. A name is free when the
/// function neither declares it (parameters, locals of any block, lambda
/// captures and parameters) nor refers to it (globals, members,
/// namespace-scope functions and types), no template parameter in scope
/// has it, it is no macro, and no earlier take() returned it.
class GuardNames {
public:
  explicit GuardNames(const FunctionDecl &Function);

  /// \p Preferred when it is free, else the first free one of
  /// `<Preferred>_guard`, `<Preferred>_guard2`, `<Preferred>_guard3`, ...
  std::string freeName(llvm::StringRef Preferred) const;

  /// freeName(\p Preferred), which is no longer free afterwards: the name of
  /// a declaration that a fix-it adds.
  std::string take(llvm::StringRef Preferred);

private:
  bool isFree(llvm::StringRef Name) const;

  const ASTContext &Context;
  llvm::StringSet<> Used;
};

/// A guard declaration that a fix-it inserts.
struct InsertedGuard {
  std::string Name;
  FixItHint Fix;
};

/// Inserts `torch::NoGradGuard <name>;` on its own line before \p S, with
/// \p S's indentation, naming it with Names.take(NoGradGuardName). None,
/// and no name taken, when \p S does not start a line of the user's file (a
/// macro, or other code before it on the line).
std::optional<InsertedGuard> insertNoGradGuardBefore(const Stmt *S,
                                                     GuardNames &Names,
                                                     const SourceManager &SM);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_GUARDINSERTION_H
