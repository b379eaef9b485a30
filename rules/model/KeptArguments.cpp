//===--- KeptArguments.cpp - What helpers keep of their arguments ---------===//

#include "KeptArguments.h"
#include "FunctionBodyIndex.h"
#include "GradModeScopes.h"
#include "GraphFlow.h"
#include "IterationStorage.h"
#include "ReturnSummaries.h"
#include "TorchApi.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

#include <optional>

namespace clang::tidy::torch {

namespace {

bool isLambdaCallOperator(const FunctionDecl &Function) {
  const auto *Method = llvm::dyn_cast<CXXMethodDecl>(&Function);
  return Method && Method->getParent() && Method->getParent()->isLambda();
}

std::optional<unsigned> parameterIndex(const FunctionDecl &Function,
                                       const ValueDecl *Decl) {
  for (unsigned I = 0; I < Function.getNumParams(); ++I)
    if (Function.getParamDecl(I) == Decl)
      return I;
  return std::nullopt;
}

/// Where \p Target lies as seen by the caller of \p Function, if the value
/// written there survives the call.
std::optional<KeptArgument> destinationOf(const StorageTarget &Target,
                                          const FunctionDecl &Function,
                                          const FunctionBodyIndex &Index) {
  if (!Target)
    return std::nullopt;
  KeptArgument Kept;
  Kept.Storage = Target.Decl;
  if (Target.IsMember) {
    const auto *Method = llvm::dyn_cast<CXXMethodDecl>(&Function);
    if (!Method || Method->isStatic() || isLambdaCallOperator(Function))
      return std::nullopt;
    Kept.Destination = KeptArgument::Into::Member;
    return Kept;
  }
  if (std::optional<unsigned> Param = parameterIndex(Function, Target.Decl)) {
    QualType Type = Target.Decl->getType();
    // A container taken by value is the helper's own copy; a tensor handle
    // taken by value still shares the caller's tensor.
    if (!Type->isReferenceType() && !Type->isPointerType() &&
        !isTensorType(Type))
      return std::nullopt;
    Kept.Destination = KeptArgument::Into::Argument;
    Kept.DestinationIndex = *Param;
    return Kept;
  }
  // What a function of another file keeps in its static or global.
  if (llvm::isa<FunctionDecl>(Target.Decl)) {
    Kept.Destination = KeptArgument::Into::Persistent;
    return Kept;
  }
  const auto *Var = llvm::dyn_cast<VarDecl>(Target.Decl);
  if (!Var)
    return std::nullopt;
  if (Var->hasGlobalStorage()) {
    Kept.Destination = KeptArgument::Into::Persistent;
    return Kept;
  }
  if (isLambdaCallOperator(Function) &&
      !Index.declaresInside(Var, Function.getBody())) {
    Kept.Destination = KeptArgument::Into::Captured;
    return Kept;
  }
  return std::nullopt;
}

} // namespace

namespace {

/// For `model(x)` on a module holder (`TORCH_MODULE(Net)`), the contained
/// module's `forward` taking that many arguments: the holder's operator()
/// only forwards to it.
const FunctionDecl *heldModuleForward(const CXXMethodDecl *Operator,
                                      unsigned NumArgs) {
  const auto *Holder = llvm::dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      Operator->getParent());
  if (!Holder || !isModuleHolderClass(Holder) ||
      Holder->getTemplateArgs().size() != 1 ||
      Holder->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return nullptr;
  const CXXRecordDecl *Module =
      Holder->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
  if (!Module)
    return nullptr;
  for (const CXXMethodDecl *Method : Module->methods())
    if (Method->getIdentifier() && Method->getName() == "forward" &&
        Method->getMinRequiredArguments() <= NumArgs &&
        NumArgs <= Method->getNumParams())
      return Method;
  return nullptr;
}

} // namespace

SummaryKeep::How summaryKindOf(KeepKind Kind) {
  switch (Kind) {
  case KeepKind::Accumulated:
    return SummaryKeep::How::Accumulated;
  case KeepKind::Appended:
    return SummaryKeep::How::Appended;
  case KeepKind::Chained:
    return SummaryKeep::How::Chained;
  case KeepKind::Written:
    return SummaryKeep::How::Written;
  }
  return SummaryKeep::How::Appended;
}

KeepKind keepKindOf(SummaryKeep::How How) {
  for (KeepKind Kind : {KeepKind::Accumulated, KeepKind::Appended,
                        KeepKind::Chained, KeepKind::Written})
    if (summaryKindOf(Kind) == How)
      return Kind;
  return KeepKind::Appended;
}

const FunctionDecl *calledFunction(const CallExpr *Call) {
  if (const auto *Operator = llvm::dyn_cast<CXXOperatorCallExpr>(Call);
      Operator && Operator->getOperator() == OO_Call) {
    const auto *Callee =
        llvm::dyn_cast_or_null<FunctionDecl>(Operator->getCalleeDecl());
    if (const auto *Method = llvm::dyn_cast_or_null<CXXMethodDecl>(Callee))
      if (const FunctionDecl *Forward =
              heldModuleForward(Method, Operator->getNumArgs() - 1))
        return Forward;
    return Callee;
  }
  return Call->getDirectCallee();
}

llvm::SmallVector<const Expr *, 4>
argumentsInParameterOrder(const CallExpr *Call) {
  llvm::SmallVector<const Expr *, 4> Args(Call->arguments());
  // `keep(loss)` on a lambda is `operator()(keep, loss)`.
  if (const auto *Operator = llvm::dyn_cast<CXXOperatorCallExpr>(Call);
      Operator && llvm::isa_and_nonnull<CXXMethodDecl>(calledFunction(Call)) &&
      !Args.empty())
    Args.erase(Args.begin());
  return Args;
}

StorageTarget storageAtCall(const KeptArgument &Kept, const CallExpr *Call,
                            llvm::ArrayRef<const Expr *> Args) {
  switch (Kept.Destination) {
  case KeptArgument::Into::Argument:
    return Kept.DestinationIndex < Args.size()
               ? storageOf(Args[Kept.DestinationIndex])
               : StorageTarget();
  case KeptArgument::Into::Member: {
    const Expr *Object = nullptr;
    if (const auto *Member = llvm::dyn_cast<CXXMemberCallExpr>(Call))
      Object = Member->getImplicitObjectArgument();
    else if (const auto *Operator = llvm::dyn_cast<CXXOperatorCallExpr>(Call);
             Operator && Operator->getOperator() == OO_Call)
      Object = Operator->getArg(0); // `model(x)`: the module's holder.
    if (!Object)
      return {};
    return llvm::isa<CXXThisExpr>(Object->IgnoreParenImpCasts())
               ? StorageTarget{Kept.Storage, true}
               : storageOf(Object);
  }
  case KeptArgument::Into::Persistent:
  case KeptArgument::Into::Captured:
    return {Kept.Storage, false};
  }
  return {};
}

std::vector<KeptArgument>
KeptArguments::fromSummary(const FunctionDecl &Callee,
                           const FunctionSummary &Summary) {
  std::vector<KeptArgument> Kept;
  for (const SummaryKeep &Keep : Summary.Keeps) {
    KeptArgument K;
    K.ValueIndex = Keep.Param == SummaryKeep::OwnGraph
                       ? KeptArgument::OwnGraph
                       : static_cast<unsigned>(Keep.Param);
    switch (Keep.Destination) {
    case SummaryKeep::Into::Argument:
      K.Destination = KeptArgument::Into::Argument;
      K.DestinationIndex = static_cast<unsigned>(Keep.IntoParam);
      break;
    case SummaryKeep::Into::Member:
      K.Destination = KeptArgument::Into::Member;
      break;
    case SummaryKeep::Into::Static:
    case SummaryKeep::Into::Global:
      K.Destination = KeptArgument::Into::Persistent;
      break;
    }
    K.Storage = &Callee;
    K.Kind = keepKindOf(Keep.Kind);
    K.External = &Keep;
    Kept.push_back(K);
  }
  return Kept;
}

std::vector<KeptArgument> KeptArguments::of(const FunctionDecl *Callee) {
  const FunctionDecl *Definition = userDefinition(Callee, IsUserFunction);
  if (!Definition) {
    const FunctionSummary *Summary =
        External && Callee && IsUserFunction(*Callee)
            ? External->summaryOf(Callee)
            : nullptr;
    if (!Summary)
      return {};
    const FunctionDecl *Key = Callee->getCanonicalDecl();
    auto [It, Inserted] = FromSummaries.try_emplace(Key);
    if (Inserted)
      It->second = fromSummary(*Key, *Summary);
    return It->second;
  }
  return Results.get(Definition, {}, [&] { return summarise(*Definition); });
}

std::vector<KeptArgument>
KeptArguments::summarise(const FunctionDecl &Definition) {
  std::vector<KeptArgument> Summary;
  const FunctionBodyIndex &Index = Indexes.of(Definition);
  // First the graphs the function records itself, then each tensor
  // parameter assumed to carry one.
  for (unsigned ValueIndex = KeptArgument::OwnGraph;;) {
    // A flow of its own: it assumes what the parameter carries.
    GraphFlow Flow(IsUserFunction, External, &Indexes);
    std::optional<StorageTarget> ParamTarget;
    if (ValueIndex != KeptArgument::OwnGraph) {
      const ParmVarDecl *Param = Definition.getParamDecl(ValueIndex);
      Flow.assumeCarries(Param);
      ParamTarget = StorageTarget{Param, false};
    }
    auto Keeps = [&](const Expr *Value) {
      return (!ParamTarget ||
              dependsOn(Value, *ParamTarget, Index, Index.body())) &&
             Flow.carriesGraph(Value, Index);
    };
    if (!ParamTarget || isTensorType(Definition.getParamDecl(ValueIndex)
                                         ->getType()
                                         .getNonReferenceType()))
      summariseStores(Definition, Index, Flow, Keeps, ValueIndex, Summary);
    ValueIndex = ValueIndex == KeptArgument::OwnGraph ? 0 : ValueIndex + 1;
    if (ValueIndex >= Definition.getNumParams())
      break;
  }
  return Summary;
}

void KeptArguments::summariseStores(
    const FunctionDecl &Definition, const FunctionBodyIndex &Index,
    GraphFlow &Flow, llvm::function_ref<bool(const Expr *)> Keeps,
    unsigned ValueIndex, std::vector<KeptArgument> &Summary) {
  for (const Stmt *S : Index.statements()) {
    if (std::optional<KeepSite> Keep = asKeepSite(S, Index)) {
      // A graph kept inside a loop of the function itself is reported
      // there, not at every call.
      if (!Keeps(Keep->Value) ||
          (ValueIndex == KeptArgument::OwnGraph && Index.enclosingLoop(S)))
        continue;
      StorageTarget Target = storageOf(Keep->Target);
      std::optional<KeptArgument> Kept =
          destinationOf(Target, Definition, Index);
      if (!Kept ||
          isResetWithin(Target, Definition.getBody(), Keep->Store, Index, Flow))
        continue;
      Kept->ValueIndex = ValueIndex;
      Kept->Kind = Keep->Kind;
      Kept->Store = Keep->Store->getBeginLoc();
      Summary.push_back(*Kept);
      continue;
    }
    const auto *Call = llvm::dyn_cast<CallExpr>(S);
    if (!Call)
      continue;
    const FunctionDecl *Callee = calledFunction(Call);
    if (!Callee || Callee->getCanonicalDecl() == Definition.getCanonicalDecl())
      continue;
    llvm::SmallVector<const Expr *, 4> Args = argumentsInParameterOrder(Call);
    for (const KeptArgument &Inner : of(Callee)) {
      if (Inner.ValueIndex == KeptArgument::OwnGraph) {
        // The callee's own graph is this function's own graph, unless
        // this function calls it with autograd off.
        if (ValueIndex != KeptArgument::OwnGraph ||
            isGradDisabledAt(Call, Index))
          continue;
      } else if (Inner.ValueIndex >= Args.size() ||
                 !Keeps(Args[Inner.ValueIndex])) {
        continue;
      }
      StorageTarget Target = storageAtCall(Inner, Call, Args);
      std::optional<KeptArgument> Kept =
          destinationOf(Target, Definition, Index);
      if (!Kept)
        continue;
      Kept->ValueIndex = ValueIndex;
      Kept->Kind = Inner.Kind;
      Kept->Store = Inner.Store;
      Kept->External = Inner.External;
      Summary.push_back(*Kept);
    }
  }
}

} // namespace clang::tidy::torch
