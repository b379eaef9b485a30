//===--- ResourceDirCompilations.cpp - Find clang's builtin headers -------===//

#include "ResourceDirCompilations.h"

#include "llvm/ADT/StringRef.h"

namespace torch_tidy {

std::vector<clang::tooling::CompileCommand>
ResourceDirCompilations::adjust(
    std::vector<clang::tooling::CompileCommand> Commands) const {
  for (clang::tooling::CompileCommand &Command : Commands) {
    bool HasResourceDir = false;
    for (const std::string &Arg : Command.CommandLine)
      if (llvm::StringRef(Arg).starts_with("-resource-dir"))
        HasResourceDir = true;
    if (!HasResourceDir && !Command.CommandLine.empty())
      Command.CommandLine.insert(Command.CommandLine.begin() + 1,
                                 "-resource-dir=" + ResourceDir);
  }
  return Commands;
}

std::vector<clang::tooling::CompileCommand>
ResourceDirCompilations::getCompileCommands(llvm::StringRef FilePath) const {
  return adjust(Inner.getCompileCommands(FilePath));
}

std::vector<std::string> ResourceDirCompilations::getAllFiles() const {
  return Inner.getAllFiles();
}

std::vector<clang::tooling::CompileCommand>
ResourceDirCompilations::getAllCompileCommands() const {
  return adjust(Inner.getAllCompileCommands());
}

} // namespace torch_tidy
