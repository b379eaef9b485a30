//===--- Reductions.cpp - Tensors reduced to a few elements ---------------===//

#include "Reductions.h"
#include "TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang::tidy::torch {

namespace {

/// Methods and functions whose result has at most one value per row.
bool isReducingName(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("argmax", "argmin", "sum", "mean", "max", "min", true)
      .Cases("amax", "amin", "norm", "std", "var", "prod", true)
      .Cases("all", "any", "item", "count_nonzero", "median", true)
      .Cases("nansum", "nanmean", "logsumexp", "topk", "kthvalue", true)
      .Cases("cross_entropy", "binary_cross_entropy", "kl_div", true)
      .Default(Name.ends_with("_loss"));
}

/// Methods whose result has no more elements than their object.
bool keepsSize(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("detach", "clone", "to", "cuda", "cpu", "contiguous", true)
      .Cases("view", "reshape", "flatten", "squeeze", "unsqueeze", true)
      .Cases("eq", "ne", "lt", "le", "gt", "ge", true)
      .Cases("float", "double", "toType", "type_as", "abs", "neg", true)
      .Default(false);
}

/// The forward pass of a loss module (`torch::nn::CrossEntropyLoss`).
bool isLossModuleCall(const Expr *Call) {
  if (!isForwardCall(Call))
    return false;
  const CXXRecordDecl *Owner = nullptr;
  if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call))
    Owner = Member->getMethodDecl()->getParent();
  else if (const auto *Operator = llvm::dyn_cast<CXXOperatorCallExpr>(Call))
    Owner = Operator->getArg(0)
                ->IgnoreParenImpCasts()
                ->getType()
                ->getAsCXXRecordDecl();
  return Owner && Owner->getIdentifier() &&
         (Owner->getName().ends_with("Loss") ||
          Owner->getName().ends_with("LossImpl"));
}

bool reduced(const Expr *E, const FunctionBodyIndex &Index,
             llvm::DenseSet<const VarDecl *> &Visiting) {
  E = stripValueWrappers(E);
  if (!E)
    return false;
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E)) {
    const auto *Var = llvm::dyn_cast<VarDecl>(Ref->getDecl());
    if (!Var || !Visiting.insert(Var).second)
      return false;
    auto Stores = Index.valuesStoredInto(Var);
    bool Result = !Stores.empty() && llvm::all_of(Stores, [&](const Expr *S) {
      return reduced(S, Index, Visiting);
    });
    Visiting.erase(Var);
    return Result;
  }
  const auto *Call = llvm::dyn_cast<CallExpr>(E);
  if (!Call)
    return false;
  if (isLossModuleCall(Call))
    return true;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return false;
  llvm::StringRef Name = Callee->getName();
  if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call)) {
    const Expr *Object = Member->getImplicitObjectArgument();
    if (!Object || !isTensorType(Object->getType()))
      return false;
    if (isReducingName(Name))
      return true;
    return keepsSize(Name) && reduced(Object, Index, Visiting);
  }
  // `torch::argmax(x, 1)`, `torch::nn::functional::cross_entropy(...)`,
  // `std::get<1>(out.max(1))`.
  if (isReducingName(Name))
    return true;
  if (Name == "get" && Call->getNumArgs() == 1)
    return reduced(Call->getArg(0), Index, Visiting);
  return false;
}

} // namespace

bool isReduction(const Expr *E, const FunctionBodyIndex &Index) {
  llvm::DenseSet<const VarDecl *> Visiting;
  return reduced(E, Index, Visiting);
}

} // namespace clang::tidy::torch
