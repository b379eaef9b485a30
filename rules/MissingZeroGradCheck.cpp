//===--- MissingZeroGradCheck.cpp -----------------------------------------===//

#include "MissingZeroGradCheck.h"
#include "model/FunctionBodyIndex.h"
#include "model/GradientSteps.h"

#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/CFG.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang::ast_matchers;

namespace clang::tidy::torch {

namespace {

/// A statement of the analysed function and what it does to gradients.
struct Site {
  const Stmt *S;
  std::vector<GradEvent> Events;
};

bool hasKind(const Site &Site, GradEventKind Kind) {
  return llvm::any_of(Site.Events,
                      [Kind](const GradEvent &E) { return E.Kind == Kind; });
}

bool onlyKind(const Site &Site, GradEventKind Kind) {
  return llvm::all_of(Site.Events,
                      [Kind](const GradEvent &E) { return E.Kind == Kind; });
}

bool runsBackwardIntoGrad(const Site &Site) {
  return llvm::any_of(Site.Events, [](const GradEvent &E) {
    return E.Kind == GradEventKind::Backward && E.IntoGrad;
  });
}

/// How the user names an optimizer at a direct `opt.step()` call: the
/// object's spelling and whether it is reached through `->`.
struct OptimizerSpelling {
  std::string Text;
  bool Arrow = false;
  bool Exact = false; // A plain variable or member: usable in a fix-it.
};

OptimizerSpelling spellOptimizer(const Stmt *S, const GradEvent &Step,
                                 const SourceManager &SM,
                                 const LangOptions &LangOpts) {
  OptimizerSpelling Spelling;
  if (const auto *Call = llvm::dyn_cast<CXXMemberCallExpr>(S))
    if (const auto *Member =
            llvm::dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParens())) {
      const Expr *Base = Member->getBase()->IgnoreImplicit();
      if (const auto *Arrow = llvm::dyn_cast<CXXOperatorCallExpr>(Base);
          Arrow && Arrow->getOperator() == OO_Arrow)
        Base = Arrow->getArg(0)->IgnoreImplicit();
      const bool Plain =
          llvm::isa<DeclRefExpr>(Base) ||
          (llvm::isa<MemberExpr>(Base) &&
           llvm::isa<CXXThisExpr>(
               llvm::cast<MemberExpr>(Base)->getBase()->IgnoreImplicit()) &&
           llvm::cast<MemberExpr>(Base)
               ->getBase()
               ->IgnoreImplicit()
               ->isImplicitCXXThis());
      if (Plain && !Base->getBeginLoc().isMacroID()) {
        Spelling.Text = Lexer::getSourceText(CharSourceRange::getTokenRange(
                                                 Base->getSourceRange()),
                                             SM, LangOpts)
                            .str();
        Spelling.Arrow = Member->isArrow();
        Spelling.Exact = !Spelling.Text.empty();
        if (Spelling.Exact)
          return Spelling;
      }
    }
  if (Step.Target && Step.Target->getIdentifier()) {
    Spelling.Text = Step.Target->getName().str();
    Spelling.Arrow = Step.Target->getType()->isPointerType();
    return Spelling;
  }
  Spelling.Text = "optimizer";
  return Spelling;
}

/// Inserts `<optimizer>.zero_grad();` as the first statement of the body of
/// \p Loop, on its own line with the first statement's indentation.
std::optional<FixItHint> insertZeroGrad(const Stmt *Loop,
                                        const OptimizerSpelling &Spelling,
                                        const SourceManager &SM) {
  const auto *Body = llvm::dyn_cast_or_null<CompoundStmt>(loopBody(Loop));
  if (!Spelling.Exact || !Body || Body->body_empty() ||
      Body->getLBracLoc().isMacroID())
    return std::nullopt;
  SourceLocation First = SM.getExpansionLoc(Body->body_front()->getBeginLoc());
  if (First.isInvalid() || SM.getExpansionLineNumber(First) ==
                               SM.getExpansionLineNumber(Body->getLBracLoc()))
    return std::nullopt;
  // The indentation is whatever precedes the first statement on its line.
  auto [File, Offset] = SM.getDecomposedLoc(First);
  unsigned Column = SM.getColumnNumber(File, Offset);
  llvm::StringRef Buffer = SM.getBufferData(File);
  llvm::StringRef Indent = Buffer.substr(Offset - (Column - 1), Column - 1);
  if (Indent.find_first_not_of(" \t") != llvm::StringRef::npos)
    return std::nullopt;
  std::string Text = Spelling.Text + (Spelling.Arrow ? "->" : ".") +
                     "zero_grad();\n" + Indent.str();
  return FixItHint::CreateInsertion(First, Text);
}

/// Reachability between statements of one loop iteration on the function's
/// CFG: paths stay inside the loop body and never take the loop's back edge.
class IterationPaths {
public:
  IterationPaths(const FunctionDecl &Function, ASTContext &Context,
                 const FunctionBodyIndex &Index)
      : Index(Index) {
    CFG::BuildOptions Options;
    Options.setAllAlwaysAdd();
    Graph = CFG::buildCFG(&Function, Function.getBody(), &Context, Options);
    if (!Graph)
      return;
    for (const CFGBlock *Block : *Graph) {
      unsigned I = 0;
      for (const CFGElement &Element : *Block) {
        if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
          Positions.try_emplace(S->getStmt(), Position{Block, I});
        ++I;
      }
    }
  }

  struct Position {
    const CFGBlock *Block = nullptr;
    unsigned Element = 0;
  };

  std::optional<Position> positionOf(const Stmt *S) const {
    auto It = Positions.find(S);
    if (It == Positions.end())
      return std::nullopt;
    return It->second;
  }

  /// The statements reachable from \p From (Forward) or reaching it, within
  /// one iteration of \p Loop.
  struct Reach {
    Position Origin;
    bool Forward;
    llvm::SmallPtrSet<const CFGBlock *, 16> Blocks;

    bool contains(Position P) const {
      if (Blocks.contains(P.Block))
        return true;
      return P.Block == Origin.Block && (Forward ? P.Element > Origin.Element
                                                 : P.Element < Origin.Element);
    }
  };

  Reach reach(Position From, const Stmt *Loop, bool Forward) const {
    Reach Result{From, Forward, {}};
    llvm::SmallVector<const CFGBlock *, 16> Work;
    auto PushNext = [&](const CFGBlock *Block) {
      auto Push = [&](const CFGBlock *Next) {
        if (Next && insideIteration(Next, Loop) &&
            Result.Blocks.insert(Next).second)
          Work.push_back(Next);
      };
      if (Forward)
        for (const CFGBlock *Next : Block->succs())
          Push(Next);
      else
        for (const CFGBlock *Next : Block->preds())
          Push(Next);
    };
    PushNext(From.Block);
    while (!Work.empty())
      PushNext(Work.pop_back_val());
    return Result;
  }

private:
  /// A block belongs to the iteration when every statement of it that we
  /// know lies inside the loop body; the loop's condition, increment and
  /// the code around the loop do not.
  bool insideIteration(const CFGBlock *Block, const Stmt *Loop) const {
    const Stmt *Body = loopBody(Loop);
    auto Outside = [&](const Stmt *S) {
      if (!S || (S != Index.body() && !Index.parentOf(S)))
        return false; // Not written by the user (implicit range-for code).
      return !Index.isWithin(S, Body);
    };
    if (Outside(Block->getTerminatorStmt()))
      return false;
    for (const CFGElement &Element : *Block)
      if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
        if (Outside(S->getStmt()))
          return false;
    return true;
  }

  const FunctionBodyIndex &Index;
  std::unique_ptr<CFG> Graph;
  llvm::DenseMap<const Stmt *, Position> Positions;
};

} // namespace

MissingZeroGradCheck::MissingZeroGradCheck(StringRef Name,
                                           ClangTidyContext *Context)
    : TorchCheckBase(Name, Context),
      // Read for every torch- check by TranslationUnitAnalysis; stored here,
      // where it is documented.
      ExtraOptimizerTypes(Options.get("ExtraOptimizerTypes", "").str()) {}

void MissingZeroGradCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ExtraOptimizerTypes", ExtraOptimizerTypes);
}

namespace {

std::vector<const Site *> sitesIn(const Stmt *Loop, llvm::ArrayRef<Site> Sites,
                                  const FunctionBodyIndex &Index) {
  const Stmt *Body = loopBody(Loop);
  std::vector<const Site *> Inside;
  for (const Site &Site : Sites)
    if (Index.isWithin(Site.S, Body))
      Inside.push_back(&Site);
  return Inside;
}

/// A step whose loop never resets the gradients it uses.
struct UnresetStep {
  const Site *StepSite;
  const GradEvent *Step;
  const Stmt *Loop; // The innermost loop around it that runs backward().
};

std::vector<UnresetStep> findUnresetSteps(llvm::ArrayRef<Site> Sites,
                                          const FunctionBodyIndex &Index) {
  std::vector<UnresetStep> Found;
  llvm::DenseSet<std::pair<const Stmt *, const ValueDecl *>> Reported;
  for (const Site &StepSite : Sites) {
    for (const GradEvent &Step : StepSite.Events) {
      if (Step.Kind != GradEventKind::Step || Step.InCalleeLoop ||
          Step.WithClosure)
        continue;
      // The innermost loop around the step that also runs backward().
      const Stmt *Loop = Index.enclosingLoop(StepSite.S);
      std::vector<const Site *> Inside;
      for (; Loop; Loop = Index.enclosingLoop(Loop)) {
        Inside = sitesIn(Loop, Sites, Index);
        if (llvm::any_of(
                Inside, [](const Site *S) { return runsBackwardIntoGrad(*S); }))
          break;
      }
      if (!Loop)
        continue;
      // An optimizer made inside the loop starts afresh each iteration.
      if (const auto *Var = llvm::dyn_cast_or_null<VarDecl>(Step.Target);
          Var && Index.declaresInside(Var, Loop))
        continue;
      if (llvm::any_of(Inside, [&](const Site *S) {
            return llvm::any_of(S->Events, [&](const GradEvent &E) {
              return mayResetGradientsOf(E, Step.Target);
            });
          }))
        continue;
      if (!Reported.insert({StepSite.S, Step.Target}).second)
        continue;
      Found.push_back({&StepSite, &Step, Loop});
    }
  }
  return Found;
}

/// A reset between backward() and step() in the same iteration.
struct EarlyReset {
  const Site *ResetSite;
  const Site *StepSite;
  const GradEvent *Step;
  const Stmt *Loop;
};

std::vector<EarlyReset> findEarlyResets(llvm::ArrayRef<Site> Sites,
                                        const FunctionDecl &Function,
                                        ASTContext &Context,
                                        const FunctionBodyIndex &Index) {
  std::vector<EarlyReset> Found;
  std::unique_ptr<IterationPaths> Paths;
  llvm::DenseSet<const Stmt *> ReportedResets;
  for (const Site &ResetSite : Sites) {
    if (!onlyKind(ResetSite, GradEventKind::Reset))
      continue;
    const Stmt *Loop = Index.enclosingLoop(ResetSite.S);
    if (!Loop)
      continue;
    for (const Site &StepSite : Sites) {
      if (!onlyKind(StepSite, GradEventKind::Step) ||
          Index.enclosingLoop(StepSite.S) != Loop ||
          ReportedResets.contains(ResetSite.S))
        continue;
      const GradEvent *Step = nullptr;
      for (const GradEvent &E : StepSite.Events)
        if (!E.WithClosure && !E.InCalleeLoop &&
            llvm::any_of(ResetSite.Events, [&](const GradEvent &R) {
              return surelyResetsGradientsOf(R, E.Target);
            }))
          Step = &E;
      if (!Step)
        continue;

      if (!Paths)
        Paths = std::make_unique<IterationPaths>(Function, Context, Index);
      auto ResetAt = Paths->positionOf(ResetSite.S);
      auto StepAt = Paths->positionOf(StepSite.S);
      if (!ResetAt || !StepAt)
        continue;
      IterationPaths::Reach AfterReset = Paths->reach(*ResetAt, Loop, true);
      if (!AfterReset.contains(*StepAt))
        continue;
      IterationPaths::Reach BeforeStep = Paths->reach(*StepAt, Loop, false);
      IterationPaths::Reach BeforeReset = Paths->reach(*ResetAt, Loop, false);
      bool BackwardBefore = false, GradientsWrittenBetween = false;
      for (const Site &Other : Sites) {
        auto At = Paths->positionOf(Other.S);
        if (!At)
          continue;
        bool WritesGradients =
            llvm::any_of(Other.Events, [](const GradEvent &E) {
              return E.Kind == GradEventKind::Backward ||
                     E.Kind == GradEventKind::Opaque ||
                     (E.Kind == GradEventKind::Reset &&
                      E.Reset == GradResetKind::ParameterGrad) ||
                     (E.Kind == GradEventKind::Step && E.WithClosure);
            });
        if (WritesGradients && AfterReset.contains(*At) &&
            BeforeStep.contains(*At))
          GradientsWrittenBetween = true;
        if (runsBackwardIntoGrad(Other) && BeforeReset.contains(*At))
          BackwardBefore = true;
      }
      if (!BackwardBefore || GradientsWrittenBetween)
        continue;

      ReportedResets.insert(ResetSite.S);
      Found.push_back({&ResetSite, &StepSite, Step, Loop});
    }
  }
  return Found;
}

} // namespace

void MissingZeroGradCheck::checkFunction(
    const FunctionDecl *Function, const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;

  GradientSteps &Steps = analysis().gradientSteps(SM);
  const FunctionBodyIndex &Index = Steps.indexOf(*Function);

  std::vector<Site> Sites;
  bool AnyStep = false;
  for (const Stmt *S : Index.statements()) {
    std::vector<GradEvent> Events = Steps.eventsOf(S);
    if (Events.empty())
      continue;
    Sites.push_back({S, std::move(Events)});
    AnyStep |= hasKind(Sites.back(), GradEventKind::Step);
  }
  if (!AnyStep)
    return;

  for (const UnresetStep &Found : findUnresetSteps(Sites, Index)) {
    const Stmt *StepStmt = Found.StepSite->S;
    OptimizerSpelling Spelling =
        spellOptimizer(StepStmt, *Found.Step, SM, getLangOpts());
    std::string ZeroGrad =
        Spelling.Text + (Spelling.Arrow ? "->" : ".") + "zero_grad()";
    {
      DiagnosticBuilder Diag =
          diag(StepStmt->getBeginLoc(),
               "nothing in this loop resets the gradients that '%0' "
               "steps with, so each backward() adds to the gradients of "
               "all earlier iterations and every step applies their sum "
               "(the '.grad' tensors keep their size, but the updates "
               "grow and training diverges); call '%1' once per "
               "iteration before backward()")
          << Spelling.Text << ZeroGrad;
      if (llvm::isa<CXXMemberCallExpr>(StepStmt) &&
          Steps.types().stepObject(StepStmt))
        if (std::optional<FixItHint> Fix =
                insertZeroGrad(Found.Loop, Spelling, SM))
          Diag << *Fix;
    }
    noteLoop(Found.Loop, "gradients add up across the iterations of this loop");
  }

  for (const EarlyReset &Found :
       findEarlyResets(Sites, *Function, *Result.Context, Index)) {
    OptimizerSpelling Spelling =
        spellOptimizer(Found.StepSite->S, *Found.Step, SM, getLangOpts());
    diag(Found.ResetSite->S->getBeginLoc(),
         "this resets the gradients after backward() and before '%0' "
         "steps in the same iteration, so the step uses zeros and the "
         "gradients of this iteration are lost; reset them before "
         "backward() or after step()")
        << Spelling.Text;
    noteLoop(Found.Loop, "in each iteration of this loop");
  }
}

} // namespace clang::tidy::torch
