//===--- FunctionBodyIndex.h - Parents and loops of one body ----*- C++ -*-===//
//
// A parent map of a single function body (lambda bodies included). Checks
// walk user code through this instead of `hasAncestor` matchers, which would
// build a parent map of the whole translation unit, libtorch included.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_FUNCTIONBODYINDEX_H
#define TORCH_TIDY_RULES_MODEL_FUNCTIONBODYINDEX_H

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <vector>

namespace clang::tidy::torch {

class FunctionBodyIndex {
public:
  explicit FunctionBodyIndex(const FunctionDecl &Function);

  const FunctionDecl &function() const { return Function; }
  const Stmt *body() const { return Function.getBody(); }

  /// The statement that directly contains \p S, or null at the body's root.
  const Stmt *parentOf(const Stmt *S) const { return Parents.lookup(S); }

  /// True when \p Inner is \p Outer or lies inside it.
  bool isWithin(const Stmt *Inner, const Stmt *Outer) const;

  /// The innermost `for`, range-for, `while` or `do` whose body holds \p S.
  /// A loop's own condition and increment are not inside an iteration.
  const Stmt *enclosingLoop(const Stmt *S) const;

  /// True when \p S, inside \p Loop, runs in every iteration that gets
  /// past it: no `if` or `switch` branch, `?:` arm or right operand of
  /// `&&` / `||` lies between the two. A loop nested in \p Loop counts as
  /// running.
  bool runsInEveryIteration(const Stmt *S, const Stmt *Loop) const;

  /// Every statement and expression of the body, in source order.
  llvm::ArrayRef<const Stmt *> statements() const { return Statements; }

  /// The values stored into \p Var: its initialiser and every assignment
  /// (`=`, compound assignment), range-for binding and container append in
  /// this body.
  llvm::ArrayRef<const Expr *> valuesStoredInto(const VarDecl *Var) const;

  /// The values the function itself returns (not those of lambdas written
  /// inside it).
  llvm::ArrayRef<const Expr *> returnedValues() const { return Returned; }

  /// True when the declaration of \p Var lies inside \p S.
  bool declaresInside(const VarDecl *Var, const Stmt *S) const;

private:
  void index(const Stmt *S, const Stmt *Parent);
  void recordStore(const Expr *Target, const Expr *Value);

  const FunctionDecl &Function;
  llvm::DenseMap<const Stmt *, const Stmt *> Parents;
  llvm::DenseMap<const VarDecl *, const Stmt *> DeclaringStmt;
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<const Expr *, 2>> Stores;
  std::vector<const Stmt *> Statements;
  std::vector<const Expr *> Returned;
  unsigned LambdaDepth = 0;
};

/// True for `for`, range-for, `while` and `do` statements.
bool isLoop(const Stmt *S);

/// The body of a loop statement.
const Stmt *loopBody(const Stmt *Loop);

/// One index per function, built once: the analyses of a translation unit
/// share one of these.
class BodyIndexes {
public:
  const FunctionBodyIndex &of(const FunctionDecl &Function);

private:
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionBodyIndex>>
      Indexes;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_FUNCTIONBODYINDEX_H
