//===--- Summariser.cpp - Function summaries of one translation unit ------===//
//
// Summaries are made with the same model the checks use (KeptArguments,
// GraphFlow, the autograd calls), so a helper read through its summary in
// another file is judged as it would be here. What depends on a function
// of yet another file is written down as a dependency (the call with its
// argument mapping, ReturnsGraphOf) for ProjectSummaries::solve().
//
//===----------------------------------------------------------------------===//

#include "AutogradCalls.h"
#include "EvalCode.h"
#include "ExternalFunctions.h"
#include "FunctionUses.h"
#include "FunctionBodyIndex.h"
#include "GradModeScopes.h"
#include "GraphFlow.h"
#include "IterationStorage.h"
#include "KeptArguments.h"
#include "OptimizerCalls.h"
#include "ParameterSources.h"
#include "TorchApi.h"
#include "TorchTidyRules/ProjectSummaries.h"
#include "TorchTidyRules/UserCode.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/Support/Path.h"

namespace clang::tidy::torch {

namespace {

class Summariser {
public:
  explicit Summariser(ASTContext &Context)
      : Context(Context), SM(Context.getSourceManager()) {}

  std::vector<FunctionSummary> run() {
    visitDeclarations(Context.getTranslationUnitDecl());
    return std::move(Summaries);
  }

private:
  bool isUser(SourceLocation Loc) { return UserCode.isUserLocation(SM, Loc); }
  bool isUserFunction(const FunctionDecl &F) { return isUser(F.getLocation()); }

  /// Walks the declarations as written, skipping everything outside the
  /// user's files before looking inside it: libtorch's headers are most of
  /// the translation unit.
  void visitDeclarations(const DeclContext *Scope) {
    for (const Decl *D : Scope->decls()) {
      if (D->getLocation().isValid() && !isUser(D->getLocation()))
        continue;
      if (const auto *Function = llvm::dyn_cast<FunctionDecl>(D))
        summarise(*Function);
      else if (const auto *Record = llvm::dyn_cast<CXXRecordDecl>(D);
               Record && !Record->isLambda() &&
               !Record->getDescribedClassTemplate())
        visitDeclarations(Record);
      else if (llvm::isa<NamespaceDecl, LinkageSpecDecl>(D))
        visitDeclarations(llvm::cast<DeclContext>(D));
    }
  }

  SummaryLocation where(SourceLocation Loc) {
    SummaryLocation Where;
    PresumedLoc Presumed = SM.getPresumedLoc(SM.getExpansionLoc(Loc));
    if (Presumed.isInvalid())
      return Where;
    llvm::SmallString<256> Path(Presumed.getFilename());
    SM.getFileManager().makeAbsolutePath(Path);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    Where.File = std::string(Path);
    Where.Line = Presumed.getLine();
    Where.Column = Presumed.getColumn();
    return Where;
  }

  void summarise(const FunctionDecl &Function) {
    if (!Function.doesThisDeclarationHaveABody() ||
        Function.isDependentContext() || Function.isTemplateInstantiation() ||
        Function.getDescribedFunctionTemplate() ||
        Function.getLocation().isMacroID())
      return;
    FunctionSummary S;
    S.Usr = usrOf(&Function);
    if (S.Usr.empty())
      return;
    S.Name = Function.getQualifiedNameAsString();
    S.Definition = where(Function.getLocation());
    auto IsUser = [this](const FunctionDecl &F) { return isUserFunction(F); };
    FunctionBodyIndex Index(Function);

    // Nothing else in the project is known while a file is summarised: the
    // functions of other files that the answers asked about are the
    // dependencies.
    ExternalFunctions Elsewhere;
    summariseKeeps(Function, IsUser, Elsewhere, S);
    llvm::StringSet<> Asked;
    Elsewhere.recordQuestionsInto(&Asked);
    GraphFlow Flow(IsUser, &Elsewhere);
    S.ReturnsGraph = Flow.returnsGraph(&Function);
    Elsewhere.recordQuestionsInto(nullptr);
    if (!S.ReturnsGraph)
      for (const auto &Entry : Asked)
        S.ReturnsGraphOf.push_back(Entry.getKey().str());
    llvm::sort(S.ReturnsGraphOf);

    OptimizerTypes Types;
    for (const Stmt *St : Index.statements()) {
      if (const auto *Call = llvm::dyn_cast<CallExpr>(St))
        S.Forward |= isForwardCall(Call) && !isGradDisabledAt(Call, Index);
      S.Backward |= isBackwardCall(St);
      S.OptimizerStep |= isStepCall(St);
      S.GradientReset |= static_cast<bool>(classifyGradReset(St, Types));
      S.UpdatesParameters |= updatesParameter(St, Index);
    }
    S.GradOffBody = holdsGuardForWholeBody(Function);
    summariseCalls(Function, Index, Elsewhere, S);
    Summaries.push_back(std::move(S));
  }

  void summariseKeeps(const FunctionDecl &Function,
                      std::function<bool(const FunctionDecl &)> IsUser,
                      ExternalFunctions &Elsewhere, FunctionSummary &S) {
    KeptArguments Kept(std::move(IsUser), &Elsewhere);
    for (const KeptArgument &K : Kept.of(&Function)) {
      SummaryKeep Keep;
      Keep.Param = K.ValueIndex == KeptArgument::OwnGraph
                       ? SummaryKeep::OwnGraph
                       : static_cast<int>(K.ValueIndex);
      const auto *Var = llvm::dyn_cast_or_null<VarDecl>(K.Storage);
      switch (K.Destination) {
      case KeptArgument::Into::Argument:
        Keep.Destination = SummaryKeep::Into::Argument;
        Keep.IntoParam = static_cast<int>(K.DestinationIndex);
        break;
      case KeptArgument::Into::Member:
        Keep.Destination = SummaryKeep::Into::Member;
        break;
      case KeptArgument::Into::Persistent:
        Keep.Destination = Var && Var->isStaticLocal()
                               ? SummaryKeep::Into::Static
                               : SummaryKeep::Into::Global;
        break;
      case KeptArgument::Into::Captured:
        continue; // Lambdas are not summarised.
      }
      Keep.StorageName = K.Storage && K.Storage->getIdentifier()
                             ? K.Storage->getName().str()
                             : "";
      Keep.Kind = summaryKindOf(K.Kind);
      Keep.Store = where(K.Store);
      S.Keeps.push_back(std::move(Keep));
    }
  }

  /// True when the first statement of the body declares a grad-off guard,
  /// so that all of the body runs with autograd off.
  static bool holdsGuardForWholeBody(const FunctionDecl &Function) {
    const auto *Body = llvm::dyn_cast_or_null<CompoundStmt>(Function.getBody());
    if (!Body || Body->body_empty())
      return false;
    const auto *Decls = llvm::dyn_cast<DeclStmt>(Body->body_front());
    if (!Decls)
      return false;
    return llvm::any_of(Decls->decls(), [](const Decl *D) {
      const auto *Var = llvm::dyn_cast<VarDecl>(D);
      return Var && classifyGradGuard(Var) == GradGuardEffect::DisablesGrad;
    });
  }

  void summariseCalls(const FunctionDecl &Function,
                      const FunctionBodyIndex &Index, ExternalFunctions &Usrs,
                      FunctionSummary &S) {
    for (const FunctionUse &Use : functionUsesOf(Index)) {
      if (!isUserFunction(*Use.Function))
        continue;
      SummaryCall C;
      C.Callee = Usrs.usrOf(Use.Function).str();
      if (C.Callee.empty())
        continue;
      C.At = where(Use.At->getBeginLoc());
      if (!Use.Call) { // Passed on or stored, it may run anywhere.
        C.Escape = true;
        S.Calls.push_back(std::move(C));
        continue;
      }
      C.GradOff = isGradDisabledAt(Use.Call, Index);
      llvm::SmallVector<const Expr *, 4> Args =
          argumentsInParameterOrder(Use.Call);
      for (unsigned I = 0; I < Args.size(); ++I) {
        C.Arguments.push_back(parameterCarried(Function, Args[I], Index));
        if (Parameters.kindOf(Args[I], Index) == ParameterKind::Parameter)
          C.ParametersAt.push_back(I);
      }
      S.Calls.push_back(std::move(C));
    }
  }

  /// True when \p St updates a module's parameter or buffer in place: an
  /// in-place method on it, or a compound assignment to it (rebinding a
  /// handle with `=` updates nothing).
  bool updatesParameter(const Stmt *St, const FunctionBodyIndex &Index) {
    const Expr *Target = nullptr;
    if (const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(St)) {
      if (Call->getMethodDecl() &&
          isInPlaceUpdateMethod(Call->getMethodDecl()->getName()))
        Target = Call->getImplicitObjectArgument();
    } else if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(St)) {
      if (Op->isAssignmentOp() && Op->getOperator() != OO_Equal &&
          Op->getNumArgs() > 0)
        Target = Op->getArg(0);
    }
    if (!Target)
      return false;
    ParameterKind Kind = Parameters.kindOf(Target, Index);
    return Kind == ParameterKind::Parameter || Kind == ParameterKind::Buffer;
  }

  /// The parameter of \p Function whose value \p Arg carries (through the
  /// body's locals), or -1.
  static int parameterCarried(const FunctionDecl &Function, const Expr *Arg,
                              const FunctionBodyIndex &Index) {
    for (unsigned I = 0; I < Function.getNumParams(); ++I)
      if (dependsOn(Arg, StorageTarget{Function.getParamDecl(I), false}, Index,
                    Index.body()))
        return static_cast<int>(I);
    return -1;
  }

  ASTContext &Context;
  const SourceManager &SM;
  UserCodeFilter UserCode;
  ParameterSources Parameters;
  std::vector<FunctionSummary> Summaries;
};

} // namespace

std::vector<FunctionSummary> summariseTranslationUnit(ASTContext &Context) {
  return Summariser(Context).run();
}

} // namespace clang::tidy::torch
