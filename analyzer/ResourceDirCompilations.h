//===--- ResourceDirCompilations.h - Find clang's builtin headers -*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_RESOURCEDIRCOMPILATIONS_H
#define TORCH_TIDY_ANALYZER_RESOURCEDIRCOMPILATIONS_H

#include "clang/Tooling/CompilationDatabase.h"

#include <string>

namespace torch_tidy {

/// Adds `-resource-dir=<clang's>` to every compile command that lacks one.
/// LibTooling would otherwise look for the builtin headers (stddef.h, ...)
/// next to the torch-tidy executable, which works only inside clang's tree.
class ResourceDirCompilations : public clang::tooling::CompilationDatabase {
public:
  ResourceDirCompilations(const clang::tooling::CompilationDatabase &Inner,
                          std::string ResourceDir)
      : Inner(Inner), ResourceDir(std::move(ResourceDir)) {}

  std::vector<clang::tooling::CompileCommand>
  getCompileCommands(llvm::StringRef FilePath) const override;
  std::vector<std::string> getAllFiles() const override;
  std::vector<clang::tooling::CompileCommand>
  getAllCompileCommands() const override;

private:
  std::vector<clang::tooling::CompileCommand>
  adjust(std::vector<clang::tooling::CompileCommand> Commands) const;

  const clang::tooling::CompilationDatabase &Inner;
  std::string ResourceDir;
};

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_RESOURCEDIRCOMPILATIONS_H
