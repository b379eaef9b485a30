//===--- OptimizerCalls.cpp - Optimizer steps and gradient resets ---------===//

#include "OptimizerCalls.h"
#include "IterationStorage.h"
#include "TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::torch {

namespace {

llvm::StringRef methodName(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *Method = Call ? Call->getMethodDecl() : nullptr;
  if (!Method || !Method->getIdentifier())
    return {};
  return Method->getName();
}

/// True for `t.grad()` and `t.mutable_grad()` on a tensor, also behind
/// `.data()` or `.detach()` which share the gradient's storage.
bool isGradAccess(const Expr *E) {
  E = stripValueWrappers(E);
  while (const auto *Call = llvm::dyn_cast_or_null<CXXMemberCallExpr>(E)) {
    llvm::StringRef Name = methodName(Call);
    if (Name == "grad" || Name == "mutable_grad")
      return isTensorType(Call->getImplicitObjectArgument()->getType());
    if (Name != "data" && Name != "detach")
      return false;
    E = stripValueWrappers(Call->getImplicitObjectArgument());
  }
  return false;
}

} // namespace

OptimizerTypes::OptimizerTypes(std::vector<std::string> ExtraQualifiedNames)
    : ExtraNames(std::move(ExtraQualifiedNames)) {}

bool OptimizerTypes::isOptimizerClass(const CXXRecordDecl *Record) const {
  if (!Record)
    return false;
  if (const CXXRecordDecl *Definition = Record->getDefinition())
    Record = Definition;
  std::string Name = Record->getQualifiedNameAsString();
  if (Name == "torch::optim::Optimizer" || llvm::is_contained(ExtraNames, Name))
    return true;
  if (!Record->hasDefinition())
    return false;
  for (const CXXBaseSpecifier &Base : Record->bases())
    if (isOptimizerClass(Base.getType()->getAsCXXRecordDecl()))
      return true;
  return false;
}

const Expr *OptimizerTypes::stepObject(const Stmt *S) const {
  const auto *Call = llvm::dyn_cast_or_null<CXXMemberCallExpr>(S);
  if (!Call || methodName(Call) != "step" ||
      !isOptimizerClass(Call->getMethodDecl()->getParent()))
    return nullptr;
  return Call->getImplicitObjectArgument();
}

const ValueDecl *objectRoot(const Expr *Object) {
  const Expr *E = stripValueWrappers(Object);
  while (E) {
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E);
        Op && (Op->getOperator() == OO_Arrow || Op->getOperator() == OO_Star) &&
        Op->getNumArgs() == 1) {
      E = stripValueWrappers(Op->getArg(0));
      continue;
    }
    if (const auto *Deref = llvm::dyn_cast<UnaryOperator>(E);
        Deref && Deref->getOpcode() == UO_Deref) {
      E = stripValueWrappers(Deref->getSubExpr());
      continue;
    }
    break;
  }
  if (!E)
    return nullptr;
  return storageOf(E).Decl;
}

GradReset classifyGradReset(const Stmt *S, const OptimizerTypes &Types) {
  if (const auto *Call = llvm::dyn_cast_or_null<CXXMemberCallExpr>(S)) {
    llvm::StringRef Name = methodName(Call);
    const Expr *Object = Call->getImplicitObjectArgument();
    if (Name == "zero_grad") {
      const CXXRecordDecl *Owner = Call->getMethodDecl()->getParent();
      if (Types.isOptimizerClass(Owner))
        return {GradResetKind::OptimizerZeroGrad, Object};
      if (isModuleClass(Owner) || isModuleHolderClass(Owner))
        return {GradResetKind::ModuleZeroGrad, Object};
      return {GradResetKind::OtherZeroGrad, Object};
    }
    // In-place resets of a parameter's gradient.
    if ((Name == "zero_" || Name == "reset" || Name == "detach_" ||
         Name == "fill_") &&
        isGradAccess(Object))
      return {GradResetKind::ParameterGrad, nullptr};
    return {};
  }
  // `p.mutable_grad() = torch::Tensor();` and other assignments to a grad.
  if (const auto *Op = llvm::dyn_cast_or_null<CXXOperatorCallExpr>(S);
      Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
      isGradAccess(Op->getArg(0)))
    return {GradResetKind::ParameterGrad, nullptr};
  return {};
}

llvm::SmallVector<const ValueDecl *, 2>
modulesOptimizedBy(const ValueDecl *Optimizer) {
  llvm::SmallVector<const ValueDecl *, 2> Modules;
  const auto *Var = llvm::dyn_cast_or_null<VarDecl>(Optimizer);
  const Expr *Init =
      Var && Var->hasInit() ? stripValueWrappers(Var->getInit()) : nullptr;
  const auto *Construct = llvm::dyn_cast_or_null<CXXConstructExpr>(Init);
  if (!Construct || Construct->getNumArgs() == 0)
    return Modules;
  // Every `m->parameters()` inside the first constructor argument; any
  // other source of parameters makes the answer unknown.
  bool Unknown = false;
  llvm::SmallVector<const Stmt *, 8> Work{Construct->getArg(0)};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S);
        Call && methodName(Call) == "parameters") {
      const ValueDecl *Module = objectRoot(Call->getImplicitObjectArgument());
      if (!Module)
        Unknown = true;
      else if (!llvm::is_contained(Modules, Module))
        Modules.push_back(Module);
      continue;
    }
    if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(S);
        Ref && llvm::isa<VarDecl>(Ref->getDecl()))
      Unknown = true; // A parameter vector built elsewhere.
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  if (Unknown)
    Modules.clear();
  return Modules;
}

std::vector<std::string> splitQualifiedNames(llvm::StringRef Option) {
  std::vector<std::string> Names;
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Option.split(Parts, ';', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Part : Parts) {
    Part = Part.trim();
    Part.consume_front("::");
    if (!Part.empty())
      Names.push_back(Part.str());
  }
  return Names;
}

} // namespace clang::tidy::torch
