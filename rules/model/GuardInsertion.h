//===--- GuardInsertion.h - Writing a named grad guard ----------*- C++ -*-===//
//
// Fix-its that declare a grad-mode guard variable (`torch::NoGradGuard
// no_grad;`) must neither clash with nor shadow a name the code already
// uses, and must land on a line of its own in the user's file.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_GUARDINSERTION_H
#define TORCH_TIDY_RULES_MODEL_GUARDINSERTION_H

#include "clang/AST/Stmt.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"

#include <optional>

namespace clang::tidy::torch {

/// True when \p S declares or refers to anything called \p Name, so that a
/// new variable of that name inside \p S could clash with it or hide it.
bool declaresOrUsesName(const Stmt *S, llvm::StringRef Name);

/// Inserts `torch::NoGradGuard no_grad;` on its own line before \p S, with
/// \p S's indentation. None when \p S does not start a line of the user's
/// file (a macro, or other code before it on the line).
std::optional<FixItHint> insertNoGradGuardBefore(const Stmt *S,
                                                 const SourceManager &SM);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_GUARDINSERTION_H
