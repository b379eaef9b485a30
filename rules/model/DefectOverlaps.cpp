//===--- DefectOverlaps.cpp -----------------------------------------------===//

#include "DefectOverlaps.h"

#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::torch {

namespace {
constexpr llvm::StringLiteral IncludedFindingEnd = "'s finding, reported here)";
} // namespace

std::string includedFindingSuffix(llvm::StringRef Rule) {
  return ("(" + Rule + IncludedFindingEnd).str();
}

std::optional<llvm::StringRef>
includedFindingRule(llvm::StringRef NoteMessage) {
  if (!NoteMessage.consume_back(IncludedFindingEnd))
    return std::nullopt;
  size_t Open = NoteMessage.rfind('(');
  if (Open == llvm::StringRef::npos)
    return std::nullopt;
  llvm::StringRef Rule = NoteMessage.substr(Open + 1);
  if (!Rule.starts_with("torch-"))
    return std::nullopt;
  return Rule;
}

void DefectOverlaps::addKeptGraph(const FunctionDecl *Function,
                                  const Stmt *Loop) {
  KeptGraphs.push_back({Function, Loop});
}

bool DefectOverlaps::inKeptGraphLoop(const UnguardedForwards &Forwards,
                                     const Stmt *Forward) const {
  return llvm::any_of(KeptGraphs, [&](const KeptGraph &Kept) {
    return Kept.Function == Forwards.Function &&
           Forwards.Index->isWithin(Forward, Kept.Loop);
  });
}

void DefectOverlaps::setForwardsProvider(
    std::function<std::vector<UnguardedForwards>()> Provider) {
  ForwardsProvider = std::move(Provider);
}

const std::vector<UnguardedForwards> &DefectOverlaps::reportedForwards() {
  if (!Forwards)
    Forwards = ForwardsProvider ? ForwardsProvider()
                                : std::vector<UnguardedForwards>();
  return *Forwards;
}

const Stmt *DefectOverlaps::absorbedForwardIn(const FunctionDecl *Function,
                                              const Stmt *Loop) {
  for (const UnguardedForwards &F : reportedForwards()) {
    if (F.Function != Function)
      continue;
    for (const Stmt *Forward : F.Covered)
      if (F.Index->isWithin(Forward, Loop) && inKeptGraphLoop(F, Forward))
        return Forward;
  }
  return nullptr;
}

} // namespace clang::tidy::torch
