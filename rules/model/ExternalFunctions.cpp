//===--- ExternalFunctions.cpp - Functions defined in other files ---------===//

#include "ExternalFunctions.h"
#include "TorchTidyRules/ProjectQuestions.h"

#include "clang/Index/USRGeneration.h"

namespace clang::tidy::torch {

std::string usrOf(const Decl *D) {
  llvm::SmallString<128> Usr;
  if (!D || index::generateUSRForDecl(D, Usr))
    return "";
  return std::string(Usr);
}

llvm::StringRef ExternalFunctions::usrOf(const FunctionDecl *Function) {
  Function = Function->getCanonicalDecl();
  auto [It, Inserted] = Usrs.try_emplace(Function);
  if (Inserted)
    It->second = torch::usrOf(Function);
  return It->second;
}

const FunctionSummary *
ExternalFunctions::summaryOf(const FunctionDecl *Function) {
  if (!Function || (!Project && !Questions) || Function->hasBody() ||
      Function->isTemplateInstantiation() || Function->isDependentContext())
    return nullptr;
  llvm::StringRef Usr = usrOf(Function);
  if (Usr.empty())
    return nullptr;
  if (Questions)
    Questions->insert(Usr);
  if (!Project)
    return nullptr;
  noteSummaryRead(Usr);
  return Project->find(Usr);
}

} // namespace clang::tidy::torch
