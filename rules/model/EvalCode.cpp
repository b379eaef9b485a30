//===--- EvalCode.cpp - What marks code as evaluation or training ---------===//

#include "EvalCode.h"
#include "TorchApi.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang::tidy::torch {

namespace {

const CXXMemberCallExpr *asMemberCall(const Stmt *S) {
  const auto *Call = llvm::dyn_cast_or_null<CXXMemberCallExpr>(S);
  if (!Call || !Call->getMethodDecl() ||
      !Call->getMethodDecl()->getIdentifier())
    return nullptr;
  return Call;
}

/// A call of a member named by the program whose object's type depends on
/// a template parameter (`model->eval()`, `model.train(false)`), with that
/// name in \p Name.
const CallExpr *asDependentMemberCall(const Stmt *S, llvm::StringRef &Name) {
  const auto *Call = llvm::dyn_cast_or_null<CallExpr>(S);
  if (!Call || !Call->isTypeDependent())
    return nullptr;
  const auto *Member = llvm::dyn_cast<CXXDependentScopeMemberExpr>(
      Call->getCallee()->IgnoreParenImpCasts());
  if (!Member || !Member->getMember().isIdentifier())
    return nullptr;
  Name = Member->getMember().getAsIdentifierInfo()->getName();
  return Call;
}

/// The argument \p Index of \p Call as a literal, looking through
/// `c10::optional<bool>(false)`; nullopt when it is not a literal. A
/// defaulted argument counts as \p Default.
std::optional<bool> literalArgument(const CallExpr *Call, unsigned Index,
                                    std::optional<bool> Default) {
  if (Call->getNumArgs() <= Index)
    return Default;
  const Expr *Arg = Call->getArg(Index);
  if (llvm::isa<CXXDefaultArgExpr>(Arg))
    return Default;
  Arg = stripValueWrappers(Arg);
  if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(Arg);
      Construct && Construct->getNumArgs() == 1)
    Arg = stripValueWrappers(Construct->getArg(0));
  return boolLiteralValue(Arg);
}

/// True when \p Record, a base of it, or a namespace around one of them
/// has "optim" in its name.
bool namesAnOptimizer(const CXXRecordDecl *Record) {
  if (!Record)
    return false;
  for (const DeclContext *Context = Record; Context;
       Context = Context->getParent())
    if (const auto *Named = llvm::dyn_cast<NamedDecl>(Context);
        Named && Named->getIdentifier() &&
        Named->getName().contains_insensitive("optim"))
      return true;
  if (const CXXRecordDecl *Definition = Record->getDefinition())
    for (const CXXBaseSpecifier &Base : Definition->bases())
      if (namesAnOptimizer(Base.getType()->getAsCXXRecordDecl()))
        return true;
  return false;
}

bool isTestMacroName(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("TEST", "TEST_F", "TEST_P", "TYPED_TEST", "TYPED_TEST_P", true)
      .Cases("TEST_CASE", "TEST_CASE_METHOD", "SCENARIO", true)
      .Cases("TEMPLATE_TEST_CASE", "TEST_CASE_FIXTURE", true)
      .Cases("BOOST_AUTO_TEST_CASE", "BOOST_FIXTURE_TEST_CASE", true)
      .Default(false);
}

} // namespace

ModeSwitch classifyModeSwitch(const Stmt *S) {
  const CallExpr *Call = asMemberCall(S);
  llvm::StringRef Name;
  if (Call) {
    const CXXMethodDecl *Method = asMemberCall(S)->getMethodDecl();
    const CXXRecordDecl *Owner = Method->getParent();
    if (!isModuleClass(Owner) && !isScriptModuleClass(Owner))
      return ModeSwitch::None;
    Name = Method->getName();
  } else if (const CallExpr *Dependent = asDependentMemberCall(S, Name)) {
    // `model->eval()` on a template's `Model model;`: a trainer class
    // template (`Segmentor<Model>::Train`) knows its module only when
    // instantiated, but the name says what the call does.
    Call = Dependent;
  } else {
    return ModeSwitch::None;
  }
  if (Name == "eval" && Call->getNumArgs() == 0)
    return ModeSwitch::ToEval;
  if (Name != "train")
    return ModeSwitch::None;
  // An unknown flag may turn training on: treat it as the end of eval code.
  std::optional<bool> On = literalArgument(Call, 0, true);
  return On && !*On ? ModeSwitch::ToEval : ModeSwitch::ToTrain;
}

bool isStepCall(const Stmt *S) {
  const CXXMemberCallExpr *Call = asMemberCall(S);
  if (!Call || Call->getMethodDecl()->getName() != "step")
    return false;
  // Optimizers and schedulers (torch::optim, third-party optimizers), but
  // not an environment's step() in a reinforcement-learning rollout.
  return namesAnOptimizer(Call->getMethodDecl()->getParent());
}

bool requestsGrad(const Stmt *S) {
  if (const auto *Decls = llvm::dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : Decls->decls())
      if (classifyGradGuard(llvm::dyn_cast<VarDecl>(D)) ==
          GradGuardEffect::EnablesGrad)
        return true;
    return false;
  }
  const auto *Call = llvm::dyn_cast<CallExpr>(S);
  if (!Call)
    return false;
  if (classifyGradModeCall(Call) == GradGuardEffect::EnablesGrad)
    return true;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return false;
  llvm::StringRef Name = Callee->getName();
  // `t.requires_grad()` without arguments is a query, not a request.
  if (Name == "requires_grad_" || Name == "set_requires_grad" ||
      (Name == "requires_grad" &&
       (Call->getNumArgs() > 0 || !llvm::isa<CXXMemberCallExpr>(Call)))) {
    std::optional<bool> On = literalArgument(Call, 0, true);
    return !On || *On;
  }
  if (const CXXMemberCallExpr *Member = asMemberCall(S);
      Member && (Name == "grad" || Name == "mutable_grad") &&
      Member->getNumArgs() == 0)
    return isTensorType(
        Member->getImplicitObjectArgument()->IgnoreImpCasts()->getType());
  return false;
}

llvm::SmallVector<std::string, 4> identifierWords(llvm::StringRef Name) {
  llvm::SmallVector<std::string, 4> Words;
  std::string Current;
  auto Flush = [&] {
    if (!Current.empty())
      Words.push_back(std::move(Current));
    Current.clear();
  };
  for (size_t I = 0; I < Name.size(); ++I) {
    char C = Name[I];
    if (!llvm::isAlnum(C)) {
      Flush();
      continue;
    }
    if (!Current.empty()) {
      char Prev = Name[I - 1];
      bool Next = I + 1 < Name.size() && llvm::isLower(Name[I + 1]);
      // evalModel, eval2, 2eval, HTTPServer (a capital before a lower-case
      // letter starts a word after an acronym).
      if ((llvm::isUpper(C) && (llvm::isLower(Prev) || llvm::isDigit(Prev))) ||
          (llvm::isUpper(C) && llvm::isUpper(Prev) && Next) ||
          (llvm::isDigit(C) != llvm::isDigit(Prev)))
        Flush();
    }
    Current.push_back(llvm::toLower(C));
  }
  Flush();
  return Words;
}

bool isUnitTestBody(const FunctionDecl &Function, const SourceManager &SM,
                    const LangOptions &LangOpts) {
  if (const IdentifierInfo *Id = Function.getIdentifier()) {
    llvm::StringRef Name = Id->getName();
    if (llvm::isa<CXXMethodDecl>(Function) && Name == "TestBody")
      return true; // GoogleTest
    // Names that Catch2 and doctest generate for TEST_CASE bodies.
    if (Name.contains("C_A_T_C_H") || Name.contains("DOCTEST_ANON_FUNC"))
      return true;
  }
  for (SourceLocation Loc = Function.getLocation(); Loc.isMacroID();
       Loc = SM.getImmediateMacroCallerLoc(Loc))
    if (isTestMacroName(Lexer::getImmediateMacroName(Loc, SM, LangOpts)))
      return true;
  return false;
}

} // namespace clang::tidy::torch
