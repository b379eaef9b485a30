//===--- TorchApi.cpp - What libtorch declarations mean -------------------===//

#include "TorchApi.h"

#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang::tidy::torch {

namespace {

const CXXRecordDecl *definitionOf(const CXXRecordDecl *Record) {
  if (!Record)
    return nullptr;
  if (const CXXRecordDecl *Definition = Record->getDefinition())
    return Definition;
  return Record;
}

/// True when \p Record or one of its bases satisfies \p Matches.
template <typename Predicate>
bool isOrDerivesFrom(const CXXRecordDecl *Record, Predicate Matches) {
  Record = definitionOf(Record);
  if (!Record)
    return false;
  if (Matches(Record))
    return true;
  if (!Record->hasDefinition())
    return false;
  for (const CXXBaseSpecifier &Base : Record->bases()) {
    const auto *BaseRecord = Base.getType()->getAsCXXRecordDecl();
    if (BaseRecord && isOrDerivesFrom(BaseRecord, Matches))
      return true;
  }
  return false;
}

const CXXRecordDecl *recordOf(QualType Type) {
  if (Type.isNull())
    return nullptr;
  Type = Type.getNonReferenceType();
  if (const auto *Pointer = Type->getAs<PointerType>())
    Type = Pointer->getPointeeType();
  return Type->getAsCXXRecordDecl();
}

} // namespace

bool isDeclaredIn(const NamedDecl *Decl, llvm::StringRef Name,
                  llvm::ArrayRef<llvm::StringRef> Namespaces) {
  if (!Decl || !Decl->getIdentifier() || Decl->getName() != Name)
    return false;
  const DeclContext *Context = Decl->getDeclContext();
  for (auto It = Namespaces.rbegin(); It != Namespaces.rend(); ++It) {
    while (Context && Context->isInlineNamespace())
      Context = Context->getParent();
    const auto *Namespace = llvm::dyn_cast_or_null<NamespaceDecl>(Context);
    if (!Namespace || !Namespace->getIdentifier() ||
        Namespace->getName() != *It)
      return false;
    Context = Namespace->getParent();
  }
  while (Context && Context->isInlineNamespace())
    Context = Context->getParent();
  return Context && Context->isTranslationUnit();
}

bool isTensorType(QualType Type) {
  if (Type.isNull())
    return false;
  const auto *Record =
      Type.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
  return Record && isDeclaredIn(Record, "Tensor", {"at"});
}

bool isTensorOrStdOf(QualType Type,
                     llvm::ArrayRef<llvm::StringRef> StdTemplates) {
  if (isTensorType(Type))
    return true;
  const auto *Spec = llvm::dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      Type.getNonReferenceType()->getAsCXXRecordDecl());
  if (!Spec || !Spec->isInStdNamespace() || !Spec->getIdentifier() ||
      !llvm::is_contained(StdTemplates, Spec->getName()))
    return false;
  auto Holds = [&](const TemplateArgument &Arg) {
    return Arg.getKind() == TemplateArgument::Type &&
           isTensorOrStdOf(Arg.getAsType(), StdTemplates);
  };
  for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray())
    if (Arg.getKind() == TemplateArgument::Pack
            ? llvm::any_of(Arg.pack_elements(), Holds)
            : Holds(Arg))
      return true;
  return false;
}

bool isModuleClass(const CXXRecordDecl *Record) {
  return isOrDerivesFrom(Record, [](const CXXRecordDecl *R) {
    return isDeclaredIn(R, "Module", {"torch", "nn"});
  });
}

bool isModuleHolderClass(const CXXRecordDecl *Record) {
  return isOrDerivesFrom(Record, [](const CXXRecordDecl *R) {
    if (const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(R))
      return isDeclaredIn(Spec->getSpecializedTemplate(), "ModuleHolder",
                          {"torch", "nn"});
    // Inside the template itself (a dependent use) the record is the pattern.
    if (const ClassTemplateDecl *Template = R->getDescribedClassTemplate())
      return isDeclaredIn(Template, "ModuleHolder", {"torch", "nn"});
    return false;
  });
}

bool isScriptModuleClass(const CXXRecordDecl *Record) {
  return isOrDerivesFrom(Record, [](const CXXRecordDecl *R) {
    return isDeclaredIn(R, "Module", {"torch", "jit"}) ||
           isDeclaredIn(R, "Module", {"torch", "jit", "script"});
  });
}

bool isForwardCall(const Expr *Call) {
  Call = Call ? Call->IgnoreParenImpCasts() : nullptr;
  if (const auto *Member = llvm::dyn_cast_or_null<CXXMemberCallExpr>(Call)) {
    const CXXMethodDecl *Method = Member->getMethodDecl();
    if (!Method || !Method->getIdentifier() || Method->getName() != "forward")
      return false;
    const CXXRecordDecl *Owner = Method->getParent();
    return isModuleClass(Owner) || isScriptModuleClass(Owner) ||
           isModuleHolderClass(Owner);
  }
  if (const auto *Operator =
          llvm::dyn_cast_or_null<CXXOperatorCallExpr>(Call)) {
    if (Operator->getOperator() != OO_Call || Operator->getNumArgs() == 0)
      return false;
    const CXXRecordDecl *Callee = recordOf(Operator->getArg(0)->getType());
    return isModuleHolderClass(Callee) || isModuleClass(Callee);
  }
  return false;
}

bool isDependentForwardCall(const Expr *Call) {
  const auto *Dependent = llvm::dyn_cast_or_null<CallExpr>(
      Call ? Call->IgnoreParenImpCasts() : nullptr);
  if (!Dependent || !Dependent->isTypeDependent() ||
      llvm::isa<CXXOperatorCallExpr, CXXMemberCallExpr>(Dependent))
    return false;
  const Expr *Callee = Dependent->getCallee()->IgnoreParenImpCasts();
  // `model->forward(x)` on a template's `Model model;`: the module type is
  // known only in an instantiation; in a file that uses libtorch, a member
  // named forward is a module's.
  if (const auto *Member = llvm::dyn_cast<CXXDependentScopeMemberExpr>(Callee))
    return Member->getMember().isIdentifier() &&
           Member->getMember().getAsIdentifierInfo()->getName() == "forward";
  if (const auto *Member = llvm::dyn_cast<UnresolvedMemberExpr>(Callee)) {
    if (Member->getMemberName().getAsString() != "forward" ||
        Member->getBaseType().isNull())
      return false;
    const CXXRecordDecl *Owner = recordOf(Member->getBaseType());
    return isModuleClass(Owner) || isModuleHolderClass(Owner) ||
           isScriptModuleClass(Owner);
  }
  if (Callee->isTypeDependent())
    return false;
  const CXXRecordDecl *Object = recordOf(Callee->getType());
  return isModuleHolderClass(Object) || isModuleClass(Object);
}

GradGuardEffect classifyGradGuard(const VarDecl *Var) {
  if (!Var || !Var->isLocalVarDecl())
    return GradGuardEffect::None;
  const auto *Record = Var->getType().getCanonicalType()->getAsCXXRecordDecl();
  if (!Record)
    return GradGuardEffect::None;
  const bool IsNoGradGuard = isDeclaredIn(Record, "NoGradGuard", {"c10"});
  const bool IsAutoGradMode = isDeclaredIn(Record, "AutoGradMode", {"c10"});
  const bool IsInferenceMode = isDeclaredIn(Record, "InferenceMode", {"c10"});
  if (IsNoGradGuard)
    return GradGuardEffect::DisablesGrad;
  if (!IsAutoGradMode && !IsInferenceMode)
    return GradGuardEffect::None;

  // The constructor's first argument decides; InferenceMode defaults to on.
  std::optional<bool> Enabled;
  const Expr *Init =
      Var->getInit() ? stripValueWrappers(Var->getInit()) : nullptr;
  if (const auto *Construct = llvm::dyn_cast_or_null<CXXConstructExpr>(Init)) {
    if (Construct->getNumArgs() > 0 &&
        !llvm::isa<CXXDefaultArgExpr>(Construct->getArg(0)))
      Enabled = boolLiteralValue(Construct->getArg(0));
    else if (IsInferenceMode)
      Enabled = true;
  }
  if (!Enabled)
    return GradGuardEffect::None;
  // AutoGradMode(true) enables grad; InferenceMode(true) disables it.
  const bool GradOn = IsAutoGradMode ? *Enabled : !*Enabled;
  return GradOn ? GradGuardEffect::EnablesGrad : GradGuardEffect::DisablesGrad;
}

bool isGradGuardClass(const CXXRecordDecl *Record) {
  return isDeclaredIn(Record, "NoGradGuard", {"c10"}) ||
         isDeclaredIn(Record, "AutoGradMode", {"c10"}) ||
         isDeclaredIn(Record, "InferenceMode", {"c10"});
}

GradGuardEffect
classifyGradGuardConstruction(const CXXConstructExpr *Construct) {
  if (!Construct || !Construct->getConstructor())
    return GradGuardEffect::None;
  const CXXRecordDecl *Record = Construct->getConstructor()->getParent();
  if (isDeclaredIn(Record, "NoGradGuard", {"c10"}))
    return GradGuardEffect::DisablesGrad;
  const bool IsAutoGradMode = isDeclaredIn(Record, "AutoGradMode", {"c10"});
  const bool IsInferenceMode = isDeclaredIn(Record, "InferenceMode", {"c10"});
  if ((!IsAutoGradMode && !IsInferenceMode) || Construct->getNumArgs() == 0)
    return GradGuardEffect::None;
  std::optional<bool> Enabled;
  if (llvm::isa<CXXDefaultArgExpr>(Construct->getArg(0)))
    Enabled = IsInferenceMode ? std::optional<bool>(true) : std::nullopt;
  else
    Enabled = boolLiteralValue(Construct->getArg(0));
  if (!Enabled)
    return GradGuardEffect::None;
  // AutoGradMode(true) enables grad; InferenceMode(true) disables it.
  const bool GradOn = IsAutoGradMode ? *Enabled : !*Enabled;
  return GradOn ? GradGuardEffect::EnablesGrad : GradGuardEffect::DisablesGrad;
}

GradGuardEffect classifyGradModeCall(const CallExpr *Call) {
  const auto *Callee = llvm::dyn_cast_or_null<CXXMethodDecl>(
      Call ? Call->getDirectCallee() : nullptr);
  if (!Callee || !Callee->getIdentifier() ||
      Callee->getName() != "set_enabled" || Call->getNumArgs() != 1 ||
      !isDeclaredIn(Callee->getParent(), "GradMode", {"c10"}))
    return GradGuardEffect::None;
  std::optional<bool> Enabled = boolLiteralValue(Call->getArg(0));
  if (!Enabled)
    return GradGuardEffect::None;
  return *Enabled ? GradGuardEffect::EnablesGrad
                  : GradGuardEffect::DisablesGrad;
}

bool isContainerAppendMethod(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("push_back", "emplace_back", "push_front", "emplace_front", true)
      .Cases("insert", "emplace", "push", "append", true)
      .Default(false);
}

const Expr *stripValueWrappers(const Expr *E) {
  while (E) {
    const Expr *Inner = E->IgnoreParenImpCasts();
    if (const auto *Cleanups = llvm::dyn_cast<ExprWithCleanups>(Inner))
      Inner = Cleanups->getSubExpr();
    else if (const auto *Temp = llvm::dyn_cast<MaterializeTemporaryExpr>(Inner))
      Inner = Temp->getSubExpr();
    else if (const auto *Bind = llvm::dyn_cast<CXXBindTemporaryExpr>(Inner))
      Inner = Bind->getSubExpr();
    else if (const auto *Cast = llvm::dyn_cast<CXXFunctionalCastExpr>(Inner))
      Inner = Cast->getSubExpr();
    else if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(Inner);
             Construct && Construct->getNumArgs() == 1 &&
             Construct->getConstructor()->isCopyOrMoveConstructor())
      Inner = Construct->getArg(0);
    if (Inner == E)
      return E;
    E = Inner;
  }
  return E;
}

std::optional<bool> boolLiteralValue(const Expr *E) {
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  if (const auto *Literal = llvm::dyn_cast_or_null<CXXBoolLiteralExpr>(E))
    return Literal->getValue();
  if (const auto *Integer = llvm::dyn_cast_or_null<IntegerLiteral>(E))
    return Integer->getValue() != 0;
  return std::nullopt;
}

} // namespace clang::tidy::torch
