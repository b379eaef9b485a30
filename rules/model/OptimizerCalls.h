//===--- OptimizerCalls.h - Optimizer steps and gradient resets -*- C++ -*-===//
//
// Which calls step an optimizer and which calls reset the gradients that
// backward() accumulates into the parameters' `.grad`: an optimizer's or a
// module's zero_grad(), or a parameter's grad reset by hand.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_OPTIMIZERCALLS_H
#define TORCH_TIDY_RULES_MODEL_OPTIMIZERCALLS_H

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <string>
#include <vector>

namespace clang::tidy::torch {

/// Which classes are optimizers: `torch::optim::Optimizer` and the classes
/// derived from it (SGD, Adam, AdamW, RMSprop, Adagrad, LBFGS), plus the
/// user's own optimizer classes named by their qualified names.
class OptimizerTypes {
public:
  explicit OptimizerTypes(std::vector<std::string> ExtraQualifiedNames = {});

  bool isOptimizerClass(const CXXRecordDecl *Record) const;

  /// For `opt.step(...)` or `opt->step(...)`, the object expression the
  /// step is called on; null for other statements.
  const Expr *stepObject(const Stmt *S) const;

private:
  std::vector<std::string> ExtraNames;
};

/// The variable or member an object expression names: `opt`, `*opt`,
/// `model->`, `this->optimizer_`, `trainer.optimizer` (then `trainer`).
/// Null when it is not a plain name (a call result, an element).
const ValueDecl *objectRoot(const Expr *Object);

/// How a statement resets accumulated gradients.
enum class GradResetKind {
  None,
  OptimizerZeroGrad, // `opt.zero_grad()`
  ModuleZeroGrad,    // `model->zero_grad()`
  OtherZeroGrad,     // `zero_grad()` of some other class
  ParameterGrad,     // `p.mutable_grad().reset()`, `p.grad().zero_()`, ...
};

struct GradReset {
  GradResetKind Kind = GradResetKind::None;
  /// The optimizer or module whose zero_grad() is called.
  const Expr *Object = nullptr;

  explicit operator bool() const { return Kind != GradResetKind::None; }
};

GradReset classifyGradReset(const Stmt *S, const OptimizerTypes &Types);

/// The modules whose `parameters()` the optimizer variable \p Optimizer was
/// constructed from (`torch::optim::Adam opt(G->parameters(), ...)`); empty
/// when that is unknown.
llvm::SmallVector<const ValueDecl *, 2>
modulesOptimizedBy(const ValueDecl *Optimizer);

/// Splits a `;`-separated option value into trimmed, non-empty names
/// without a leading `::`.
std::vector<std::string> splitQualifiedNames(llvm::StringRef Option);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_OPTIMIZERCALLS_H
