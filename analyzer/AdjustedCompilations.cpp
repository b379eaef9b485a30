//===--- AdjustedCompilations.cpp - Compile commands for analysis ---------===//

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
  return adjust(Inner->getCompileCommands(FilePath));
}

std::vector<std::string> AdjustedCompilations::getAllFiles() const {
  return Inner->getAllFiles();
}

std::vector<clang::tooling::CompileCommand>
AdjustedCompilations::getAllCompileCommands() const {
  return adjust(Inner->getAllCompileCommands());
}

namespace {

/// Lends a database that someone else owns to wrappers that want ownership.
class BorrowedCompilations : public clang::tooling::CompilationDatabase {
public:
  explicit BorrowedCompilations(const CompilationDatabase &Owner)
      : Owner(Owner) {}
  std::vector<clang::tooling::CompileCommand>
  getCompileCommands(llvm::StringRef FilePath) const override {
    return Owner.getCompileCommands(FilePath);
  }
  std::vector<std::string> getAllFiles() const override {
    return Owner.getAllFiles();
  }
  std::vector<clang::tooling::CompileCommand>
  getAllCompileCommands() const override {
    return Owner.getAllCompileCommands();
  }

private:
  const CompilationDatabase &Owner;
};

} // namespace

std::unique_ptr<clang::tooling::CompilationDatabase>
makeAnalysisCompilations(const clang::tooling::CompilationDatabase &Inner,
                         std::string ResourceDir) {
  auto Inferring = clang::tooling::inferMissingCompileCommands(
      std::make_unique<BorrowedCompilations>(Inner));
  return std::make_unique<AdjustedCompilations>(std::move(Inferring),
                                                std::move(ResourceDir));
}

} // namespace torch_tidy
