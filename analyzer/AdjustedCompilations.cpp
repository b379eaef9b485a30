//===--- AdjustedCompilations.cpp - Compile commands for analysis ------===//

#include "AdjustedCompilations.h"

#include "llvm/ADT/StringRef.h"

namespace torch_tidy {

std::vector<clang::tooling::CompileCommand>
AdjustedCompilations::adjust(
    std::vector<clang::tooling::CompileCommand> Commands) const {
  for (clang::tooling::CompileCommand &Command : Commands) {
    bool HasResourceDir = false;
    for (const std::string &Arg : Command.CommandLine)
      if (llvm::StringRef(Arg).starts_with("-resource-dir"))
        HasResourceDir = true;
    if (Command.CommandLine.empty())
      continue;
    auto AfterCompiler = Command.CommandLine.begin() + 1;
    AfterCompiler = Command.CommandLine.insert(AfterCompiler,
                                               "-fno-caret-diagnostics");
    if (!HasResourceDir)
      Command.CommandLine.insert(AfterCompiler,
                                 "-resource-dir=" + ResourceDir);
  }
  return Commands;
}

std::vector<clang::tooling::CompileCommand>
AdjustedCompilations::getCompileCommands(llvm::StringRef FilePath) const {
  return adjust(Inner.getCompileCommands(FilePath));
}

std::vector<std::string> AdjustedCompilations::getAllFiles() const {
  return Inner.getAllFiles();
}

std::vector<clang::tooling::CompileCommand>
AdjustedCompilations::getAllCompileCommands() const {
  return adjust(Inner.getAllCompileCommands());
}

} // namespace torch_tidy
