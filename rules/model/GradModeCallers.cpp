//===--- GradModeCallers.cpp - Is a function only called with grad off? ---===//

#include "GradModeCallers.h"

namespace clang::tidy::torch {

const FunctionDecl *callGraphKey(const FunctionDecl *Function) {
  if (const FunctionDecl *Pattern = Function->getTemplateInstantiationPattern())
    Function = Pattern;
  return Function->getCanonicalDecl();
}

void GradModeCallers::recordCall(const FunctionDecl *Caller,
                                 const FunctionDecl *Callee, bool GradOff) {
  Caller = callGraphKey(Caller);
  Callee = callGraphKey(Callee);
  Callees[Caller].push_back({Callee, GradOff});
  Callers[Callee].push_back({Caller, GradOff});
  ReachedWithGradOn.reset();
}

void GradModeCallers::recordEscape(const FunctionDecl *Callee) {
  Escaped.insert(callGraphKey(Callee));
  ReachedWithGradOn.reset();
}

void GradModeCallers::solve() {
  // Two graph walks instead of a search per question: the first marks what
  // runs with grad on from the entries (functions nothing here calls, and
  // escaped ones) through calls with grad on; the second marks what a
  // grad-off call reaches at all.
  ReachedWithGradOn.emplace();
  ReachedWithGradOff.clear();
  llvm::SmallVector<const FunctionDecl *, 16> Work;
  auto MarkOn = [&](const FunctionDecl *F) {
    if (ReachedWithGradOn->insert(F).second)
      Work.push_back(F);
  };
  for (const auto &[Caller, Edges] : Callees)
    if (!Callers.count(Caller))
      MarkOn(Caller);
  for (const FunctionDecl *F : Escaped)
    MarkOn(F);
  while (!Work.empty()) {
    const FunctionDecl *F = Work.pop_back_val();
    auto It = Callees.find(F);
    if (It == Callees.end())
      continue;
    for (const Edge &E : It->second)
      if (!E.GradOff)
        MarkOn(E.Callee);
  }

  for (const auto &[Caller, Edges] : Callees)
    for (const Edge &E : Edges)
      if (E.GradOff && ReachedWithGradOff.insert(E.Callee).second)
        Work.push_back(E.Callee);
  while (!Work.empty()) {
    const FunctionDecl *F = Work.pop_back_val();
    auto It = Callees.find(F);
    if (It == Callees.end())
      continue;
    for (const Edge &E : It->second)
      if (ReachedWithGradOff.insert(E.Callee).second)
        Work.push_back(E.Callee);
  }
}

bool GradModeCallers::calledOnlyWithGradOff(const FunctionDecl *Function) {
  Function = callGraphKey(Function);
  if (!Callers.count(Function))
    return false;
  if (!ReachedWithGradOn)
    solve();
  // A cycle that nothing enters is reached by neither walk: no evidence of
  // a guard, so it counts as unguarded.
  return !ReachedWithGradOn->contains(Function) &&
         ReachedWithGradOff.contains(Function);
}

llvm::ArrayRef<GradModeCallers::CallerSite>
GradModeCallers::callersOf(const FunctionDecl *Function) const {
  auto It = Callers.find(callGraphKey(Function));
  if (It == Callers.end())
    return {};
  return It->second;
}

void GradModeCallers::clear() {
  Callees.clear();
  Callers.clear();
  Escaped.clear();
  ReachedWithGradOn.reset();
  ReachedWithGradOff.clear();
}

} // namespace clang::tidy::torch
