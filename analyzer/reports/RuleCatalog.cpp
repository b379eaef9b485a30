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
  if (Name == RuntimeGrowthRule)
    return {Name, "Memory grows at run time and no torch-tidy rule explains it",
            "The probe measured memory that stays alive across iterations at "
            "a site no finding covers; the location is the line that "
            "allocated what survives (its origin) or the site's marker.",
            true};
  return {Name, Name, "See the documentation of " + Name + ".", true};
}

std::string ruleDocPath(const std::string &Name) {
  return "docs/rules/" + Name + ".md";
}

} // namespace torch_tidy
