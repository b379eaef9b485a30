//===--- ProjectAnalysis.h - Summaries of a whole project -------*- C++ -*-===//
//
// `torch-tidy -p build` judges a helper by its body wherever the project
// defines it: before the checks run, every translation unit of the compile
// database (and every file named) is summarised (TorchTidyRules/
// ProjectSummaries.h), the summaries are merged and solved, and the checks
// read the merged file through the global option ProjectSummariesOption.
// Each translation unit's summaries are cached beside the header cache,
// keyed by its command, and fresh while its user files are unchanged.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_PROJECTANALYSIS_H
#define TORCH_TIDY_ANALYZER_PROJECTANALYSIS_H

#include "DriverOptions.h"
#include "ParallelAnalysis.h"

#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Tooling/CompilationDatabase.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

/// The translation units of a project: every file of \p Compilations and
/// \p Named, sorted, without duplicates.
std::vector<std::string>
projectFiles(const clang::tooling::CompilationDatabase &Compilations,
             const std::vector<std::string> &Named);

struct ProjectSummariesResult {
  /// The merged summaries as JSON text (ProjectSummaries::toJson).
  std::string Json;
  /// Files that could not be summarised, with why (their functions are
  /// then unknown to the other files, as without a project).
  std::vector<std::string> Problems;
  unsigned Summarised = 0; // Translation units parsed this time.
  unsigned Cached = 0;     // Translation units read from the cache.
};

/// Summarises the files that have no fresh cache entry: returns, for each
/// file, its translation unit's summaries as JSON or why there are none.
using UnitSummariser = std::function<std::vector<SummaryWorkerResult>(
    const std::vector<std::string> &Files)>;

/// Summarises \p Files with their commands in \p Compilations (already
/// adjusted for analysis), using and filling the summary cache under
/// \p Settings.CacheDirectory (none when it is empty). The files to parse go
/// to \p InWorkers when it is set, else are parsed in this process.
ProjectSummariesResult
summariseProject(const std::vector<std::string> &Files,
                 const clang::tooling::CompilationDatabase &Compilations,
                 std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Options,
                 const DriverSettings &Settings,
                 const UnitSummariser &InWorkers);

/// Whether every file of \p Lines (one "<digest> <path>" per line) still
/// has its digest.
bool inputsUnchanged(llvm::StringRef Lines);

/// The user files, with their digests, that the translation unit of \p File
/// (absolute) read when the summary cache last summarised it with
/// \p Command, while none of them has changed; nullopt otherwise.
std::optional<std::string>
freshUnitInputs(const DriverSettings &Settings, llvm::StringRef File,
                const clang::tooling::CompileCommand &Command);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_PROJECTANALYSIS_H
