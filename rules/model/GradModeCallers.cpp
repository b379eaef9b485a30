//===--- GradModeCallers.cpp - Is a function only called with grad off? ---===//

#include "GradModeCallers.h"

namespace clang::tidy::torch {

const FunctionDecl *callGraphKey(const FunctionDecl *Function) {
  if (const FunctionDecl *Pattern = Function->getTemplateInstantiationPattern())
    Function = Pattern;
  return Function->getCanonicalDecl();
}

void GradModeCallers::addEdge(Node Caller, Node Callee, CallerSite Site) {
  Callees[Caller].push_back({Callee, Site.GradOff});
  Callers[Callee].push_back(Site);
  ReachedWithGradOn.reset();
}

void GradModeCallers::recordCall(const FunctionDecl *Caller,
                                 const FunctionDecl *Callee, bool GradOff) {
  Caller = callGraphKey(Caller);
  addEdge(Caller, nodeOf(Callee), CallerSite{Caller, GradOff});
}

void GradModeCallers::recordProjectCall(Node Caller, Node Callee,
                                        const FunctionSummary &From,
                                        const SummaryCall &Call) {
  addEdge(Caller, Callee, CallerSite{nullptr, Call.GradOff, &From, &Call});
}

void GradModeCallers::recordEscape(Node Callee) {
  Escaped.insert(Callee);
  ReachedWithGradOn.reset();
}

void GradModeCallers::solve() {
  // Two graph walks instead of a search per question: the first marks what
  // runs with grad on from the entries (functions nothing here calls, and
  // escaped ones) through calls with grad on; the second marks what a
  // grad-off call reaches at all.
  ReachedWithGradOn.emplace();
  ReachedWithGradOff.clear();
  llvm::SmallVector<Node, 16> Work;
  auto MarkOn = [&](Node F) {
    if (ReachedWithGradOn->insert(F).second)
      Work.push_back(F);
  };
  for (const auto &[Caller, Edges] : Callees)
    if (!Callers.count(Caller))
      MarkOn(Caller);
  for (Node F : Escaped)
    MarkOn(F);
  while (!Work.empty()) {
    Node F = Work.pop_back_val();
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
    Node F = Work.pop_back_val();
    auto It = Callees.find(F);
    if (It == Callees.end())
      continue;
    for (const Edge &E : It->second)
      if (ReachedWithGradOff.insert(E.Callee).second)
        Work.push_back(E.Callee);
  }
}

bool GradModeCallers::calledOnlyWithGradOff(const FunctionDecl *Function) {
  Node Key = nodeOf(Function);
  if (!Callers.count(Key))
    return false;
  if (!ReachedWithGradOn)
    solve();
  // A cycle that nothing enters is reached by neither walk: no evidence of
  // a guard, so it counts as unguarded.
  return !ReachedWithGradOn->contains(Key) && ReachedWithGradOff.contains(Key);
}

llvm::ArrayRef<GradModeCallers::CallerSite>
GradModeCallers::callersOf(const FunctionDecl *Function) const {
  auto It = Callers.find(nodeOf(Function));
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
