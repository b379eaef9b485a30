//===--- AdjustedCompilations.h - Compile commands for analysis -*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_ADJUSTEDCOMPILATIONS_H
#define TORCH_TIDY_ANALYZER_ADJUSTEDCOMPILATIONS_H

#include "clang/Tooling/CompilationDatabase.h"

#include <string>

namespace torch_tidy {

/// Adjusts every compile command for analysis:
/// - adds `-resource-dir=<clang's>` where missing: LibTooling would otherwise
///   look for the builtin headers (stddef.h, ...) next to the torch-tidy
///   executable, which works only inside clang's own tree;
/// - adds `-fno-caret-diagnostics`, which only silences the compiler's
///   "N warnings generated." line (our findings are printed separately).
class AdjustedCompilations : public clang::tooling::CompilationDatabase {
public:
  AdjustedCompilations(
      std::unique_ptr<clang::tooling::CompilationDatabase> Inner,
      std::string ResourceDir)
      : Inner(std::move(Inner)), ResourceDir(std::move(ResourceDir)) {}

  std::vector<clang::tooling::CompileCommand>
  getCompileCommands(llvm::StringRef FilePath) const override;
  std::vector<std::string> getAllFiles() const override;
  std::vector<clang::tooling::CompileCommand>
  getAllCompileCommands() const override;

private:
  std::vector<clang::tooling::CompileCommand>
  adjust(std::vector<clang::tooling::CompileCommand> Commands) const;

  std::unique_ptr<clang::tooling::CompilationDatabase> Inner;
  std::string ResourceDir;
};

/// The compile commands torch-tidy analyses with: \p Inner's, with commands
/// inferred for files it lacks (headers get the flags of the nearest source
/// file, as clangd does, so a pre-commit hook can pass any changed file),
/// then adjusted as above.
std::unique_ptr<clang::tooling::CompilationDatabase>
makeAnalysisCompilations(const clang::tooling::CompilationDatabase &Inner,
                         std::string ResourceDir);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_ADJUSTEDCOMPILATIONS_H
