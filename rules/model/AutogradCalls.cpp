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
    return Name == "backward" &&
           isTensorType(Method->getParent()->getTypeForDecl()
                            ->getCanonicalTypeInternal());
  if (Name != "backward" && Name != "grad")
    return false;
  // torch::autograd::backward / grad are declared in torch::autograd.
  const auto *Namespace =
      llvm::dyn_cast<NamespaceDecl>(Callee->getDeclContext());
  return Namespace && Namespace->getIdentifier() &&
         Namespace->getName() == "autograd";
}

} // namespace clang::tidy::torch
