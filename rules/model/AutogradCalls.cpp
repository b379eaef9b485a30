//===--- AutogradCalls.cpp - backward() and friends -----------------------===//

#include "AutogradCalls.h"
#include "TorchApi.h"

#include "clang/AST/ExprCXX.h"

namespace clang::tidy::torch {

bool isBackwardCall(const Stmt *S) {
  const auto *Call = llvm::dyn_cast_or_null<CallExpr>(S);
  if (!Call)
    return false;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return false;
  llvm::StringRef Name = Callee->getName();
  if (const auto *Method = llvm::dyn_cast<CXXMethodDecl>(Callee))
    return Name == "backward" && isTensorType(Method->getParent()
                                                  ->getTypeForDecl()
                                                  ->getCanonicalTypeInternal());
  if (Name != "backward" && Name != "grad")
    return false;
  // torch::autograd::backward / grad are declared in torch::autograd.
  const auto *Namespace =
      llvm::dyn_cast<NamespaceDecl>(Callee->getDeclContext());
  return Namespace && Namespace->getIdentifier() &&
         Namespace->getName() == "autograd";
}

namespace {

/// True for a literal `true`, also when wrapped in `c10::optional<bool>`.
bool isLiteralTrue(const Expr *E) {
  while (E) {
    if (llvm::isa<CXXDefaultArgExpr>(E))
      return false;
    const Expr *Inner = stripValueWrappers(E);
    if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(Inner);
        Construct && Construct->getNumArgs() >= 1)
      Inner = Construct->getArg(0);
    if (Inner == E)
      break;
    E = Inner;
  }
  return boolLiteralValue(E).value_or(false);
}

} // namespace

bool accumulatesIntoGrad(const Stmt *S) {
  if (!isBackwardCall(S))
    return false;
  const FunctionDecl *Callee = llvm::cast<CallExpr>(S)->getDirectCallee();
  return Callee->getName() == "backward";
}

std::optional<BackwardGraphOptions> backwardGraphOptions(const Stmt *S) {
  if (!accumulatesIntoGrad(S))
    return std::nullopt;
  const auto *Call = llvm::cast<CallExpr>(S);
  // backward(gradient, retain_graph, create_graph, inputs) on a tensor;
  // backward(tensors, grad_tensors, retain_graph, create_graph, inputs).
  unsigned RetainIndex = llvm::isa<CXXMemberCallExpr>(Call) ? 1 : 2;
  auto ArgTrue = [&](unsigned I) {
    return I < Call->getNumArgs() && isLiteralTrue(Call->getArg(I));
  };
  BackwardGraphOptions Options;
  Options.CreateGraph = ArgTrue(RetainIndex + 1);
  Options.RetainGraph = ArgTrue(RetainIndex) || Options.CreateGraph;
  return Options;
}

const Expr *backwardRoots(const Stmt *S) {
  if (!accumulatesIntoGrad(S))
    return nullptr;
  if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(S))
    return Member->getImplicitObjectArgument();
  const auto *Call = llvm::cast<CallExpr>(S);
  return Call->getNumArgs() > 0 ? Call->getArg(0) : nullptr;
}

} // namespace clang::tidy::torch
