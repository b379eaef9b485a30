//===--- CompileCommandFinder.h - Commands as clangd finds them -*- C++ -*-===//
//
// For each directory from the file's upwards: compile_commands.json there,
// then in its build/ subdirectory, or compile_flags.txt there; the first
// found is the file's database. With --compile-commands-dir only that
// directory's database is used. Files missing from a compile_commands.json
// (headers, new files) get a command inferred from the nearest file it has.
// Databases are loaded once and again when their file changes.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_LSP_COMPILECOMMANDFINDER_H
#define TORCH_TIDY_ANALYZER_LSP_COMPILECOMMANDFINDER_H

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Chrono.h"

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace torch_tidy::lsp {

class CompileCommandFinder {
public:
  /// \p FixedDirectory: --compile-commands-dir, or "" to search.
  explicit CompileCommandFinder(std::string FixedDirectory)
      : FixedDirectory(std::move(FixedDirectory)) {}

  /// The command for \p File (absolute), or nullopt with \p Why in one
  /// sentence that tells the user what to do. \p ProjectDirectory, when
  /// given, is set to the directory of the compile_commands.json found when
  /// it lists more than one file (a project to summarise), else "".
  std::optional<clang::tooling::CompileCommand>
  find(llvm::StringRef File, std::string &Why,
       std::string *ProjectDirectory = nullptr);

private:
  struct Loaded {
    std::unique_ptr<clang::tooling::CompilationDatabase> Database;
    llvm::sys::TimePoint<> Modified;
    std::string Problem; // Set when the file exists but cannot be used.
  };
  /// The database in \p Path (a compile_commands.json or
  /// compile_flags.txt), or null when there is none; \p Problem when there
  /// is one that cannot be read.
  const clang::tooling::CompilationDatabase *load(const std::string &Path,
                                                  std::string &Problem);

  std::string FixedDirectory;
  std::map<std::string, Loaded> Databases;
};

} // namespace torch_tidy::lsp

#endif // TORCH_TIDY_ANALYZER_LSP_COMPILECOMMANDFINDER_H
