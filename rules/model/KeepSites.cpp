//===--- KeepSites.cpp - Stores that may carry a value onward -------------===//

#include "KeepSites.h"
#include "AutogradCalls.h"
#include "GraphFlow.h"
#include "IterationStorage.h"
#include "TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/StringSwitch.h"

#include <functional>

namespace clang::tidy::torch {

namespace {

bool isInPlaceAccumulation(llvm::StringRef Name) {
  return Name == "add_" || Name == "sub_" || Name == "mul_" || Name == "div_";
}

/// For `target = a + b` where one operand is the target, the other operand.
const Expr *otherAddend(const Expr *Rhs, const StorageTarget &Target) {
  const Expr *E = stripValueWrappers(Rhs);
  const Expr *Lhs = nullptr, *RhsOperand = nullptr;
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
    if ((Op->getOperator() != OO_Plus && Op->getOperator() != OO_Minus) ||
        Op->getNumArgs() != 2)
      return nullptr;
    Lhs = Op->getArg(0);
    RhsOperand = Op->getArg(1);
  } else {
    return nullptr;
  }
  StorageTarget LhsStorage = storageOf(Lhs);
  if (LhsStorage.Decl == Target.Decl)
    return RhsOperand;
  StorageTarget RhsStorage = storageOf(RhsOperand);
  if (RhsStorage.Decl == Target.Decl)
    return Lhs;
  return nullptr;
}

/// In-place tensor writes whose source becomes part of the written
/// tensor's autograd history.
bool isInPlaceWrite(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("index_put_", "index_copy_", "index_add_", "copy_", true)
      .Cases("masked_scatter_", "scatter_", "scatter_add_", "put_", true)
      .Default(false);
}

/// Tensor methods that return a view of part of the tensor.
bool isViewMethod(llvm::StringRef Name) {
  return Name == "select" || Name == "index" || Name == "narrow" ||
         Name == "slice";
}

/// The last argument of \p Call that is a tensor written in the source
/// (`values` of index_put_, `src` of copy_).
const Expr *writtenSource(const CXXMemberCallExpr *Call) {
  for (unsigned I = Call->getNumArgs(); I > 0; --I) {
    const Expr *Arg = Call->getArg(I - 1);
    if (!llvm::isa<CXXDefaultArgExpr>(Arg) && isTensorType(Arg->getType()))
      return Arg;
  }
  return nullptr;
}

/// For `t[i]`, `t.select(0, i)`, `t.index({i})`: the tensor `t`.
const Expr *viewedTensor(const Expr *E) {
  E = stripValueWrappers(E);
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E))
    return Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2 &&
                   isTensorType(Op->getArg(0)->getType())
               ? Op->getArg(0)
               : nullptr;
  const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(E);
  if (!Call || !Call->getMethodDecl() ||
      !Call->getMethodDecl()->getIdentifier() ||
      !isViewMethod(Call->getMethodDecl()->getName()))
    return nullptr;
  const Expr *Object = Call->getImplicitObjectArgument();
  return Object && isTensorType(Object->getType()) ? Object : nullptr;
}

/// True when \p S, evaluated at \p Store, uses the value \p Target holds
/// other than through a method whose result holds no graph: `h = cell(x,
/// h.detach())` starts a new graph each time. Local variables of the same
/// iteration, or of the same call outside loops, are followed.
bool dependsOnWithGraph(const Stmt *S, const StorageTarget &Target,
                        const Stmt *Store, const FunctionBodyIndex &Index) {
  const Stmt *Scope = Index.enclosingLoop(Store);
  return dependsOn(
      S, Target, Index, Scope ? Scope : Index.body(), [](const Stmt *E) {
        const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(E);
        return Call && Call->getMethodDecl() &&
               Call->getMethodDecl()->getIdentifier() &&
               isGraphFreeTensorMethod(Call->getMethodDecl()->getName());
      });
}

/// For `features[i] = f` in a loop, where the integer key or index is
/// computed in the iteration (the loop's counter, a local of the body): the
/// container. Each iteration fills a new slot, as an append does. A
/// constant key (`stats["loss"] = loss`) overwrites one slot, and names
/// walked by an inner loop repeat from one round to the next: neither
/// counts.
const Expr *slotOfThisIteration(const Expr *Target, const Stmt *Store,
                                const FunctionBodyIndex &Index) {
  const auto *Subscript =
      llvm::dyn_cast<CXXOperatorCallExpr>(stripValueWrappers(Target));
  const Stmt *Loop = Index.enclosingLoop(Store);
  if (!Loop || !Subscript || Subscript->getOperator() != OO_Subscript ||
      Subscript->getNumArgs() != 2 ||
      isTensorType(Subscript->getArg(0)->getType()) ||
      !Subscript->getArg(1)->getType()->isIntegralOrEnumerationType())
    return nullptr;
  bool KeyOfIteration = false;
  std::function<void(const Stmt *)> Visit = [&](const Stmt *S) {
    if (!S || KeyOfIteration)
      return;
    if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(S))
      if (const auto *Var = llvm::dyn_cast<VarDecl>(Ref->getDecl());
          Var && Var->hasLocalStorage() && Index.declaresInside(Var, Loop))
        KeyOfIteration = true;
    for (const Stmt *Child : S->children())
      Visit(Child);
  };
  Visit(Subscript->getArg(1));
  return KeyOfIteration ? Subscript->getArg(0) : nullptr;
}

} // namespace

std::optional<KeepSite> asKeepSite(const Stmt *S,
                                   const FunctionBodyIndex &Index) {
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S)) {
    if (Op->getNumArgs() != 2)
      return std::nullopt;
    if (!isTensorType(Op->getArg(0)->getType())) {
      // `state = std::get<1>(lstm->forward(x, state))`
      if (Op->getOperator() != OO_Equal ||
          !isTensorOrStdOf(Op->getArg(0)->getType(), {"tuple", "pair"}))
        return std::nullopt;
      StorageTarget Target = storageOf(Op->getArg(0));
      if (!Target || !dependsOnWithGraph(Op->getArg(1), Target, Op, Index))
        return std::nullopt;
      return KeepSite{Op, Op->getArg(0), Op->getArg(1), KeepKind::Chained};
    }
    switch (Op->getOperator()) {
    case OO_PlusEqual:
    case OO_MinusEqual:
    case OO_StarEqual:
    case OO_SlashEqual:
      return KeepSite{Op, Op->getArg(0), Op->getArg(1), KeepKind::Accumulated};
    case OO_Equal: {
      if (const Expr *Viewed = viewedTensor(Op->getArg(0)))
        return KeepSite{Op, Viewed, Op->getArg(1), KeepKind::Written};
      // `ema[k] = d * ema[k] + ...` updates its slot: chained, below.
      if (const Expr *Container = slotOfThisIteration(Op->getArg(0), Op, Index);
          Container &&
          !dependsOnWithGraph(Op->getArg(1), storageOf(Container), Op, Index))
        return KeepSite{Op, Container, Op->getArg(1), KeepKind::Appended};
      StorageTarget Target = storageOf(Op->getArg(0));
      if (!Target || !dependsOnWithGraph(Op->getArg(1), Target, Op, Index))
        return std::nullopt; // A plain overwrite keeps one graph only.
      if (const Expr *Addend = otherAddend(Op->getArg(1), Target))
        return KeepSite{Op, Op->getArg(0), Addend, KeepKind::Accumulated};
      return KeepSite{Op, Op->getArg(0), Op->getArg(1), KeepKind::Chained};
    }
    default:
      return std::nullopt;
    }
  }
  const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S);
  if (!Call || !Call->getMethodDecl() ||
      !Call->getMethodDecl()->getIdentifier() || Call->getNumArgs() == 0)
    return std::nullopt;
  llvm::StringRef Name = Call->getMethodDecl()->getName();
  const Expr *Object = Call->getImplicitObjectArgument();
  if (isContainerAppendMethod(Name))
    return KeepSite{Call, Object, Call->getArg(Call->getNumArgs() - 1),
                    KeepKind::Appended};
  if (!isTensorType(Object->getType()))
    return std::nullopt;
  if (isInPlaceAccumulation(Name))
    return KeepSite{Call, Object, Call->getArg(0), KeepKind::Accumulated};
  if (isInPlaceWrite(Name))
    if (const Expr *Source = writtenSource(Call)) {
      // `t.select(0, i).copy_(loss)` writes into `t`.
      const Expr *Viewed = viewedTensor(Object);
      return KeepSite{Call, Viewed ? Viewed : Object, Source,
                      KeepKind::Written};
    }
  return std::nullopt;
}

bool isResetWithin(const StorageTarget &Target, const Stmt *Scope,
                   const Expr *Store, const FunctionBodyIndex &Index,
                   GraphFlow &Flow) {
  for (const Stmt *S : Index.statements()) {
    if (S == Store || !Index.isWithin(S, Scope))
      continue;
    if (isBackwardCall(S) && refersTo(S, Target))
      return true;
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
        storageOf(Op->getArg(0)).Decl == Target.Decl &&
        (!dependsOn(Op->getArg(1), Target, Index, Scope) ||
         !Flow.carriesGraph(Op->getArg(1), Index)))
      return true;
    if (const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S);
        Call && Call->getMethodDecl() &&
        Call->getMethodDecl()->getIdentifier() &&
        storageOf(Call->getImplicitObjectArgument()).Decl == Target.Decl) {
      llvm::StringRef Name = Call->getMethodDecl()->getName();
      // `clear()`, `reset()`, and a buffer's own `clear_memory()` or
      // `ResetBuffers()`.
      if (Name == "detach_" || Name.starts_with_insensitive("clear") ||
          Name.starts_with_insensitive("reset"))
        return true;
    }
  }
  return false;
}

} // namespace clang::tidy::torch
