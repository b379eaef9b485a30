//===--- FunctionBodyIndex.cpp - Parents and loops of one body ------------===//

#include "FunctionBodyIndex.h"
#include "TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::torch {

bool isLoop(const Stmt *S) {
  return llvm::isa_and_nonnull<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(S);
}

const Stmt *loopBody(const Stmt *Loop) {
  if (const auto *For = llvm::dyn_cast<ForStmt>(Loop))
    return For->getBody();
  if (const auto *RangeFor = llvm::dyn_cast<CXXForRangeStmt>(Loop))
    return RangeFor->getBody();
  if (const auto *While = llvm::dyn_cast<WhileStmt>(Loop))
    return While->getBody();
  if (const auto *Do = llvm::dyn_cast<DoStmt>(Loop))
    return Do->getBody();
  return nullptr;
}

FunctionBodyIndex::FunctionBodyIndex(const FunctionDecl &Function)
    : Function(Function) {
  if (const Stmt *Body = Function.getBody())
    index(Body, nullptr);
}

void FunctionBodyIndex::index(const Stmt *S, const Stmt *Parent) {
  if (!S)
    return;
  Parents[S] = Parent;
  Statements.push_back(S);

  if (const auto *Decls = llvm::dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : Decls->decls())
      if (const auto *Var = llvm::dyn_cast<VarDecl>(D)) {
        DeclaringStmt[Var] = S;
        if (const Expr *Init = Var->getInit())
          Stores[Var].push_back(Init);
        // Structured bindings share the holding variable's value.
        if (const auto *Decomposition = llvm::dyn_cast<DecompositionDecl>(Var))
          for (const BindingDecl *Binding : Decomposition->bindings())
            if (const auto *Holding = Binding->getHoldingVar())
              Stores[Holding].push_back(Var->getInit());
      }
  } else if (const auto *Assign = llvm::dyn_cast<BinaryOperator>(S)) {
    if (Assign->isAssignmentOp())
      recordStore(Assign->getLHS(), Assign->getRHS());
  } else if (const auto *Operator = llvm::dyn_cast<CXXOperatorCallExpr>(S)) {
    if (Operator->isAssignmentOp() && Operator->getNumArgs() == 2)
      recordStore(Operator->getArg(0), Operator->getArg(1));
  } else if (const auto *Append = llvm::dyn_cast<CXXMemberCallExpr>(S)) {
    // An element added to a container is part of the container's value.
    const CXXMethodDecl *Method = Append->getMethodDecl();
    if (Method && Method->getIdentifier() &&
        isContainerAppendMethod(Method->getName()) && Append->getNumArgs() > 0)
      recordStore(Append->getImplicitObjectArgument(),
                  Append->getArg(Append->getNumArgs() - 1));
  } else if (const auto *RangeFor = llvm::dyn_cast<CXXForRangeStmt>(S)) {
    // `for (auto& p : model->parameters())`: p takes the range's elements.
    if (const VarDecl *LoopVar = RangeFor->getLoopVariable()) {
      DeclaringStmt[LoopVar] = S;
      Stores[LoopVar].push_back(RangeFor->getRangeInit());
    }
    // Index only what the user wrote, not the implicit begin/end variables.
    index(RangeFor->getInit(), S);
    index(RangeFor->getRangeInit(), S);
    index(RangeFor->getBody(), S);
    return;
  } else if (const auto *Lambda = llvm::dyn_cast<LambdaExpr>(S)) {
    // Lambda bodies are analysed as part of the function that writes them.
    ++LambdaDepth;
    index(Lambda->getBody(), S);
    --LambdaDepth;
    return;
  } else if (const auto *Return = llvm::dyn_cast<ReturnStmt>(S)) {
    if (LambdaDepth == 0 && Return->getRetValue())
      Returned.push_back(Return->getRetValue());
  }

  for (const Stmt *Child : S->children())
    index(Child, S);
}

void FunctionBodyIndex::recordStore(const Expr *Target, const Expr *Value) {
  const auto *Ref = llvm::dyn_cast<DeclRefExpr>(stripValueWrappers(Target));
  if (!Ref)
    return;
  if (const auto *Var = llvm::dyn_cast<VarDecl>(Ref->getDecl()))
    Stores[Var].push_back(Value);
}

bool FunctionBodyIndex::isWithin(const Stmt *Inner, const Stmt *Outer) const {
  for (const Stmt *S = Inner; S; S = parentOf(S))
    if (S == Outer)
      return true;
  return false;
}

bool FunctionBodyIndex::runsInEveryIteration(const Stmt *S,
                                             const Stmt *Loop) const {
  const Stmt *Child = S;
  for (const Stmt *Parent = parentOf(S); Parent && Child != Loop;
       Child = Parent, Parent = parentOf(Parent)) {
    if (const auto *If = llvm::dyn_cast<IfStmt>(Parent);
        If && Child != If->getCond() && Child != If->getInit() &&
        Child != If->getConditionVariableDeclStmt())
      return false;
    if (const auto *Switch = llvm::dyn_cast<SwitchStmt>(Parent);
        Switch && Child == Switch->getBody())
      return false;
    if (const auto *Choice =
            llvm::dyn_cast<AbstractConditionalOperator>(Parent);
        Choice && Child != Choice->getCond())
      return false;
    if (const auto *Logical = llvm::dyn_cast<BinaryOperator>(Parent);
        Logical && Logical->isLogicalOp() && Child == Logical->getRHS())
      return false;
  }
  return isWithin(S, Loop);
}

const Stmt *FunctionBodyIndex::enclosingLoop(const Stmt *S) const {
  const Stmt *Child = S;
  for (const Stmt *Parent = parentOf(S); Parent;
       Child = Parent, Parent = parentOf(Parent)) {
    if (isLoop(Parent) && loopBody(Parent) == Child)
      return Parent;
    // A lambda's body runs when the lambda is called, not once per
    // iteration of a loop around its definition.
    if (llvm::isa<LambdaExpr>(Parent))
      return nullptr;
  }
  return nullptr;
}

llvm::ArrayRef<const Expr *>
FunctionBodyIndex::valuesStoredInto(const VarDecl *Var) const {
  auto It = Stores.find(Var);
  if (It == Stores.end())
    return {};
  return It->second;
}

bool FunctionBodyIndex::declaresInside(const VarDecl *Var,
                                       const Stmt *S) const {
  const Stmt *Declaring = DeclaringStmt.lookup(Var);
  if (!Declaring)
    return false; // A parameter, global or static: declared outside.
  if (Declaring == S)
    return llvm::isa<CXXForRangeStmt>(S); // Its loop variable is per iteration.
  return isWithin(Declaring, S);
}

const FunctionBodyIndex &BodyIndexes::of(const FunctionDecl &Function) {
  std::unique_ptr<FunctionBodyIndex> &Slot = Indexes[&Function];
  if (!Slot)
    Slot = std::make_unique<FunctionBodyIndex>(Function);
  return *Slot;
}

} // namespace clang::tidy::torch
