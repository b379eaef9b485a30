//===--- FindingsCache.h - Findings of unchanged files ---------*- C++ -*-===//
//
// In a whole-project run, touching one helper file must not cost the
// analysis of every other file. A file's findings (its worker's report and
// clang-style output) are kept under <cache>/findings/ and used again while
// everything they were made from is unchanged:
//   - the key: the file, its compile command, its effective configuration
//     and the run's options that change what a worker reports (not the
//     output's format or place, -j or --quiet);
//   - the user files its translation unit read (as the summary cache
//     recorded them, ProjectAnalysis.h), by digest;
//   - the project summaries its checks read (ProjectQuestions.h), with
//     every summary joined to them by calls, by digest.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_FINDINGSCACHE_H
#define TORCH_TIDY_ANALYZER_FINDINGSCACHE_H

#include "DriverOptions.h"
#include "TorchTidyRules/ProjectQuestions.h"
#include "TorchTidyRules/ProjectSummaries.h"

#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Tooling/CompilationDatabase.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

/// What a worker gave for one file, as kept in the cache.
struct CachedFindings {
  std::string Report;      // The worker's findings JSON.
  std::string ClangOutput; // What it printed.
};

class FindingsCache {
public:
  /// \p Compilations: adjusted for analysis, as for the summaries;
  /// \p Project: the solved summaries the workers read.
  FindingsCache(
      const DriverSettings &Settings,
      std::unique_ptr<clang::tooling::CompilationDatabase> Compilations,
      clang::tidy::ClangTidyOptionsProvider &Options,
      std::shared_ptr<const clang::tidy::torch::ProjectSummaries> Project);

  /// The findings of \p File from an earlier run, while still valid.
  std::optional<CachedFindings> lookup(const std::string &File);

  /// Keeps what a worker gave for \p File. A report with analysis errors,
  /// or of a file the summary cache has no inputs for, is not kept.
  void store(const std::string &File, const CachedFindings &Findings);

private:
  struct Key {
    std::string EntryPath;
    std::optional<clang::tooling::CompileCommand> Command;
    std::string AbsoluteFile;
  };
  Key keyOf(const std::string &File);
  std::string
  viewDigest(const clang::tidy::torch::ProjectQuestions &Questions) const;

  const DriverSettings &Settings;
  std::unique_ptr<clang::tooling::CompilationDatabase> Compilations;
  clang::tidy::ClangTidyOptionsProvider &Options;
  std::shared_ptr<const clang::tidy::torch::ProjectSummaries> Project;
  std::string RunKey; // What the run's options add to every key.
};

/// \p Questions as the worker's report carries them ("project_questions").
nlohmann::json
projectQuestionsJson(const clang::tidy::torch::ProjectQuestions &Questions);

/// The findings cache of a whole-project run with a cache directory (the
/// summary cache gives the inputs), or null: without a project, a cache or
/// a readable summaries file, every file is analysed.
std::unique_ptr<FindingsCache>
findingsCacheFor(const DriverSettings &Settings,
                 const clang::tooling::CompilationDatabase *Compilations,
                 clang::tidy::ClangTidyOptionsProvider &Options);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_FINDINGSCACHE_H
