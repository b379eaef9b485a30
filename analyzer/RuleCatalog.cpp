//===--- RuleCatalog.cpp - What each torch- rule is, for reports ----------===//

#include "RuleCatalog.h"

#include <algorithm>

namespace torch_tidy {

const std::vector<RuleInfo> &ruleCatalog() {
  static const std::vector<RuleInfo> Catalog = {
      {"torch-graph-kept-across-iterations",
       "A tensor that carries an autograd graph is kept across loop "
       "iterations.",
       "Accumulating or appending a graph-carrying tensor into storage that "
       "outlives the iteration keeps every iteration's autograd graph (and "
       "its saved activations) alive, so memory grows with each iteration. "
       "Keep a detached value (.detach(), .item<T>()) or compute it under "
       "torch::NoGradGuard.",
       true},
      {"torch-missing-no-grad",
       "A forward pass in evaluation or inference code runs with autograd "
       "on.",
       "eval() does not turn autograd off: every forward pass still records "
       "a graph and keeps activations for a backward pass that never comes. "
       "Hold torch::NoGradGuard (or c10::InferenceMode) around evaluation.",
       true},
      {"torch-missing-zero-grad",
       "A loop calls backward() and step() without resetting gradients.",
       "Gradients add up across iterations unless they are reset, so every "
       "step uses the sum of all past gradients. Call zero_grad() once per "
       "optimizer step, after step() or before backward().",
       true},
      {"torch-retain-graph-in-loop",
       "backward() with retain_graph or create_graph inside a loop.",
       "retain_graph keeps each iteration's graph alive; create_graph links "
       "gradients to the graph and forms a cycle that grows every iteration. "
       "Use torch::autograd::grad(..., create_graph=true) for gradient "
       "penalties and drop retain_graph when no second backward follows.",
       true},
      {"torch-unguarded-parameter-update",
       "A parameter, buffer or running statistic is updated in place with "
       "autograd on.",
       "A hand-written update recorded by autograd chains each step's graph "
       "to the next through the parameter. Run the update under "
       "torch::NoGradGuard or on detached values.",
       true},
      {"torch-unnamed-grad-guard",
       "A grad-mode guard is created as a temporary and protects nothing.",
       "torch::NoGradGuard(); is destroyed at the end of the statement, so "
       "the code after it still records autograd graphs. Give the guard a "
       "name: torch::NoGradGuard no_grad;",
       true},
      {"torch-tensors-accumulated-on-device",
       "Per-iteration tensors are kept in a container while still on a CUDA "
       "device.",
       "Keeping every iteration's output on the GPU makes device memory grow "
       "with the epoch. Move it to the CPU (.cpu()) or keep a number "
       "(.item<T>()).",
       true},
      {"torch-empty-cache-in-loop",
       "The CUDA caching allocator's cache is emptied in every iteration.",
       "emptyCache() frees no memory that live tensors hold; it only returns "
       "cached blocks to the driver, so the next iteration must allocate "
       "them again and every step is slower. Off by default.",
       false},
  };
  return Catalog;
}

const std::string &defaultChecksGlob() {
  static const std::string Glob = [] {
    std::string Checks = "-*,torch-*";
    for (const RuleInfo &Rule : ruleCatalog())
      if (!Rule.EnabledByDefault)
        Checks += ",-" + Rule.Name;
    return Checks;
  }();
  return Glob;
}

RuleInfo ruleInfo(const std::string &Name) {
  const auto &Catalog = ruleCatalog();
  auto It = std::find_if(Catalog.begin(), Catalog.end(),
                         [&](const RuleInfo &R) { return R.Name == Name; });
  if (It != Catalog.end())
    return *It;
  return {Name, Name, "See the documentation of " + Name + ".", true};
}

std::string ruleDocPath(const std::string &Name) {
  return "docs/rules/" + Name + ".md";
}

} // namespace torch_tidy
