//===--- GradientSteps.cpp - backward, step and zero_grad events ----------===//

#include "GradientSteps.h"
#include "AutogradCalls.h"
#include "TorchApi.h"

#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::torch {

namespace {

/// True for an optimizer or a module, also behind a reference, a pointer or
/// a smart pointer.
bool isTrainingObjectType(QualType Type, const OptimizerTypes &Types) {
  if (Type.isNull())
    return false;
  Type = Type.getNonReferenceType();
  if (const auto *Pointer = Type->getAs<PointerType>())
    Type = Pointer->getPointeeType();
  const CXXRecordDecl *Record = Type->getAsCXXRecordDecl();
  if (const auto *Spec =
          llvm::dyn_cast_or_null<ClassTemplateSpecializationDecl>(Record)) {
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if (Args.size() > 0 && Args[0].getKind() == TemplateArgument::Type &&
        !isModuleHolderClass(Record))
      Record = Args[0].getAsType()->getAsCXXRecordDecl();
  }
  return Record && (Types.isOptimizerClass(Record) || isModuleClass(Record) ||
                    isModuleHolderClass(Record));
}

bool passesClosure(const CallExpr *Call) {
  if (Call->getNumArgs() == 0 || llvm::isa<CXXDefaultArgExpr>(Call->getArg(0)))
    return false;
  const Expr *Arg = stripValueWrappers(Call->getArg(0));
  if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(Arg);
      Construct && Construct->getNumArgs() == 1)
    Arg = stripValueWrappers(Construct->getArg(0));
  return !llvm::isa<CXXNullPtrLiteralExpr>(Arg);
}

} // namespace

const FunctionBodyIndex &GradientSteps::indexOf(const FunctionDecl &Function) {
  return Indexes.of(Function);
}

std::vector<GradEvent> GradientSteps::eventsOf(const Stmt *S) {
  return Events.get(S, {}, [&] { return computeEvents(S); });
}

std::vector<GradEvent> GradientSteps::computeEvents(const Stmt *S) {
  const auto *Call = llvm::dyn_cast_or_null<CallExpr>(S);
  if (!Call)
    return {};
  if (isBackwardCall(Call)) {
    GradEvent Event{GradEventKind::Backward};
    Event.IntoGrad = accumulatesIntoGrad(Call);
    return {Event};
  }
  if (const Expr *Object = Types.stepObject(Call)) {
    GradEvent Event{GradEventKind::Step, objectRoot(Object)};
    Event.WithClosure = passesClosure(Call);
    return {Event};
  }
  if (GradReset Reset = classifyGradReset(Call, Types)) {
    GradEvent Event{GradEventKind::Reset,
                    Reset.Object ? objectRoot(Reset.Object) : nullptr};
    Event.Reset = Reset.Kind;
    return {Event};
  }

  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return {};
  // An operator() of a user class receives its object as argument 0.
  unsigned ArgOffset =
      llvm::isa<CXXOperatorCallExpr>(Call) && llvm::isa<CXXMethodDecl>(Callee)
          ? 1
          : 0;
  const FunctionDecl *Definition = nullptr;
  if (!Callee->hasBody(Definition)) {
    if (!IsUserFunction(*Callee))
      return {};
    // Defined in another file: one that runs no backward, step or reset
    // does nothing to the gradients.
    if (const FunctionSummary *Summary =
            External ? External->summaryOf(Callee) : nullptr;
        Summary && !Summary->Backward && !Summary->OptimizerStep &&
        !Summary->GradientReset)
      return {};
    for (const Expr *Arg : Call->arguments())
      if (isTrainingObjectType(Arg->getType(), Types))
        return {GradEvent{GradEventKind::Opaque}};
    return {};
  }
  if (!IsUserFunction(*Definition))
    return {};

  std::vector<GradEvent> Mapped = summaryOf(*Definition);
  for (GradEvent &Event : Mapped) {
    const auto *Parm = llvm::dyn_cast_or_null<ParmVarDecl>(Event.Target);
    if (!Parm || Parm->getDeclContext() != Definition)
      continue;
    unsigned Index = Parm->getFunctionScopeIndex() + ArgOffset;
    Event.Target =
        Index < Call->getNumArgs() ? objectRoot(Call->getArg(Index)) : nullptr;
  }
  return Mapped;
}

std::vector<GradEvent> GradientSteps::summaryOf(const FunctionDecl &Function) {
  return Summaries.get(&Function, {}, [&] { return computeSummary(Function); });
}

std::vector<GradEvent>
GradientSteps::computeSummary(const FunctionDecl &Function) {
  std::vector<GradEvent> Summary;
  const FunctionBodyIndex &Index = indexOf(Function);
  for (const Stmt *S : Index.statements()) {
    std::vector<GradEvent> Found = eventsOf(S);
    const bool InLoop = Index.enclosingLoop(S) != nullptr;
    for (GradEvent Event : Found) {
      Event.InCalleeLoop |= InLoop;
      Summary.push_back(Event);
    }
  }
  return Summary;
}

bool mayResetGradientsOf(const GradEvent &Reset, const ValueDecl *Optimizer) {
  if (Reset.Kind == GradEventKind::Opaque)
    return true;
  if (Reset.Kind != GradEventKind::Reset)
    return false;
  switch (Reset.Reset) {
  case GradResetKind::OptimizerZeroGrad:
    return !Reset.Target || !Optimizer || Reset.Target == Optimizer;
  case GradResetKind::ModuleZeroGrad: {
    if (!Reset.Target || !Optimizer)
      return true;
    auto Modules = modulesOptimizedBy(Optimizer);
    return Modules.empty() || llvm::is_contained(Modules, Reset.Target);
  }
  case GradResetKind::None:
    return false;
  case GradResetKind::OtherZeroGrad:
  case GradResetKind::ParameterGrad:
    break;
  }
  return true;
}

bool surelyResetsGradientsOf(const GradEvent &Reset,
                             const ValueDecl *Optimizer) {
  if (Reset.Kind != GradEventKind::Reset || !Reset.Target || !Optimizer)
    return false;
  if (Reset.Reset == GradResetKind::OptimizerZeroGrad)
    return Reset.Target == Optimizer;
  if (Reset.Reset == GradResetKind::ModuleZeroGrad)
    return llvm::is_contained(modulesOptimizedBy(Optimizer), Reset.Target);
  return false;
}

bool trainsEachIteration(const Stmt *Loop, const FunctionBodyIndex &Index,
                         GradientSteps &Steps) {
  return llvm::any_of(Index.statements(), [&](const Stmt *S) {
    return Index.isWithin(S, Loop) &&
           llvm::any_of(Steps.eventsOf(S), [](const GradEvent &E) {
             return !E.InCalleeLoop && (E.Kind == GradEventKind::Backward ||
                                        E.Kind == GradEventKind::Step);
           });
  });
}

} // namespace clang::tidy::torch
