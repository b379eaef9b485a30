//===--- DeviceFlow.cpp - Which tensors live on a CUDA device -------------===//

#include "DeviceFlow.h"
#include "IterationStorage.h"
#include "ReturnSummaries.h"
#include "TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::torch {

namespace {

const CXXRecordDecl *recordOfType(QualType Type) {
  if (Type.isNull())
    return nullptr;
  return Type.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
}

bool isTensorOptionsType(QualType Type) {
  const CXXRecordDecl *Record = recordOfType(Type);
  return Record && (isDeclaredIn(Record, "TensorOptions", {"c10"}) ||
                    isDeclaredIn(Record, "TensorOptions", {"at"}));
}

bool isDeviceType(QualType Type) {
  const CXXRecordDecl *Record = recordOfType(Type);
  return Record && isDeclaredIn(Record, "Device", {"c10"});
}

bool isScalarTypeEnum(QualType Type) {
  if (Type.isNull())
    return false;
  const auto *Enum =
      Type.getNonReferenceType().getCanonicalType()->getAs<EnumType>();
  return Enum && isDeclaredIn(Enum->getDecl(), "ScalarType", {"c10"});
}

/// `c10::kCUDA`, `c10::DeviceType::CUDA` and their CPU counterparts.
DeviceKind deviceConstant(const ValueDecl *Decl) {
  if (isDeclaredIn(Decl, "kCUDA", {"c10"}))
    return DeviceKind::Cuda;
  if (isDeclaredIn(Decl, "kCPU", {"c10"}))
    return DeviceKind::Cpu;
  if (const auto *Constant = llvm::dyn_cast<EnumConstantDecl>(Decl)) {
    const auto *Enum = llvm::dyn_cast<EnumDecl>(Constant->getDeclContext());
    if (!Enum || !isDeclaredIn(Enum, "DeviceType", {"c10"}))
      return DeviceKind::Unknown;
    if (Constant->getName() == "CUDA")
      return DeviceKind::Cuda;
    if (Constant->getName() == "CPU")
      return DeviceKind::Cpu;
  }
  return DeviceKind::Unknown;
}

/// "cuda", "cuda:1", "cpu": the strings a `torch::Device` parses.
DeviceKind deviceString(llvm::StringRef Text) {
  if (Text == "cuda" || Text.starts_with("cuda:"))
    return DeviceKind::Cuda;
  if (Text == "cpu")
    return DeviceKind::Cpu;
  return DeviceKind::Unknown;
}

/// The object of `model->f()`, `(*model).f()`, `model.f()`: the holder or
/// pointer variable itself.
const Expr *moduleObject(const Expr *E) {
  E = stripValueWrappers(E);
  if (const auto *Operator = llvm::dyn_cast_or_null<CXXOperatorCallExpr>(E))
    if ((Operator->getOperator() == OO_Arrow ||
         Operator->getOperator() == OO_Star) &&
        Operator->getNumArgs() >= 1)
      return stripValueWrappers(Operator->getArg(0));
  if (const auto *Unary = llvm::dyn_cast_or_null<UnaryOperator>(E))
    if (Unary->getOpcode() == UO_Deref)
      return stripValueWrappers(Unary->getSubExpr());
  return E;
}

/// A default-constructed value (`torch::Tensor out;`, `{}`) holds no data on
/// any device and says nothing about later stores.
bool isEmptyValue(const Expr *E) {
  E = stripValueWrappers(E);
  if (const auto *Construct = llvm::dyn_cast_or_null<CXXConstructExpr>(E))
    return llvm::all_of(Construct->arguments(), [](const Expr *Arg) {
      return llvm::isa<CXXDefaultArgExpr>(Arg);
    });
  if (const auto *List = llvm::dyn_cast_or_null<InitListExpr>(E))
    return List->getNumInits() == 0;
  return false;
}

/// The first argument the caller wrote, skipping defaulted ones.
const Expr *firstWrittenArgument(const CallExpr *Call) {
  for (const Expr *Arg : Call->arguments())
    if (!llvm::isa<CXXDefaultArgExpr>(Arg))
      return Arg;
  return nullptr;
}

} // namespace

const FunctionBodyIndex &DeviceFlow::indexOf(const FunctionDecl &Function) {
  std::unique_ptr<FunctionBodyIndex> &Slot = Indexes[&Function];
  if (!Slot)
    Slot = std::make_unique<FunctionBodyIndex>(Function);
  return *Slot;
}

bool DeviceFlow::isOnCuda(const Expr *E, const FunctionBodyIndex &Index) {
  return onCuda(E, Index);
}

DeviceKind DeviceFlow::deviceOf(const Expr *E, const FunctionBodyIndex &Index) {
  E = stripValueWrappers(E);
  if (!E)
    return DeviceKind::Unknown;

  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E)) {
    if (DeviceKind Kind = deviceConstant(Ref->getDecl());
        Kind != DeviceKind::Unknown)
      return Kind;
    const auto *Var = llvm::dyn_cast<VarDecl>(Ref->getDecl());
    if (!Var || !InProgress.insert(Var).second)
      return DeviceKind::Unknown;
    // Devices are configured, often conditionally: CUDA on any path is
    // where the program is meant to run.
    bool AnyCuda = false, AllCpu = true, AnyStore = false;
    for (const Expr *Stored : Index.valuesStoredInto(Var)) {
      AnyStore = true;
      DeviceKind Kind = deviceOf(Stored, Index);
      AnyCuda |= Kind == DeviceKind::Cuda;
      AllCpu &= Kind == DeviceKind::Cpu;
    }
    InProgress.erase(Var);
    if (AnyCuda)
      return DeviceKind::Cuda;
    return AnyStore && AllCpu ? DeviceKind::Cpu : DeviceKind::Unknown;
  }
  if (const auto *Literal = llvm::dyn_cast<StringLiteral>(E))
    return deviceString(Literal->getString());
  if (const auto *Conditional =
          llvm::dyn_cast<AbstractConditionalOperator>(E)) {
    // `torch::cuda::is_available() ? torch::kCUDA : torch::kCPU`
    DeviceKind True = deviceOf(Conditional->getTrueExpr(), Index);
    DeviceKind False = deviceOf(Conditional->getFalseExpr(), Index);
    if (True == DeviceKind::Cuda || False == DeviceKind::Cuda)
      return DeviceKind::Cuda;
    return True == False ? True : DeviceKind::Unknown;
  }
  // `torch::Device(kCUDA, 1)`, `TensorOptions(kCUDA)`, `std::string("cuda")`:
  // the first argument names the device.
  if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(E)) {
    if (Construct->getNumArgs() == 0 ||
        llvm::isa<CXXDefaultArgExpr>(Construct->getArg(0)))
      return DeviceKind::Unknown;
    return deviceOf(Construct->getArg(0), Index);
  }

  const auto *Call = llvm::dyn_cast<CallExpr>(E);
  if (!Call)
    return DeviceKind::Unknown;
  const FunctionDecl *Callee = Call->getDirectCallee();
  llvm::StringRef Name =
      Callee && Callee->getIdentifier() ? Callee->getName() : llvm::StringRef();
  if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call)) {
    const Expr *Object = Member->getImplicitObjectArgument();
    if (Object && isTensorType(Object->getType())) {
      // `x.device()`, `x.options()`: where x lives.
      if (Name == "device" || Name == "options")
        return onCuda(Object, Index) ? DeviceKind::Cuda : DeviceKind::Unknown;
      return DeviceKind::Unknown;
    }
    if (Object && isTensorOptionsType(Object->getType())) {
      // `options.device(kCUDA)` sets it; `.dtype(...)` keeps the object's.
      if (Name == "device" && Call->getNumArgs() > 0)
        return deviceOf(Call->getArg(0), Index);
      return deviceOf(Object, Index);
    }
    return DeviceKind::Unknown;
  }
  // `torch::device(kCUDA)`.
  if (Name == "device" && Call->getNumArgs() == 1 &&
      isTensorOptionsType(Call->getType()))
    return deviceOf(Call->getArg(0), Index);
  return DeviceKind::Unknown;
}

bool DeviceFlow::onCuda(const Expr *E, const FunctionBodyIndex &Index) {
  E = stripValueWrappers(E);
  if (!E)
    return false;

  if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(E)) {
    if (const auto *Var = llvm::dyn_cast<VarDecl>(Ref->getDecl()))
      return variableOnCuda(Var, Index);
    return false;
  }
  if (const auto *Conditional = llvm::dyn_cast<AbstractConditionalOperator>(E))
    return onCuda(Conditional->getTrueExpr(), Index) ||
           onCuda(Conditional->getFalseExpr(), Index);
  if (const auto *Subscript = llvm::dyn_cast<ArraySubscriptExpr>(E))
    return onCuda(Subscript->getBase(), Index);
  if (const auto *Member = llvm::dyn_cast<MemberExpr>(E)) {
    // Members of `this` are set elsewhere; their device is not known here.
    if (llvm::isa<CXXThisExpr>(Member->getBase()->IgnoreParenImpCasts()))
      return false;
    return onCuda(Member->getBase(), Index);
  }
  if (const auto *List = llvm::dyn_cast<InitListExpr>(E))
    return llvm::any_of(List->inits(),
                        [&](const Expr *Init) { return onCuda(Init, Index); });
  if (const auto *StdList = llvm::dyn_cast<CXXStdInitializerListExpr>(E))
    return onCuda(StdList->getSubExpr(), Index);
  if (const auto *Binary = llvm::dyn_cast<BinaryOperator>(E))
    return onCuda(Binary->getLHS(), Index) || onCuda(Binary->getRHS(), Index);
  if (const auto *Unary = llvm::dyn_cast<UnaryOperator>(E))
    return onCuda(Unary->getSubExpr(), Index);
  if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(E))
    return llvm::any_of(Construct->arguments(),
                        [&](const Expr *Arg) { return onCuda(Arg, Index); });
  if (const auto *Call = llvm::dyn_cast<CallExpr>(E))
    return callOnCuda(Call, Index);
  return false;
}

bool DeviceFlow::callOnCuda(const CallExpr *Call,
                            const FunctionBodyIndex &Index) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  llvm::StringRef Name =
      Callee && Callee->getIdentifier() ? Callee->getName() : llvm::StringRef();

  if (isForwardCall(Call)) {
    const Expr *Module = nullptr;
    if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call))
      Module = Member->getImplicitObjectArgument();
    else if (Call->getNumArgs() > 0)
      Module = Call->getArg(0);
    if (Module && moduleMovedToCuda(Module, Index))
      return true;
  }

  if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call)) {
    const Expr *Object = Member->getImplicitObjectArgument();
    if (Object && isTensorType(Object->getType())) {
      if (Name == "cuda")
        return true;
      if (Name == "cpu" || Name == "item")
        return false;
      if (Name == "to") {
        const Expr *Target = firstWrittenArgument(Call);
        if (!Target)
          return onCuda(Object, Index);
        if (isTensorType(Target->getType()))
          return onCuda(Target, Index); // `x.to(other)`: other's device.
        if (isScalarTypeEnum(Target->getType()))
          return onCuda(Object, Index); // A dtype change keeps the device.
        // `.to(torch::kCUDA)`, `.to(device)`; an unknown device (a
        // parameter) is not known to be CUDA.
        return deviceOf(Target, Index) == DeviceKind::Cuda;
      }
      // Every other tensor method computes on the tensor's own device.
      return onCuda(Object, Index);
    }
  }

  // A factory given CUDA options, or an operation on CUDA tensors (the
  // object of a member call included).
  auto ArgumentOnCuda = [&](const Expr *Arg) {
    if (llvm::isa<CXXDefaultArgExpr>(Arg))
      return false;
    QualType Type = Arg->getType();
    if (isTensorOptionsType(Type) || isDeviceType(Type))
      return deviceOf(Arg, Index) == DeviceKind::Cuda;
    return onCuda(Arg, Index);
  };
  if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call))
    if (const Expr *Object = Member->getImplicitObjectArgument();
        Object && !isForwardCall(Call) && onCuda(Object, Index))
      return true;
  if (llvm::any_of(Call->arguments(), ArgumentOnCuda))
    return true;

  // A helper of the user's own (a lambda too) that returns a CUDA tensor.
  if (const auto *Operator = llvm::dyn_cast<CXXOperatorCallExpr>(Call);
      Operator && Operator->getOperator() == OO_Call)
    Callee = llvm::dyn_cast_or_null<FunctionDecl>(Operator->getCalleeDecl());
  return returnsCuda(Callee);
}

bool DeviceFlow::variableOnCuda(const VarDecl *Var,
                                const FunctionBodyIndex &Index) {
  // A variable on a cycle (`h = cell(x, h)`) is on CUDA when every other
  // store puts it there: provisionally yes.
  return VariableResults.get(Var, true, [&] {
    // Every store must be on CUDA: `out = out.cpu()` moves the variable
    // back.
    bool AnyStore = false;
    for (const Expr *Stored : Index.valuesStoredInto(Var)) {
      if (isEmptyValue(Stored))
        continue;
      AnyStore = true;
      if (!onCuda(Stored, Index))
        return false;
    }
    return AnyStore;
  });
}

bool DeviceFlow::moduleMovedToCuda(const Expr *Module,
                                   const FunctionBodyIndex &Index) {
  StorageTarget Target = storageOf(moduleObject(Module));
  if (!Target)
    return false;
  for (const Stmt *S : Index.statements()) {
    const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S);
    if (!Call || !Call->getMethodDecl() ||
        !Call->getMethodDecl()->getIdentifier() ||
        Call->getMethodDecl()->getName() != "to" || Call->getNumArgs() == 0)
      continue;
    const CXXRecordDecl *Owner = Call->getMethodDecl()->getParent();
    if (!isModuleClass(Owner) && !isScriptModuleClass(Owner))
      continue;
    if (storageOf(moduleObject(Call->getImplicitObjectArgument())).Decl !=
        Target.Decl)
      continue;
    if (deviceOf(Call->getArg(0), Index) == DeviceKind::Cuda)
      return true;
  }
  return false;
}

bool DeviceFlow::returnsCuda(const FunctionDecl *Function) {
  const FunctionDecl *Definition = userDefinition(Function, IsUserFunction);
  if (!Definition)
    return false;
  const FunctionBodyIndex &CalleeIndex = indexOf(*Definition);
  return CudaReturns.anyReturn(*Definition, CalleeIndex, [&](const Expr *V) {
    return onCuda(V, CalleeIndex);
  });
}

bool DeviceFlow::isModuleOutput(const Expr *E, const FunctionBodyIndex &Index) {
  llvm::SmallVector<const Stmt *, 16> Work{E};
  llvm::DenseSet<const Stmt *> Seen;
  // Any forward call among the expressions the value is computed from.
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || !Seen.insert(S).second)
      continue;
    if (const auto *Call = llvm::dyn_cast<CallExpr>(S)) {
      if (isForwardCall(Call))
        return true;
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (const auto *Operator = llvm::dyn_cast<CXXOperatorCallExpr>(Call);
          Operator && Operator->getOperator() == OO_Call)
        Callee =
            llvm::dyn_cast_or_null<FunctionDecl>(Operator->getCalleeDecl());
      if (returnsOutput(Callee))
        return true;
    }
    if (const auto *Ref = llvm::dyn_cast<DeclRefExpr>(S))
      if (const auto *Var = llvm::dyn_cast<VarDecl>(Ref->getDecl()))
        for (const Expr *Stored : Index.valuesStoredInto(Var))
          Work.push_back(Stored);
    if (llvm::isa<LambdaExpr>(S))
      continue;
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return false;
}

bool DeviceFlow::returnsOutput(const FunctionDecl *Function) {
  const FunctionDecl *Definition = userDefinition(Function, IsUserFunction);
  if (!Definition)
    return false;
  const FunctionBodyIndex &CalleeIndex = indexOf(*Definition);
  return OutputReturns.anyReturn(*Definition, CalleeIndex, [&](const Expr *V) {
    return isModuleOutput(V, CalleeIndex);
  });
}

bool isEmptyCacheCall(const CallExpr *Call) {
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  return Callee && isDeclaredIn(Callee, "emptyCache",
                                {"c10", "cuda", "CUDACachingAllocator"});
}

} // namespace clang::tidy::torch
