//===--- ParameterSources.cpp - Which tensors are parameters --------------===//

#include "ParameterSources.h"
#include "GraphFlow.h"
#include "TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang::tidy::torch {

namespace {

llvm::StringRef nameOf(const NamedDecl *D) {
  return D && D->getIdentifier() ? D->getName() : llvm::StringRef();
}

/// `register_parameter(...)`, `register_buffer(...)` or an accessor such as
/// `model->parameters()` called on a module.
ParameterKind registrationKind(const Expr *E) {
  const auto *Call =
      llvm::dyn_cast_or_null<CXXMemberCallExpr>(stripValueWrappers(E));
  if (!Call || !Call->getMethodDecl() ||
      !isModuleClass(Call->getMethodDecl()->getParent()))
    return ParameterKind::None;
  llvm::StringRef Name = nameOf(Call->getMethodDecl());
  if (Name == "register_parameter" || Name == "parameters" ||
      Name == "named_parameters")
    return ParameterKind::Parameter;
  if (Name == "register_buffer" || Name == "buffers" || Name == "named_buffers")
    return ParameterKind::Buffer;
  return ParameterKind::None;
}

/// `this->Field` or `Field` inside a member function.
bool isOwnMember(const Expr *E, const FieldDecl *Field) {
  const auto *Member =
      llvm::dyn_cast_or_null<MemberExpr>(stripValueWrappers(E));
  return Member && Member->getMemberDecl() == Field &&
         llvm::isa<CXXThisExpr>(Member->getBase()->IgnoreParenImpCasts());
}

/// The registration stored into \p Field by the statements under \p S:
/// `Field = register_buffer(...)`, `Field.push_back(register_parameter(...))`.
ParameterKind registrationIn(const Stmt *S, const FieldDecl *Field) {
  if (!S)
    return ParameterKind::None;
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S);
      Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
      isOwnMember(Op->getArg(0), Field))
    if (ParameterKind Kind = registrationKind(Op->getArg(1));
        Kind != ParameterKind::None)
      return Kind;
  if (const auto *Append = llvm::dyn_cast<CXXMemberCallExpr>(S);
      Append && Append->getMethodDecl() && Append->getNumArgs() > 0 &&
      isContainerAppendMethod(nameOf(Append->getMethodDecl())) &&
      isOwnMember(Append->getImplicitObjectArgument(), Field))
    if (ParameterKind Kind =
            registrationKind(Append->getArg(Append->getNumArgs() - 1));
        Kind != ParameterKind::None)
      return Kind;
  for (const Stmt *Child : S->children())
    if (ParameterKind Kind = registrationIn(Child, Field);
        Kind != ParameterKind::None)
      return Kind;
  return ParameterKind::None;
}

/// Methods of containers, OrderedDict and its items that hand out the
/// elements they hold.
bool isElementAccessor(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("value", "values", "items", "at", "front", "back", true)
      .Default(false);
}

/// True when the function of \p Index reads `Var.grad()` or
/// `Var.mutable_grad()`.
bool readsGradientOf(const VarDecl *Var, const FunctionBodyIndex &Index) {
  return llvm::any_of(Index.statements(), [&](const Stmt *S) {
    const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S);
    if (!Call || !Call->getMethodDecl())
      return false;
    llvm::StringRef Name = nameOf(Call->getMethodDecl());
    const auto *Object = llvm::dyn_cast<DeclRefExpr>(
        Call->getImplicitObjectArgument()->IgnoreParenImpCasts());
    return (Name == "grad" || Name == "mutable_grad") && Object &&
           Object->getDecl() == Var;
  });
}

} // namespace

bool isInPlaceUpdateMethod(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("add_", "sub_", "mul_", "div_", "copy_", "lerp_", true)
      .Cases("addcmul_", "addcdiv_", "clamp_", "pow_", "sqrt_", "neg_", true)
      .Default(false);
}

ParameterKind ParameterSources::kindOf(const Expr *E,
                                       const FunctionBodyIndex &Index) {
  E = stripValueWrappers(E);
  if (!E)
    return ParameterKind::None;
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E)) {
    if (const auto *Var = llvm::dyn_cast<VarDecl>(Ref->getDecl()))
      return variableKind(Var, Index);
    return ParameterKind::None;
  }
  if (const auto *Member = llvm::dyn_cast<MemberExpr>(E)) {
    if (const auto *Field = llvm::dyn_cast<FieldDecl>(Member->getMemberDecl()))
      return registeredKind(Field);
    return ParameterKind::None;
  }
  if (const auto *Subscript = llvm::dyn_cast<ArraySubscriptExpr>(E))
    return kindOf(Subscript->getBase(), Index);
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
    // `*item`, `item->`, `params[i]`, `named_parameters()["weight"]`.
    // A binary `a * b` is OO_Star too: only the unary form selects.
    if (((Op->getOperator() == OO_Star && Op->getNumArgs() == 1) ||
         Op->getOperator() == OO_Arrow || Op->getOperator() == OO_Subscript) &&
        Op->getNumArgs() > 0)
      return kindOf(Op->getArg(0), Index);
    return ParameterKind::None;
  }
  const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(E);
  if (!Call || !Call->getMethodDecl())
    return ParameterKind::None;
  const CXXMethodDecl *Method = Call->getMethodDecl();
  llvm::StringRef Name = nameOf(Method);
  const CXXRecordDecl *Owner = Method->getParent();
  if (isModuleClass(Owner))
    return registrationKind(Call);
  // What an optimizer, libtorch's or one derived from it, steps with.
  if ((Name == "params" &&
       isDeclaredIn(Owner, "OptimizerParamGroup", {"torch", "optim"})) ||
      (Name == "parameters" &&
       isDeclaredIn(Owner, "Optimizer", {"torch", "optim"})))
    return ParameterKind::Parameter;
  const Expr *Object = Call->getImplicitObjectArgument();
  if (isTensorType(Owner->getTypeForDecl()->getCanonicalTypeInternal())) {
    if (Name == "grad" || Name == "mutable_grad")
      return kindOf(Object, Index) == ParameterKind::Parameter
                 ? ParameterKind::Gradient
                 : ParameterKind::None;
    // In-place methods return the tensor they update; everything else
    // (data(), detach(), arithmetic) is another tensor.
    if (isInPlaceUpdateMethod(Name))
      return kindOf(Object, Index);
    return ParameterKind::None;
  }
  if (isElementAccessor(Name))
    return kindOf(Object, Index);
  return ParameterKind::None;
}

ParameterKind ParameterSources::variableKind(const VarDecl *Var,
                                             const FunctionBodyIndex &Index) {
  // A global's stores lie in many functions: not followed.
  if (Var->hasGlobalStorage())
    return ParameterKind::None;
  if (const ParameterKind *Known = Variables.cached(Var))
    return *Known;
  // A tensor whose gradient the code reads is a leaf that requires grad,
  // wherever it came from (a hand-written optimizer's own list).
  if (isTensorType(Var->getType()) && readsGradientOf(Var, Index)) {
    Variables.set(Var, ParameterKind::Parameter);
    return ParameterKind::Parameter;
  }
  // A function parameter's value comes from the caller: not followed.
  if (llvm::isa<ParmVarDecl>(Var))
    return ParameterKind::None;
  return Variables.get(Var, ParameterKind::None, [&] {
    // The first value is the initialiser or the range a loop variable
    // walks; later stores (`acc += p`) add to the variable, they do not
    // make it an alias of a parameter.
    llvm::ArrayRef<const Expr *> Stored = Index.valuesStoredInto(Var);
    return Stored.empty() ? ParameterKind::None : kindOf(Stored.front(), Index);
  });
}

ParameterKind ParameterSources::registeredKind(const FieldDecl *Field) {
  if (auto Known = Fields.find(Field); Known != Fields.end())
    return Known->second;
  ParameterKind Result = ParameterKind::None;
  const auto *Record = llvm::dyn_cast<CXXRecordDecl>(Field->getParent());
  if (Field->hasInClassInitializer())
    Result = registrationKind(Field->getInClassInitializer());
  if (Record && Record->hasDefinition()) {
    for (const CXXMethodDecl *Method : Record->methods()) {
      if (Result != ParameterKind::None)
        break;
      const FunctionDecl *Definition = nullptr;
      if (!Method->hasBody(Definition) || !Definition)
        continue;
      if (const auto *Constructor =
              llvm::dyn_cast<CXXConstructorDecl>(Definition))
        for (const CXXCtorInitializer *Init : Constructor->inits())
          if (Init->getMember() == Field && Init->isWritten() &&
              Result == ParameterKind::None)
            Result = registrationKind(Init->getInit());
      if (Result == ParameterKind::None)
        Result = registrationIn(Definition->getBody(), Field);
    }
  }
  Fields[Field] = Result;
  return Result;
}

bool ParameterSources::readsParameter(const Expr *E,
                                      const FunctionBodyIndex &Index) {
  E = stripValueWrappers(E);
  if (!E)
    return false;
  if (kindOf(E, Index) == ParameterKind::Parameter)
    return true;
  if (const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(E))
    if (const CXXMethodDecl *Method = Call->getMethodDecl();
        Method && Method->getIdentifier() &&
        isTensorType(Method->getParent()
                         ->getTypeForDecl()
                         ->getCanonicalTypeInternal()) &&
        isGraphFreeTensorMethod(Method->getName()))
      return false;
  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E)) {
    const auto *Var = llvm::dyn_cast<VarDecl>(Ref->getDecl());
    if (!Var || Var->hasGlobalStorage() || llvm::isa<ParmVarDecl>(Var) ||
        !InProgress.insert(Var).second)
      return false;
    bool Result =
        llvm::any_of(Index.valuesStoredInto(Var), [&](const Expr *Stored) {
          return readsParameter(Stored, Index);
        });
    InProgress.erase(Var);
    return Result;
  }
  for (const Stmt *Child : E->children())
    if (const auto *ChildExpr = llvm::dyn_cast_or_null<Expr>(Child);
        ChildExpr && readsParameter(ChildExpr, Index))
      return true;
  return false;
}

bool ParameterSources::usesGradient(const Stmt *S,
                                    const FunctionBodyIndex &Index) {
  if (!S)
    return false;
  if (const auto *E = llvm::dyn_cast<Expr>(S);
      E && kindOf(E, Index) == ParameterKind::Gradient)
    return true;
  for (const Stmt *Child : S->children())
    if (usesGradient(Child, Index))
      return true;
  return false;
}

} // namespace clang::tidy::torch
