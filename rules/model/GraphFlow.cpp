//===--- GraphFlow.cpp - Which values carry an autograd graph -------------===//

#include "GraphFlow.h"
#include "GradModeScopes.h"
#include "ReturnSummaries.h"
#include "TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang::tidy::torch {

namespace {

/// Methods of a module whose result requires grad.
bool isParameterAccessor(llvm::StringRef Name) {
  return Name == "parameters" || Name == "named_parameters";
}

/// `torch::requires_grad()`, `options.requires_grad(true)`: tensor options
/// that make a factory produce a leaf that requires grad.
bool isRequiresGradOption(const Expr *E) {
  const auto *Call = llvm::dyn_cast<CallExpr>(stripValueWrappers(E));
  if (!Call)
    return false;
  if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call))
    if (isRequiresGradOption(Member->getImplicitObjectArgument()))
      return true;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier() ||
      Callee->getName() != "requires_grad")
    return false;
  if (Call->getNumArgs() == 0 || llvm::isa<CXXDefaultArgExpr>(Call->getArg(0)))
    return true; // Both spellings default to true.
  return boolLiteralValue(Call->getArg(0)).value_or(false);
}

llvm::SmallVector<const Expr *, 4> argumentsOf(const CallExpr *Call) {
  llvm::SmallVector<const Expr *, 4> Args;
  for (const Expr *Arg : Call->arguments())
    if (!llvm::isa<CXXDefaultArgExpr>(Arg))
      Args.push_back(Arg);
  return Args;
}

} // namespace

bool isGraphFreeTensorMethod(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("detach", "detach_", "item", "data", "data_ptr", "grad", true)
      .Cases("numel", "dim", "size", "sizes", "defined", "requires_grad", true)
      // Integer and boolean results are not differentiable.
      .Cases("argmax", "argmin", "eq", "ne", "lt", "le", "gt", "ge", true)
      // (`sign` is not among them: it records SignBackward.)
      .Cases("isnan", "isinf", "isfinite", "nonzero", "argsort", true)
      .Case("multinomial", true)
      .Cases("logical_and", "logical_or", "logical_not", "logical_xor", true)
      .Default(false);
}

namespace {

/// True for an operator whose tensor result is boolean: comparisons and
/// the bitwise operators (on bool masks). Measured on libtorch 1.13:
/// `(out > 0.5).sum()` has no grad_fn.
bool isBooleanTensorOperator(OverloadedOperatorKind Kind) {
  switch (Kind) {
  case OO_EqualEqual:
  case OO_ExclaimEqual:
  case OO_Less:
  case OO_Greater:
  case OO_LessEqual:
  case OO_GreaterEqual:
  case OO_Amp:
  case OO_Pipe:
  case OO_Caret:
  case OO_Tilde:
    return true;
  default:
    return false;
  }
}

/// True when \p E names an integer or boolean scalar type (`torch::kLong`,
/// `at::ScalarType::Bool`): a tensor converted to one holds no graph.
bool namesIntegralScalarType(const Expr *E) {
  const auto *Ref = llvm::dyn_cast_or_null<DeclRefExpr>(stripValueWrappers(E));
  if (!Ref || !Ref->getDecl()->getIdentifier())
    return false;
  return llvm::StringSwitch<bool>(Ref->getDecl()->getName())
      .Cases("kLong", "kInt", "kShort", "kChar", "kByte", "kBool", true)
      .Cases("kInt64", "kInt32", "kInt16", "kInt8", "kUInt8", true)
      .Cases("Long", "Int", "Short", "Char", "Byte", "Bool", true)
      .Default(false);
}

/// True for a function declared in namespace `torch` or `at`.
bool isInTorchNamespace(const FunctionDecl *Callee) {
  const auto *Namespace = llvm::dyn_cast<NamespaceDecl>(
      Callee->getDeclContext()->getRedeclContext());
  return Namespace && Namespace->getIdentifier() &&
         (Namespace->getName() == "torch" || Namespace->getName() == "at");
}

/// True for libtorch's `*_like` factories (zeros, ones, empty, full, rand,
/// randn, randint): measured without grad_fn.
bool isGraphFreeTorchFactory(const FunctionDecl *Callee) {
  return Callee && Callee->getIdentifier() && isInTorchNamespace(Callee) &&
         llvm::StringSwitch<bool>(Callee->getName())
             .Cases("zeros_like", "ones_like", "empty_like", "full_like", true)
             .Cases("rand_like", "randn_like", "randint_like", true)
             .Default(false);
}

/// True for a free function of libtorch (`torch::argmax(out, 1)`,
/// `torch::eq(a, b)`) whose result, like the method's, holds no graph.
bool isGraphFreeTorchFunction(const FunctionDecl *Callee) {
  if (!Callee || !Callee->getIdentifier() ||
      !isGraphFreeTensorMethod(Callee->getName()))
    return false;
  const auto *Namespace = llvm::dyn_cast<NamespaceDecl>(
      Callee->getDeclContext()->getRedeclContext());
  return Namespace && Namespace->getIdentifier() &&
         (Namespace->getName() == "torch" || Namespace->getName() == "at");
}

} // namespace

const FunctionBodyIndex &GraphFlow::indexOf(const FunctionDecl &Function) {
  return Indexes.of(Function);
}

bool GraphFlow::carriesGraph(const Expr *E, const FunctionBodyIndex &Index) {
  return carries(E, Index);
}

bool GraphFlow::anyArgumentCarries(llvm::ArrayRef<const Expr *> Args,
                                   const FunctionBodyIndex &Index) {
  return llvm::any_of(Args,
                      [&](const Expr *Arg) { return carries(Arg, Index); });
}

bool GraphFlow::carries(const Expr *E, const FunctionBodyIndex &Index) {
  E = stripValueWrappers(E);
  if (!E || !Holders.mayHoldTensor(E->getType()))
    return false;

  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E)) {
    if (const auto *Var = llvm::dyn_cast<VarDecl>(Ref->getDecl()))
      return variableCarries(Var, Index);
    // `auto [out, state] = lstm->forward(x, state)`: a binding carries what
    // the whole decomposed value carries.
    if (const auto *Binding = llvm::dyn_cast<BindingDecl>(Ref->getDecl()))
      if (const auto *Decomposed =
              llvm::dyn_cast_or_null<VarDecl>(Binding->getDecomposedDecl()))
        return variableCarries(Decomposed, Index);
    return false;
  }
  if (const auto *Conditional = llvm::dyn_cast<AbstractConditionalOperator>(E))
    return carries(Conditional->getTrueExpr(), Index) ||
           carries(Conditional->getFalseExpr(), Index);
  if (const auto *Subscript = llvm::dyn_cast<ArraySubscriptExpr>(E))
    return carries(Subscript->getBase(), Index);
  if (const auto *Member = llvm::dyn_cast<MemberExpr>(E)) {
    // A field of a local aggregate (`batch.data`) carries what the aggregate
    // carries; fields of `this` are judged where they are stored.
    if (llvm::isa<CXXThisExpr>(Member->getBase()->IgnoreParenImpCasts()))
      return false;
    return carries(Member->getBase(), Index);
  }
  if (const auto *List = llvm::dyn_cast<InitListExpr>(E))
    return anyArgumentCarries(
        llvm::ArrayRef<const Expr *>(List->getInits(), List->getNumInits()),
        Index);
  if (const auto *StdList = llvm::dyn_cast<CXXStdInitializerListExpr>(E))
    return carries(StdList->getSubExpr(), Index);

  // Everything below computes a new value: under a grad-off scope it records
  // no graph, whatever its operands carry.
  if (isGradDisabledAt(E, Index))
    return false;

  if (const auto *Binary = llvm::dyn_cast<BinaryOperator>(E))
    return carries(Binary->getLHS(), Index) || carries(Binary->getRHS(), Index);
  if (const auto *Unary = llvm::dyn_cast<UnaryOperator>(E))
    return carries(Unary->getSubExpr(), Index);
  if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(E))
    return anyArgumentCarries(
        llvm::ArrayRef<const Expr *>(Construct->getArgs(),
                                     Construct->getNumArgs()),
        Index);

  const auto *Call = llvm::dyn_cast<CallExpr>(E);
  if (!Call)
    return false;
  if (isForwardCall(Call))
    return true;

  const FunctionDecl *Callee = Call->getDirectCallee();
  llvm::StringRef Name =
      Callee && Callee->getIdentifier() ? Callee->getName() : llvm::StringRef();

  if (const auto *MemberCall = llvm::dyn_cast<CXXMemberCallExpr>(Call)) {
    const Expr *Object = MemberCall->getImplicitObjectArgument();
    const CXXRecordDecl *Owner = MemberCall->getRecordDecl();
    if (Owner &&
        isTensorType(Owner->getTypeForDecl()->getCanonicalTypeInternal())) {
      if (isGraphFreeTensorMethod(Name))
        return false;
      // `out.to(torch::kLong)`, `out.toType(torch::kBool)`.
      if ((Name == "to" || Name == "toType" || Name == "type") &&
          llvm::any_of(argumentsOf(Call), namesIntegralScalarType))
        return false;
      if (Name == "requires_grad_" || Name == "set_requires_grad") {
        auto Args = argumentsOf(Call);
        return Args.empty() || boolLiteralValue(Args[0]).value_or(false);
      }
    }
    if (Owner && isModuleClass(Owner) && isParameterAccessor(Name))
      return true;
    if (Object && carries(Object, Index))
      return true;
  } else if (const auto *Operator = llvm::dyn_cast<CXXOperatorCallExpr>(Call)) {
    // `*it`, `it->`, `vec[i]`: the element of a container that carries.
    // (A binary `*` is multiplication and falls through to the arguments.)
    if (isBooleanTensorOperator(Operator->getOperator()) &&
        isTensorType(Operator->getType()))
      return false;
    bool IsDereference =
        Operator->getOperator() == OO_Star && Operator->getNumArgs() == 1;
    if (IsDereference || Operator->getOperator() == OO_Arrow ||
        Operator->getOperator() == OO_Subscript)
      return carries(Operator->getArg(0), Index);
  }

  // Gradients from autograd::grad hold no graph unless create_graph is set;
  // torch::detach(t) holds none.
  if (Name == "grad" || Name == "detach" || isGraphFreeTorchFunction(Callee))
    return false;

  auto Args = argumentsOf(Call);
  if (llvm::any_of(Args, isRequiresGradOption))
    return true;
  // `torch::zeros_like(out)` takes only the shape and options of `out`.
  if (Name.ends_with("_like") && isGraphFreeTorchFactory(Callee))
    return false;
  if (anyArgumentCarries(Args, Index))
    return true;
  // A helper of the user's own (a lambda too) that returns a graph.
  if (const auto *Operator = llvm::dyn_cast<CXXOperatorCallExpr>(Call);
      Operator && Operator->getOperator() == OO_Call)
    Callee = llvm::dyn_cast_or_null<FunctionDecl>(Operator->getCalleeDecl());
  return returnsGraph(Callee);
}

bool GraphFlow::variableCarries(const VarDecl *Var,
                                const FunctionBodyIndex &Index) {
  return VariableResults.get(Var, false, [&] {
    return llvm::any_of(Index.valuesStoredInto(Var), [&](const Expr *Stored) {
      return carries(Stored, Index);
    });
  });
}

bool GraphFlow::returnsGraph(const FunctionDecl *Function) {
  const FunctionDecl *Definition = userDefinition(Function, IsUserFunction);
  if (!Definition) {
    // Defined in another file of the project.
    const FunctionSummary *Summary =
        External && Function && IsUserFunction(*Function)
            ? External->summaryOf(Function)
            : nullptr;
    return Summary && Summary->ReturnsGraph;
  }
  const FunctionBodyIndex &CalleeIndex = indexOf(*Definition);
  return GraphReturns.anyReturn(*Definition, CalleeIndex, [&](const Expr *V) {
    return carries(V, CalleeIndex);
  });
}

} // namespace clang::tidy::torch
