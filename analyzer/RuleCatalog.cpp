//===--- RuleCatalog.cpp - What each torch- rule is, for reports ----------===//

#include "RuleCatalog.h"

#include <algorithm>

namespace torch_tidy {

const std::vector<RuleInfo> &ruleCatalog() {
  static const std::vector<RuleInfo> Catalog = {
#define TORCH_TIDY_RULE(Id, Class, EnabledByDefault, Summary, Help, FixIts,    \
                        Confirmation)                                          \
  {Id, Summary, Help, EnabledByDefault},
#include "TorchTidyRules/Rules.def"
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
